/// How fast a message that has started must keep arriving (`WebSocketConfiguration.minimumMessageProgress`).
///
/// While a data message is incomplete, every `interval` its buffered bytes must have grown by at
/// least `bytes` (or the message must have completed); otherwise the connection is closed with 1008.
/// Only message payload counts: pings or other bytes do not keep a stalled message alive, and a
/// client holding an almost complete maximum-size message cannot park it for free.
public struct WebSocketMessageProgress: Sendable, Equatable {
    /// Message bytes that must arrive per interval.
    public var bytes: Int
    /// How often progress is checked while a message is incomplete.
    public var interval: Duration

    /// A rule of at least `bytes` message bytes every `interval`.
    public init(bytes: Int, interval: Duration) {
        self.bytes = bytes
        self.interval = interval
    }
}
