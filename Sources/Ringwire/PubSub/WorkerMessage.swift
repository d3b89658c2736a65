/// What one thread asks a worker to do with connections it owns. Frames travel by reference.
enum WorkerMessage: Sendable {
    /// Queue `frame` on connection `id`.
    case push(ConnectionID, SharedFrame)
    /// Start closing connection `id`.
    case close(ConnectionID, code: WebSocketCloseCode, reason: String)
    /// Queue `frame` on every local subscriber of `topic` (but `excluding`).
    case publish(topic: String, SharedFrame, excluding: ConnectionID?)
    /// Subscribe or unsubscribe connection `id`.
    case subscribe(ConnectionID, topic: String)
    case unsubscribe(ConnectionID, topic: String)
}

/// A connection that frames made elsewhere can be delivered to (a WebSocket session).
protocol FrameRecipient: AnyObject {
    var connectionID: ConnectionID { get }
    /// Topics this connection subscribes to (kept by `WorkerPubSub`).
    var topics: Set<String> { get set }
    /// Queues `frame`, subject to this connection's backpressure policy; false if it was not queued.
    @discardableResult
    func deliver(_ frame: SharedFrame) -> Bool
    /// Starts the close handshake.
    func close(code: WebSocketCloseCode, reason: String)
}
