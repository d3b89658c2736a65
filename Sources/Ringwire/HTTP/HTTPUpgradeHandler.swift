/// How an upgrade request was dealt with.
enum HTTPUpgradeOutcome {
    /// The 101 response is queued; `session` speaks the new protocol from the next byte on.
    case switched(any ConnectionSession)
    /// The request was answered with an ordinary HTTP response (a rejection); the connection goes on
    /// as HTTP if `keepAlive`, else closes after the response.
    case answered(keepAlive: Bool)
}

/// Takes over a connection whose request asked to switch protocols (the seam between HTTP and
/// WebSocket).
///
/// Called on the owning worker after a complete upgrade request (`GET` with `Connection: upgrade` and
/// `Upgrade: websocket`) to a path the handler claims.
protocol HTTPUpgradeHandler: Sendable {
    /// Whether this handler serves upgrades for `path` (so other paths get ordinary HTTP routing).
    func handlesUpgrade(path: String) -> Bool

    /// Answers the upgrade request: switches protocols, or answers it with an HTTP response.
    func upgrade(_ head: HTTPRequestHead, on connection: Connection, context: WorkerContext) -> HTTPUpgradeOutcome
}
