/// A parsed request line and header section, with the decisions the connection needs derived
/// once: target split into path and query, persistence, 100-continue and body framing.
public struct HTTPRequestHead: Sendable, Equatable {
    /// The request method.
    public var method: HTTPMethod
    /// The protocol version of the request.
    public var version: HTTPVersion
    /// The request target exactly as sent.
    public var target: String
    /// The path of the target without its query: origin-form as sent, absolute-form reduced to
    /// its path (`/` when empty), `*` for asterisk-form, the authority for CONNECT. Not decoded.
    public var path: String
    /// The raw query, without the `?`; nil when the target has none.
    public var query: String?
    /// The header fields, in order.
    public var headers: HTTPHeaders
    /// Whether the connection persists after this request: the HTTP/1.1 default unless
    /// `Connection: close`; HTTP/1.0 only with `Connection: keep-alive` (RFC 9112 §9.3).
    public var keepAlive: Bool
    /// Whether the client sent `Expect: 100-continue` on an HTTP/1.1 request (HTTP/1.0
    /// expectations are ignored, RFC 9110 §10.1.1).
    public var expectsContinue: Bool
    /// How the body that follows this head is delimited.
    public var bodyFraming: HTTPBodyFraming

    /// Creates a head; the parser fills every field, tests and synthetic requests may too.
    public init(
        method: HTTPMethod,
        version: HTTPVersion = .http1_1,
        target: String,
        path: String,
        query: String? = nil,
        headers: HTTPHeaders = HTTPHeaders(),
        keepAlive: Bool = true,
        expectsContinue: Bool = false,
        bodyFraming: HTTPBodyFraming = .none
    ) {
        self.method = method
        self.version = version
        self.target = target
        self.path = path
        self.query = query
        self.headers = headers
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
        self.bodyFraming = bodyFraming
    }
}
