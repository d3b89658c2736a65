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

/// Per-worker state that sessions share: confined to the worker thread.
final class HTTPWorkerContext {
    var dateCache = HTTPDateCache()
    /// Where a compressed outgoing message is built before it is framed (reused, never shrunk).
    var deflateScratch: [UInt8] = []
    /// Where an incoming compressed message is inflated before the handler sees it.
    var inflateScratch: [UInt8] = []
    /// One compressor per route for routes that share one (no context takeover), keyed by route.
    private var sharedCompressors: [ObjectIdentifier: PerMessageCompressor] = [:]

    func sharedCompressor(for route: WebSocketRouteSettings) -> PerMessageCompressor {
        let key = ObjectIdentifier(route)
        if let existing = sharedCompressors[key] { return existing }
        let compressor = PerMessageCompressor(sharedFor: route.configuration.deflate)
        sharedCompressors[key] = compressor
        return compressor
    }
}
