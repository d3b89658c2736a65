import Glibc

/// Milliseconds on the coarse monotonic clock: read once per loop turn, good enough for timeouts.
package enum MonotonicClock {
    package static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
