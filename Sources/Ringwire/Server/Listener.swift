/// One port of a server: where it listens, which protocol it speaks, and its handlers.
///
/// All listeners of a server are served by the same workers. An `http` listener routes requests and
/// lets requests upgrade to WebSocket on its WebSocket routes (unless `acceptsWebSocketUpgrades` is
/// off, Swoole's `open_websocket_protocol=false`); a `webSocket` listener only accepts upgrades.
public struct Listener: Sendable {
    /// The protocol a listener speaks.
    public enum Kind: String, Sendable, Codable {
        /// HTTP/1.1, with WebSocket upgrades on WebSocket routes.
        case http
        /// WebSocket only: every request must be an upgrade to one of its WebSocket routes.
        case webSocket = "websocket"
    }

    /// Unique name, used in logs and to look up the bound port.
    public var name: String
    /// Numeric IPv4/IPv6 address to bind. Default all IPv4 interfaces, like Swoole.
    public var host: String
    /// Port to bind; 0 picks a free one (see `Server.port(of:)`).
    public var port: Int
    /// The protocol spoken on this port.
    public var kind: Kind
    /// Whether requests may upgrade to WebSocket here. Default true; when false, an upgrade request is
    /// answered as plain HTTP.
    public var acceptsWebSocketUpgrades = true
    /// HTTP limits and timeouts (they apply to the upgrade request of a WebSocket listener too).
    public var http = HTTPConfiguration()
    /// HTTP routes.
    public var routes = RouteTable<HTTPHandler>()
    /// WebSocket routes (upgrade targets).
    var webSocketRoutes = RouteTable<WebSocketRoute>()
    /// Whether any WebSocket route was added.
    public private(set) var hasWebSocketRoutes = false

    /// A listener with no routes yet.
    public init(name: String, host: String = "0.0.0.0", port: Int, kind: Kind = .http) {
        self.name = name
        self.host = host
        self.port = port
        self.kind = kind
    }

    /// Serves `method` requests to paths matching `pattern` (e.g. `/rooms/:id`, `/static/*`).
    public mutating func route(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping HTTPHandler) {
        routes.add(method, pattern, handler)
    }

    /// Serves WebSocket upgrades to paths matching `pattern` with `handler`.
    public mutating func webSocket<Handler: WebSocketHandler>(
        _ pattern: String, configuration: WebSocketConfiguration = WebSocketConfiguration(), _ handler: Handler
    ) {
        webSocketRoutes.add(.get, pattern, WebSocketRoute(handler: handler, configuration: configuration))
        hasWebSocketRoutes = true
    }

    /// Serves GET (and HEAD) requests to `pattern`.
    public mutating func get(_ pattern: String, _ handler: @escaping HTTPHandler) { route(.get, pattern, handler) }
    /// Serves POST requests to `pattern`.
    public mutating func post(_ pattern: String, _ handler: @escaping HTTPHandler) { route(.post, pattern, handler) }
    /// Serves PUT requests to `pattern`.
    public mutating func put(_ pattern: String, _ handler: @escaping HTTPHandler) { route(.put, pattern, handler) }
    /// Serves DELETE requests to `pattern`.
    public mutating func delete(_ pattern: String, _ handler: @escaping HTTPHandler) { route(.delete, pattern, handler) }
    /// Serves PATCH requests to `pattern`.
    public mutating func patch(_ pattern: String, _ handler: @escaping HTTPHandler) { route(.patch, pattern, handler) }
}
