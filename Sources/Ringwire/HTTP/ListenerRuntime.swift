@_spi(RingwireInternal) import RingwireTransport

/// What every HTTP session of one listener shares: its configuration, resolved once at start.
/// Immutable, hence shared by all workers.
final class ListenerRuntime: Sendable {
    let listener: Listener
    let headerReadTimeout: Int64
    let bodyReadTimeout: Int64
    let keepAliveTimeout: Int64
    /// Handles WebSocket upgrades on this listener; nil where upgrades are not served.
    let upgrader: (any HTTPUpgradeHandler)?
    /// Whether ordinary requests get 426 instead of routing: the listener serves only upgrades
    /// (resolved here so the HTTP session needs no notion of listener kinds).
    let servesOnlyUpgrades: Bool

    /// The runtime of `listener`, serving upgrades to its WebSocket routes where it has any.
    convenience init(listener: Listener) {
        self.init(listener: listener, upgrader: listener.hasWebSocketRoutes ? WebSocketUpgrader(routes: listener.webSocketRoutes) : nil)
    }

    init(listener: Listener, upgrader: (any HTTPUpgradeHandler)?) {
        self.listener = listener
        headerReadTimeout = listener.http.headerReadTimeout.milliseconds
        bodyReadTimeout = listener.http.bodyReadTimeout.milliseconds
        keepAliveTimeout = listener.http.keepAliveTimeout.milliseconds
        let upgradesAllowed = listener.kind == .webSocket || listener.acceptsWebSocketUpgrades
        self.upgrader = upgradesAllowed ? upgrader : nil
        servesOnlyUpgrades = listener.kind == .webSocket
    }
}

extension Listener {
    /// The session a connection accepted on this listener starts with, made as the server makes it
    /// (upgrades to this listener's WebSocket routes included); how the embedded harness serves one.
    package func makeSession<Connection: SessionConnection>(on connection: Connection, context: WorkerContext) -> any ConnectionSession {
        HTTPSession(listener: ListenerRuntime(listener: self), connection: connection, context: context)
    }
}
