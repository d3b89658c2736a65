/// Serves WebSocket upgrades on one listener: finds the route, validates the handshake, and lets the
/// route's handler accept or reject.
struct WebSocketUpgrader: HTTPUpgradeHandler {
    let routes: RouteTable<WebSocketRoute>

    func upgrade<Connection: SessionConnection>(
        _ head: HTTPRequestHead, on connection: Connection, context: WorkerContext
    ) -> HTTPUpgradeOutcome? {
        guard case .found(let route, let parameters) = routes.match(method: .get, path: head.path) else { return nil }
        switch WebSocketHandshake.validate(head, allowedOrigins: route.configuration.allowedOrigins) {
        case .failure(let refusal):
            return .answered(refusal.response)
        case .success(let offer):
            return route.opener.open(
                WebSocketUpgradeContext(
                    head: head, pathParameters: parameters, offer: offer, connection: connection, context: context))
        }
    }

    func servesUpgrades(at path: String) -> Bool {
        if case .found = routes.match(method: .get, path: path) { true } else { false }
    }
}
