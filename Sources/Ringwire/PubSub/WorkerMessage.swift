@_spi(RingwireInternal) import RingwireTransport

/// What one thread asks a worker to do with connections it owns. Messages travel by reference.
enum WorkerMessage: Sendable {
    /// Send `message` to connection `id`.
    case push(ConnectionID, PublishedMessage)
    /// Start closing connection `id`.
    case close(ConnectionID, code: WebSocketCloseCode, reason: String)
    /// Send `message` to every local subscriber of `topic` (but `excluding`).
    case publish(topic: String, PublishedMessage, excluding: ConnectionID?)
    /// Subscribe or unsubscribe connection `id`.
    case subscribe(ConnectionID, topic: String)
    case unsubscribe(ConnectionID, topic: String)
}

/// How a connection takes published messages compressed: with permessage-deflate and
/// `server_no_context_takeover` agreed, a message compressed on its own (no history) is valid for
/// every such connection whose window is at least as large, so one compression serves them all.
struct SharedCompression: Hashable {
    /// The connection's `server_max_window_bits`.
    let windowBits: Int
    /// Payloads smaller than this go uncompressed.
    let minimumSize: Int
}

/// A connection that messages from elsewhere can be delivered to (a WebSocket session).
protocol FrameRecipient: AnyObject {
    var connectionID: ConnectionID { get }
    /// Topics this connection subscribes to (kept by `WorkerPubSub`).
    var topics: Set<String> { get set }
    /// How this connection takes shared compressed frames; nil to get them uncompressed.
    var sharedCompression: SharedCompression? { get }
    /// Queues a published frame (shared by reference), subject to this connection's backpressure
    /// policy; false if it was not queued.
    @discardableResult
    func deliver(_ frame: SharedFrame) -> Bool
    /// Sends a message pushed to this connection alone, as its own `send` would (compressed with
    /// its own compressor where agreed).
    @discardableResult
    func deliver(_ message: PublishedMessage) -> Bool
    /// Starts the close handshake.
    func close(code: WebSocketCloseCode, reason: String)
}
