/// Size limits a `WebSocketMessageReader` enforces on what a peer sends. Exceeding either fails the
/// connection with `messageTooBig` (1009) as soon as a frame header declares too much, before any of
/// its payload is buffered.
public struct WebSocketReaderLimits: Sendable {
    /// Largest payload a single frame may declare. Default 16 MiB.
    ///
    /// Why 16 MiB: it is the largest message the Autobahn conformance suite sends (cases 9.x), and a
    /// frame is never larger than the message it belongs to. uWebSockets defaults to 16 KiB, which
    /// bounds per-connection memory tightly for chat-style traffic with very many connections but
    /// rejects ordinary larger uploads; deployments with that profile should lower both limits.
    public var maxFrameSize: Int

    /// Largest complete message (the sum of its fragments' payloads). Default 16 MiB, for the same
    /// reason as `maxFrameSize`. Fragmented or input-spanning messages are buffered per connection,
    /// so this is also the worst-case receive memory of one connection. Both limits are capped at
    /// 4 GiB.
    public var maxMessageSize: Int

    /// Creates limits; both default to 16 MiB.
    public init(maxFrameSize: Int = 16 * 1024 * 1024, maxMessageSize: Int = 16 * 1024 * 1024) {
        self.maxFrameSize = maxFrameSize
        self.maxMessageSize = maxMessageSize
    }
}
