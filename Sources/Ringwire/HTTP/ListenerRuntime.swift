/// What every HTTP session of one listener shares: its configuration, resolved once at start.
/// Immutable, hence shared by all workers.
final class ListenerRuntime: Sendable {
    let listener: Listener
    let headerReadTimeout: Int64
    let bodyReadTimeout: Int64
    let keepAliveTimeout: Int64
    /// Handles WebSocket upgrades on this listener; nil where upgrades are not served.
    let upgrader: (any HTTPUpgradeHandler)?

    init(listener: Listener, upgrader: (any HTTPUpgradeHandler)?) {
        self.listener = listener
        headerReadTimeout = listener.http.headerReadTimeout.milliseconds
        bodyReadTimeout = listener.http.bodyReadTimeout.milliseconds
        keepAliveTimeout = listener.http.keepAliveTimeout.milliseconds
        let upgradesAllowed = listener.kind == .webSocket || listener.acceptsWebSocketUpgrades
        self.upgrader = upgradesAllowed ? upgrader : nil
    }
}
