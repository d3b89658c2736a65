/// The two HTTP/1.x versions a request may carry. Any other `HTTP/x.y` is rejected with
/// `HTTPParseError.unsupportedVersion` (505).
public enum HTTPVersion: Hashable, Sendable {
    /// HTTP/1.0: connections close after each response unless `Connection: keep-alive`.
    case http1_0
    /// HTTP/1.1: persistent connections by default, Host required.
    case http1_1
}
