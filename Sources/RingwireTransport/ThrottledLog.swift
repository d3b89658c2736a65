import Logging

/// Log lines a client can cause at will (refused connections, protocol violations, policy closes,
/// rejected requests): each kind gets `burst` lines per `interval`; the rest are only counted and
/// reported in one line when their interval ends. A flood shows in the log as a rate, and cannot
/// fill the disk or spend a worker's time formatting lines.
///
/// One per worker, confined to its thread.
package struct ThrottledLog {
    /// What a line is about; each kind has its own allowance.
    package enum Kind: Int, CaseIterable {
        case connectionRefused
        case acceptFailed
        case webSocketViolation
        case webSocketPolicyClose
        case httpRejected

        /// Names the suppressed lines in the summary.
        package var summary: String {
            switch self {
            case .connectionRefused: "connections refused"
            case .acceptFailed: "accept failures"
            case .webSocketViolation: "WebSocket connections failed for breaking the protocol or a limit"
            case .webSocketPolicyClose: "WebSocket connections closed by a server policy"
            case .httpRejected: "HTTP requests rejected"
            }
        }
    }

    /// Lines of one kind written per interval before the rest are only counted.
    package static let burst = 5
    /// Milliseconds of one interval.
    package static let interval: Int64 = 10_000

    private struct Window {
        /// When the current interval ends: the first line of a kind starts one.
        package var end = Int64.min
        package var written = 0
        var suppressed = 0
        package var level = Logger.Level.info
    }

    private var windows = [Window](repeating: Window(), count: Kind.allCases.count)
    /// When the earliest interval with suppressed lines ends (`.max` for none): the loop calls
    /// `reportSuppressed` then.
    private(set) var nextReport = Int64.max

    /// Writes `message` unless this kind's allowance for the current interval is spent.
    package mutating func log(_ kind: Kind, _ level: Logger.Level, now: Int64, to logger: Logger, _ message: @autoclosure () -> Logger.Message) {
        guard logger.logLevel <= level else { return }
        var window = windows[kind.rawValue]
        if now >= window.end {
            if window.suppressed > 0 { report(kind, window, to: logger) }
            window = Window(end: now + Self.interval, level: level)
        }
        if window.written < Self.burst {
            window.written += 1
            logger.log(level: level, message())
        } else {
            window.suppressed += 1
            nextReport = min(nextReport, window.end)
        }
        windows[kind.rawValue] = window
    }

    /// Reports every ended interval's suppressed lines.
    mutating func reportSuppressed(now: Int64, to logger: Logger) {
        nextReport = .max
        for kind in Kind.allCases {
            var window = windows[kind.rawValue]
            guard window.suppressed > 0 else { continue }
            if now >= window.end {
                report(kind, window, to: logger)
                window.suppressed = 0
                windows[kind.rawValue] = window
            } else {
                nextReport = min(nextReport, window.end)
            }
        }
    }

    private func report(_ kind: Kind, _ window: Window, to logger: Logger) {
        logger.log(level: window.level, "\(window.suppressed) more \(kind.summary) in \(Self.interval / 1000) s (lines like the above not written)")
    }
}
