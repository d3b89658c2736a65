/// The two HTTP/1.x versions a request may carry. Any other `HTTP/x.y` is rejected with
/// `HTTPParseError.unsupportedVersion` (505).
public enum HTTPVersion: Hashable, Sendable {
    case http1_0, http1_1
}
