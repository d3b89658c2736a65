@_spi(RingwireInternal) import RingwireTransport

/// How an upgrade request was dealt with.
enum HTTPUpgradeOutcome {
    /// The 101 response is queued; `session` speaks the new protocol from the next byte on.
    case switched(any ConnectionSession)
    /// The request is to be answered with this ordinary HTTP response (a rejection); the HTTP session
    /// writes it like any other, and the connection goes on as HTTP if it may.
    case answered(HTTPResponse)
}

/// Takes over a connection whose request asked to switch protocols (the seam between HTTP and
/// WebSocket).
///
/// Called on the owning worker after a complete upgrade request (`GET` with `Connection: upgrade` and
/// `Upgrade: websocket`).
protocol HTTPUpgradeHandler: Sendable {
    /// Switches protocols or says which HTTP response answers the request instead; nil when this
    /// handler serves no upgrades at the request's path (it then gets ordinary HTTP routing).
    func upgrade<Connection: SessionConnection>(
        _ head: HTTPRequestHead, on connection: Connection, context: WorkerContext
    ) -> HTTPUpgradeOutcome?
    /// Whether this handler serves upgrades at `path` (a plain request there gets 426, not 404).
    func servesUpgrades(at path: String) -> Bool
}
