import Glibc
import Logging

/// The per-process open-file limit (`ulimit -n`), which caps how many connections a server can hold.
enum FileDescriptorLimit {
    /// Descriptors kept for everything that is not a connection (listening sockets, rings, logs).
    static let reserve = 64

    /// The connection limit to use: `requested`, or what the open-file limit allows.
    static func connectionLimit(requested: Int?, logger: Logger) -> Int {
        if let requested {
            ensure(requested + reserve, logger: logger)
            return requested
        }
        var limit = rlimit()
        guard getrlimit(RLIMIT_NOFILE_VALUE, &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            // Raising the soft limit to the hard one is what every server does; no privilege needed.
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(RLIMIT_NOFILE_VALUE, &limit)
            _ = getrlimit(RLIMIT_NOFILE_VALUE, &limit)
        }
        return max(Int(clamping: limit.rlim_cur) - reserve, 16)
    }

    /// Raises the soft limit towards the hard limit if `needed` descriptors would not fit, and warns
    /// when even the hard limit is too low.
    private static func ensure(_ needed: Int, logger: Logger) {
        var limit = rlimit()
        guard getrlimit(RLIMIT_NOFILE_VALUE, &limit) == 0 else { return }
        if limit.rlim_cur < rlim_t(needed) && limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = min(limit.rlim_max, rlim_t(needed))
            _ = setrlimit(RLIMIT_NOFILE_VALUE, &limit)
            _ = getrlimit(RLIMIT_NOFILE_VALUE, &limit)
        }
        if limit.rlim_cur < rlim_t(needed) {
            logger.warning(
                "open-file limit is \(limit.rlim_cur) but the configuration allows \(needed) connections; raise it with `ulimit -n \(needed)` (new connections beyond the limit will be refused)"
            )
        }
    }

    private static let RLIMIT_NOFILE_VALUE = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
}
