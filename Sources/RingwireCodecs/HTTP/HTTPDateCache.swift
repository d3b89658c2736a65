import Glibc

/// The value of the Date response header in IMF-fixdate form (RFC 9110 §5.6.7), e.g.
/// `Sun, 06 Nov 1994 08:49:37 GMT`, formatted at most once per wall-clock second.
///
/// One per worker: every response needs a Date, and formatting it per response would cost a
/// `gmtime_r` and an allocation each time.
@_spi(RingwireInternal) public struct HTTPDateCache: Sendable {
    private var second = Int.min
    private var formatted = ""

    /// Creates an empty cache; the first `current()` call formats the date.
    public init() {}

    /// The current date, reformatted only when the second has changed since the last call.
    public mutating func current() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        if now.tv_sec != second {
            second = now.tv_sec
            formatted = Self.format(epochSeconds: now.tv_sec)
        }
        return formatted
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Formats seconds since the Unix epoch as IMF-fixdate.
    package static func format(epochSeconds: Int) -> String {
        var time = time_t(epochSeconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let weekday = weekdays[Int(parts.tm_wday) % 7]
        let month = months[Int(parts.tm_mon) % 12]
        return "\(weekday), \(twoDigits(parts.tm_mday)) \(month) \(parts.tm_year + 1900) "
            + "\(twoDigits(parts.tm_hour)):\(twoDigits(parts.tm_min)):\(twoDigits(parts.tm_sec)) GMT"
    }

    private static func twoDigits(_ value: Int32) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
