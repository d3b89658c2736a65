import Glibc

/// Why an io_uring ring (or a feature Ringwire needs from it) could not be set up, with the fix.
public enum RingSetupError: Error, Sendable, CustomStringConvertible {
    /// `kernel.io_uring_disabled` is set (value given).
    case disabledBySysctl(Int)
    /// The kernel refused with EPERM: a seccomp filter (containers) or an io_uring group restriction.
    case notPermitted
    /// The kernel has no io_uring at all (ENOSYS): too old or built without it.
    case notAvailable
    /// Out of memory for the ring (ENOMEM): usually RLIMIT_MEMLOCK on kernels before 5.12.
    case outOfMemory
    /// A feature Ringwire relies on is missing from this kernel.
    case missingFeature(String)
    /// Any other errno from setup.
    case other(Int32)

    static func diagnose(errno code: Int32) -> RingSetupError {
        switch code {
        case EPERM:
            let disabled = readIOUringDisabledSysctl()
            return disabled > 0 ? .disabledBySysctl(disabled) : .notPermitted
        case ENOSYS: return .notAvailable
        case ENOMEM: return .outOfMemory
        default: return .other(code)
        }
    }

    public var description: String {
        switch self {
        case .disabledBySysctl(let value):
            return "io_uring is disabled on this machine (kernel.io_uring_disabled=\(value)); "
                + "enable it with `sysctl -w kernel.io_uring_disabled=0`"
        case .notPermitted:
            return "io_uring_setup was denied (EPERM): a seccomp profile (Docker/Kubernetes default) "
                + "or an io_uring group restriction blocks it; allow io_uring_setup/io_uring_enter/io_uring_register "
                + "in the seccomp profile or run with an unconfined profile"
        case .notAvailable:
            return "this kernel has no io_uring (ENOSYS); Ringwire needs Linux 6.0 or newer"
        case .outOfMemory:
            return "not enough locked memory for the io_uring rings (ENOMEM); raise `ulimit -l` or use Linux 5.12+"
        case .missingFeature(let feature):
            return "this kernel lacks \(feature); Ringwire needs Linux 6.0 or newer"
        case .other(let code):
            return "io_uring setup failed: \(String(cString: strerror(code))) (errno \(code))"
        }
    }
}

/// The value of `/proc/sys/kernel/io_uring_disabled` (0 when absent: older kernels have no such switch).
func readIOUringDisabledSysctl() -> Int {
    let fd = open("/proc/sys/kernel/io_uring_disabled", O_RDONLY)
    guard fd >= 0 else { return 0 }
    defer { close(fd) }
    var bytes = [UInt8](repeating: 0, count: 8)
    let count = read(fd, &bytes, bytes.count)
    guard count > 0 else { return 0 }
    return bytes[0..<count].reduce(0) { value, byte in
        (48...57).contains(byte) ? value * 10 + Int(byte - 48) : value
    }
}
