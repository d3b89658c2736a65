/// HTTP/1.1 settings of one listener: parser limits, timeouts and response details.
public struct HTTPConfiguration: Sendable {
    /// Sizes beyond which a request is refused (414, 431, 413).
    public var limits = HTTPLimits()
    /// Time allowed from a request's first byte to the end of its headers, and for a new connection
    /// to send its first byte (between requests `keepAliveTimeout` applies). Default 10 s: a real client sends its headers at once; a slowloris client
    /// trickling bytes is closed (408) after this.
    public var headerReadTimeout: Duration = .seconds(10)
    /// Longest pause between two pieces of a request body. Default 30 s: slow uploads keep going as
    /// long as bytes keep coming.
    public var bodyReadTimeout: Duration = .seconds(30)
    /// How long an idle keep-alive connection stays open between requests. Default 60 s, between
    /// nginx's 75 s and what load balancers commonly use.
    public var keepAliveTimeout: Duration = .seconds(60)
    /// Responses buffered for a client that does not read them before reading its further pipelined
    /// requests pauses. Default 1 MiB: bounds memory per connection without slowing normal clients.
    public var maxBufferedResponseBytes = 1024 * 1024
    /// The `Server` header value. Default "Ringwire".
    public var serverName = "Ringwire"

    /// The defaults above.
    public init() {}
}
