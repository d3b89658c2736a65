import Logging

/// Log lines a client can cause at will (refused connections, protocol violations, policy closes,
/// rejected requests): each kind gets `burst` lines per `interval`; the rest are only counted and
/// reported in one line when their interval ends. A flood shows in the log as a rate, and cannot
/// fill the disk or spend a worker's time formatting lines.
///
/// One per worker, confined to its thread.
package struct ThrottledLog {
    /// What a line is about; each kind has its own allowance. The transport declares its own kinds
    /// (below); the layers above declare theirs (protocol violations, rejected requests) the same way.
    package struct Kind: Hashable, Sendable {
        /// Names the suppressed lines in the summary ("connections refused").
        package let summary: String

        package init(summary: String) {
            self.summary = summary
        }

        package static let connectionRefused = Kind(summary: "connections refused")
        package static let acceptFailed = Kind(summary: "accept failures")
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

    /// Windows by kind; a handful of kinds, so a dictionary costs nothing that matters (lines are
    /// rare by design; only a flood calls this often, and then mostly to count).
    private var windows: [Kind: Window] = [:]
    /// When the earliest interval with suppressed lines ends (`.max` for none): the loop calls
    /// `reportSuppressed` then.
    private(set) var nextReport = Int64.max

    /// Writes `message` unless this kind's allowance for the current interval is spent.
    package mutating func log(
        _ kind: Kind, _ level: Logger.Level, now: Int64, to logger: Logger, _ message: @autoclosure () -> Logger.Message
    ) {
        guard logger.logLevel <= level else { return }
        var window = windows[kind] ?? Window()
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
        windows[kind] = window
    }

    /// Reports every ended interval's suppressed lines.
    mutating func reportSuppressed(now: Int64, to logger: Logger) {
        nextReport = .max
        for (kind, window) in windows where window.suppressed > 0 {
            if now >= window.end {
                report(kind, window, to: logger)
                windows[kind]?.suppressed = 0
            } else {
                nextReport = min(nextReport, window.end)
            }
        }
    }

    private func report(_ kind: Kind, _ window: Window, to logger: Logger) {
        logger.log(
            level: window.level, "\(window.suppressed) more \(kind.summary) in \(Self.interval / 1000) s (lines like the above not written)"
        )
    }
}
