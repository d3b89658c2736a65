/// Takes over a connection whose request asked to switch protocols (the seam between HTTP and
/// WebSocket).
///
/// Called on the owning worker after a complete upgrade request (`GET` with `Connection: upgrade` and
/// an `Upgrade` header) to a path the handler claims. It either answers the request itself (a
/// rejection, written as an ordinary HTTP response) or writes the 101 response and returns the
/// session that speaks the new protocol from the next byte on.
protocol HTTPUpgradeHandler: Sendable {
    /// Whether this handler serves upgrades for `path` (so other paths get ordinary HTTP routing).
    func handlesUpgrade(path: String) -> Bool

    /// Answers the upgrade request; returns the new session, or nil if the request was answered with
    /// an HTTP response instead (the connection then continues as HTTP or closes as that response says).
    func upgrade(_ head: HTTPRequestHead, on connection: Connection, context: HTTPWorkerContext) -> (any ConnectionSession)?
}
