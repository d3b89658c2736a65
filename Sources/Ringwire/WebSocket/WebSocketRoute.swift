import RingwireTransport
@_spi(RingwireInternal) import RingwireCodecs
/// A WebSocket route's handler and settings, with the handler's type erased so routes of different
/// handler types share one route table. Built once; shared by all workers.
struct WebSocketRoute: Sendable {
    let configuration: WebSocketConfiguration
    /// Asks the handler about a validated upgrade request, then writes the 101 and returns the new
    /// session, or returns the handler's rejection for the HTTP session to send.
    let open: @Sendable (_ upgrade: WebSocketUpgradeContext) -> HTTPUpgradeOutcome

    init<Handler: WebSocketHandler>(handler: Handler, configuration: WebSocketConfiguration) {
        self.configuration = configuration
        let settings = WebSocketRouteSettings(configuration: configuration)
        open = { upgrade in
            let request = WebSocketUpgradeRequest(
                head: upgrade.head, pathParameters: upgrade.pathParameters,
                subprotocols: upgrade.offer.subprotocols, connectionID: upgrade.connection.id)
            switch handler.upgrade(request) {
            case .reject(let response):
                return .answered(response)
            case .accept(let state, let subprotocol, let headers):
                guard subprotocol.map(request.subprotocols.contains) ?? true else {
                    upgrade.connection.worker.logger.error(
                        "WebSocket route \(upgrade.head.path): the handler chose subprotocol '\(subprotocol ?? "")', which the client did not offer")
                    return .answered(HTTPResponse(status: .internalServerError, text: "Internal Server Error\n"))
                }
                let deflate = PerMessageDeflateNegotiation.negotiate(
                    offers: upgrade.offer.extensionOffers, configuration: configuration.deflate)
                var writer = upgrade.connection
                WebSocketHandshake.writeAcceptance(
                    acceptKey: upgrade.offer.acceptKey, subprotocol: subprotocol,
                    extensions: deflate?.responseHeaderValue, headers: headers, to: &writer)
                return .switched(WebSocketSession(
                    handler: handler, state: state, subprotocol: subprotocol, settings: settings, deflate: deflate,
                    connection: upgrade.connection, context: upgrade.context))
            }
        }
    }
}

/// Everything a route needs to answer one upgrade request.
struct WebSocketUpgradeContext {
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
