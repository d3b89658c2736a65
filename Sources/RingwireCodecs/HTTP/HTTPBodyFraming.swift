/// How the body of a request is delimited (RFC 9112 §6.3), decided once the head is parsed.
public enum HTTPBodyFraming: Hashable, Sendable {
    /// No Content-Length and no Transfer-Encoding: the request has no body.
    case none
    /// `Content-Length: n`, kept as sent (including an explicit 0), already checked against
    /// `HTTPLimits.maxBodySize`.
    case contentLength(Int)
    /// `Transfer-Encoding: chunked`; the total is bounded by `HTTPLimits.maxBodySize` while decoding.
    case chunked
}
