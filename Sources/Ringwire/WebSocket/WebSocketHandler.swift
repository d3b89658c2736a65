/// The application side of a WebSocket route.
///
/// One handler value serves every connection of its route (it is shared by all workers, hence
/// `Sendable`); what belongs to one connection lives in its `State`, created by `upgrade`. Every call
/// runs on the worker thread that owns the connection, synchronously, with no async hop: keep them
/// short. Only `onMessage` is required.
public protocol WebSocketHandler: Sendable {
    /// Per-connection state, reachable as `socket.state`.
    associatedtype State = Void

    /// Decides on an upgrade request: accept (with state, a subprotocol, extra headers) or reject
    /// with an HTTP response. The default accepts with no subprotocol when `State` is `Void`.
    func upgrade(_ request: WebSocketUpgradeRequest) -> WebSocketUpgradeDecision<State>
    /// The connection is open: the 101 response is queued and messages may be sent.
    func onOpen(_ socket: borrowing WebSocket<Self>)
    /// A complete message arrived; `message.bytes` is valid only during this call.
    func onMessage(_ socket: borrowing WebSocket<Self>, _ message: borrowing WebSocketMessage)
    /// A ping arrived (only with `WebSocketConfiguration.deliversPings`); the pong is already queued.
    func onPing(_ socket: borrowing WebSocket<Self>, _ payload: UnsafeRawBufferPointer)
    /// A pong arrived.
    func onPong(_ socket: borrowing WebSocket<Self>, _ payload: UnsafeRawBufferPointer)
    /// The send queue, which had gone over `maxBackpressure` (or dropped messages), is empty again.
    func onDrain(_ socket: borrowing WebSocket<Self>)
    /// The connection closed: `code` is the peer's close code (nil if it sent none), or ours when we
    /// closed it (a protocol error, a timeout, `close`), or 1006 when the TCP connection just ended.
    /// Sending is no longer possible.
    func onClose(_ socket: borrowing WebSocket<Self>, code: WebSocketCloseCode?, reason: String)
}

extension WebSocketHandler where State == Void {
    /// Accepts every upgrade.
    public func upgrade(_ request: WebSocketUpgradeRequest) -> WebSocketUpgradeDecision<Void> { .accept(()) }
}

extension WebSocketHandler {
    public func onOpen(_ socket: borrowing WebSocket<Self>) {}
    public func onPing(_ socket: borrowing WebSocket<Self>, _ payload: UnsafeRawBufferPointer) {}
    public func onPong(_ socket: borrowing WebSocket<Self>, _ payload: UnsafeRawBufferPointer) {}
    public func onDrain(_ socket: borrowing WebSocket<Self>) {}
    public func onClose(_ socket: borrowing WebSocket<Self>, code: WebSocketCloseCode?, reason: String) {}
}
