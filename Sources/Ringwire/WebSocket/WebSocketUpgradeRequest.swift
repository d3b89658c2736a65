/// The HTTP request asking to become a WebSocket, as the application's `upgrade` hook sees it.
public struct WebSocketUpgradeRequest: Sendable {
    /// The request head: path, query, headers.
    public let head: HTTPRequestHead
    /// Parameters captured by the route pattern (e.g. `:room`).
    public let pathParameters: [String: String]
    /// Subprotocols the client offered (`Sec-WebSocket-Protocol`), in its order of preference.
    public let subprotocols: [String]
    /// The connection being upgraded.
    public let connectionID: ConnectionID

    /// The request path without query.
    public var path: String { head.path }
    /// A header value (first of its name), case-insensitive.
    public func header(_ name: String) -> String? { head.headers[name] }
    /// A path parameter by name.
    public func parameter(_ name: String) -> String? { pathParameters[name] }
    /// Query items, percent-decoded.
    public var queryItems: [(String, String)] {
        HTTPRequest(head: head, body: [], pathParameters: pathParameters).queryItems
    }

    /// Cookies sent with the request (`Cookie` headers), by name.
    public var cookies: [String: String] {
        var cookies: [String: String] = [:]
        for header in head.headers.values(for: "Cookie") {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                let name = parts[0].trimmingOWS
                if cookies[name] == nil { cookies[name] = parts[1].trimmingOWS }
            }
        }
        return cookies
    }
}

/// The application's answer to an upgrade request.
public enum WebSocketUpgradeDecision<State> {
    /// Become a WebSocket with `state` attached to the connection; `subprotocol` must be one the
    /// client offered (or nil); `headers` are added to the 101 response.
    case accept(State, subprotocol: String? = nil, headers: HTTPHeaders = HTTPHeaders())
    /// Stay HTTP and answer with `response` (e.g. a 401 or 403 the client can read).
    case reject(HTTPResponse)
}
