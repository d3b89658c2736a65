/// What a slow reader's connection does when its send queue is over `maxBackpressure`.
public enum WebSocketBackpressurePolicy: Sendable, Equatable {
    /// New data messages are dropped (`send` returns `.dropped`) until the queue drains.
    case dropNewMessages
    /// The connection is closed with `code` (1008 policy violation or 1013 try again later).
    case close(WebSocketCloseCode)
}

/// Settings of one WebSocket route. Every field has a default and the reason for it.
public struct WebSocketConfiguration: Sendable {
    /// Frame and message size limits (1009 beyond). Default 16 MiB each: large enough for real
    /// payloads; memory is only committed as bytes actually arrive.
    public var limits = WebSocketReaderLimits()
    /// Outbound bytes queued for one connection beyond which `backpressurePolicy` applies. Default
    /// 1 MiB: a burst to a healthy client fits; a client that stops reading costs at most this much
    /// (plus the one message that crossed the line).
    public var maxBackpressure = 1024 * 1024
    /// What happens to sends beyond `maxBackpressure`. Default: close with 1008, so a stalled client
    /// frees its memory and knows why. The server's own control frames are never dropped: at most 16
    /// pongs (then only the latest ping is answered, at drain: RFC 6455 §5.5.3), one idle ping and
    /// the close are queued at a time.
    public var backpressurePolicy = WebSocketBackpressurePolicy.close(.policyViolation)
    /// Silence after which the connection is pinged (with `sendsPings`) and, after another such
    /// period of silence, closed (1001). Default 120 s, like uWebSockets; nil disables it.
    public var idleTimeout: Duration? = .seconds(120)
    /// Ping a silent peer before giving up on it. Default true: browsers answer pings, so live but
    /// quiet clients survive the idle timeout.
    public var sendsPings = true
    /// While a message is incomplete, how much of it must arrive per interval (else 1008). Default
    /// 16 KiB every 30 s (about 4 kbit/s, below any working mobile link): a client trickling bytes
    /// to keep a large partial message in memory is closed, and so is one that stops mid-message.
    /// nil disables it (for clients that stream one fragmented message slowly on purpose).
    public var minimumMessageProgress: WebSocketMessageProgress? = WebSocketMessageProgress(bytes: 16 * 1024, interval: .seconds(30))
    /// How long to wait for the peer's close frame after ours, then close the TCP connection.
    /// Default 5 s.
    public var closeTimeout: Duration = .seconds(5)
    /// Whether `onPing` is called for every ping (the pong is sent automatically either way).
    /// Default false: it is a per-frame call most handlers do not need.
    public var deliversPings = false
    /// Origins allowed to connect (`Origin` header, compared case-insensitively), or nil for any.
    /// Default nil: a server for non-browser clients needs no origin policy; browser-facing servers
    /// should list their origins. Others get 403.
    public var allowedOrigins: [String]? = nil
    /// permessage-deflate (RFC 7692). Default off: it costs CPU per message and memory per connection.
    public var deflate = PerMessageDeflateConfiguration()

    /// The defaults above.
    public init() {}
}
