@_spi(RingwireInternal) import RingwireCodecs

/// A WebSocket route's handler and settings, with the handler's type erased so routes of different
/// handler types share one route table. Built once; shared by all workers.
struct WebSocketRoute: Sendable {
    let configuration: WebSocketConfiguration
    /// Asks the handler about a validated upgrade request, then writes the 101 and returns the new
    /// session, or returns the handler's rejection for the HTTP session to send.
    let opener: any WebSocketSessionOpener

    init<Handler: WebSocketHandler>(handler: Handler, configuration: WebSocketConfiguration) {
        self.configuration = configuration
        opener = HandlerSessionOpener(handler: handler, settings: WebSocketRouteSettings(configuration: configuration))
    }
}

/// Opens WebSocket sessions for one route, on any kind of connection (a generic method, which a
/// closure cannot be).
protocol WebSocketSessionOpener: Sendable {
    func open<Connection: SessionConnection>(_ upgrade: WebSocketUpgradeContext<Connection>) -> HTTPUpgradeOutcome
}

/// The opener of a route served by `Handler`.
private struct HandlerSessionOpener<Handler: WebSocketHandler>: WebSocketSessionOpener {
    let handler: Handler
    let settings: WebSocketRouteSettings

    func open<Connection: SessionConnection>(_ upgrade: WebSocketUpgradeContext<Connection>) -> HTTPUpgradeOutcome {
        let request = WebSocketUpgradeRequest(
            head: upgrade.head, pathParameters: upgrade.pathParameters,
            subprotocols: upgrade.offer.subprotocols, connectionID: upgrade.connection.id)
        switch handler.upgrade(request) {
        case .reject(let response):
            return .answered(response)
        case .accept(let state, let subprotocol, let headers):
            guard subprotocol.map(request.subprotocols.contains) ?? true else {
                // Throttled: a client can offer no subprotocol to a handler that always picks one.
                upgrade.connection.log(
                    .httpRejected, .error,
                    "WebSocket route \(upgrade.head.path): the handler chose subprotocol '\(subprotocol ?? "")', which the client did not offer"
                )
                return .answered(HTTPResponse(status: .internalServerError, text: "Internal Server Error\n"))
            }
            let deflate = PerMessageDeflateNegotiation.negotiate(
                offers: upgrade.offer.extensionOffers, configuration: settings.configuration.deflate)
            var writer = upgrade.connection
            WebSocketHandshake.writeAcceptance(
                acceptKey: upgrade.offer.acceptKey, subprotocol: subprotocol,
                extensions: deflate?.responseHeaderValue, headers: headers, to: &writer)
            return .switched(
                WebSocketSession(
                    handler: handler, state: state, subprotocol: subprotocol, settings: settings, deflate: deflate,
                    connection: upgrade.connection, context: upgrade.context))
        }
    }
}

/// Everything a route needs to answer one upgrade request.
struct WebSocketUpgradeContext<Connection: SessionConnection> {
    let head: HTTPRequestHead
    let pathParameters: [String: String]
    let offer: WebSocketHandshake.Offer
    let connection: Connection
    let context: WorkerContext
}

/// A route's configuration, shared by its sessions, with what the per-message path reads resolved
/// into plain fields (no struct copies, no durations to convert per message).
final class WebSocketRouteSettings: Sendable {
    let configuration: WebSocketConfiguration
    let idleTimeout: Int64?
    let closeTimeout: Int64
    /// `minimumMessageProgress`: bytes per interval, and the interval in milliseconds.
    let messageProgress: (bytes: Int, interval: Int64)?
    let maxBackpressure: Int
    let backpressurePolicy: WebSocketBackpressurePolicy
    let minimumSizeToCompress: Int
    let maxMessageSize: Int
    let deliversPings: Bool
    let sendsPings: Bool

    init(configuration: WebSocketConfiguration) {
        self.configuration = configuration
        idleTimeout = configuration.idleTimeout?.milliseconds
        closeTimeout = configuration.closeTimeout.milliseconds
        messageProgress = configuration.minimumMessageProgress.map { ($0.bytes, $0.interval.milliseconds) }
        maxBackpressure = configuration.maxBackpressure
        backpressurePolicy = configuration.backpressurePolicy
        minimumSizeToCompress = configuration.deflate.minimumSizeToCompress
        maxMessageSize = configuration.limits.maxMessageSize
        deliversPings = configuration.deliversPings
        sendsPings = configuration.sendsPings
    }
}
