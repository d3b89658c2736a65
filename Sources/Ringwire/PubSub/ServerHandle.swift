@_spi(RingwireInternal) import RingwireCodecs

/// Reaches any connection and topic of a running server from any thread, including Swift async
/// code: pushes, closes, publishes (Swoole's `push`/`disconnect`/`exist` and pub/sub).
///
/// Every call returns at once. A message for a connection goes to the worker that owns it alone
/// (the id names it), through that worker's lock-free mailbox; order is kept per sending thread and
/// connection. A publish is framed once and its bytes shared by every recipient (compressed at most
/// once per worker for recipients that take shared compressed frames).
public struct ServerHandle: Sendable {
    let messenger: Messenger

    /// Sends a text message to connection `id`. Returns false (and does nothing) if it is not open.
    @discardableResult
    public func send(to id: ConnectionID, text: String) -> Bool {
        guard messenger.isOpen(id) else { return false }
        messenger.route(.push(id, PublishedMessage.text(text)), to: id)
        return true
    }

    /// Sends a binary message to connection `id`. Returns false (and does nothing) if it is not open.
    @discardableResult
    public func send(to id: ConnectionID, binary: [UInt8]) -> Bool {
        guard messenger.isOpen(id) else { return false }
        messenger.route(.push(id, binary.withUnsafeBytes { PublishedMessage(.binary, $0) }), to: id)
        return true
    }

    /// Starts closing connection `id` with `code`. Returns false if it is not open.
    @discardableResult
    public func close(_ id: ConnectionID, code: WebSocketCloseCode = .normalClosure, reason: String = "") -> Bool {
        guard messenger.isOpen(id) else { return false }
        messenger.route(.close(id, code: code, reason: reason), to: id)
        return true
    }

    /// Whether connection `id` is open (it may close right after the answer).
    public func isOpen(_ id: ConnectionID) -> Bool {
        messenger.isOpen(id)
    }

    /// Subscribes connection `id` to `topic`. Returns false if it is not open.
    @discardableResult
    public func subscribe(_ id: ConnectionID, to topic: String) -> Bool {
        guard messenger.isOpen(id) else { return false }
        messenger.route(.subscribe(id, topic: topic), to: id)
        return true
    }

    /// Unsubscribes connection `id` from `topic`. Returns false if it is not open.
    @discardableResult
    public func unsubscribe(_ id: ConnectionID, from topic: String) -> Bool {
        guard messenger.isOpen(id) else { return false }
        messenger.route(.unsubscribe(id, topic: topic), to: id)
        return true
    }

    /// Sends a text message to every subscriber of `topic` on every worker.
    public func publish(_ topic: String, text: String) {
        messenger.publish(PublishedMessage.text(text), to: topic, excluding: nil)
    }

    /// Sends a binary message to every subscriber of `topic` on every worker.
    public func publish(_ topic: String, binary: [UInt8]) {
        messenger.publish(binary.withUnsafeBytes { PublishedMessage(.binary, $0) }, to: topic, excluding: nil)
    }

    /// Open connections per worker (index = worker); each count may be a moment old.
    public func connectionCounts() -> [Int] {
        messenger.handles.map { $0.load.load(ordering: .relaxed) }
    }

    /// Open connections over all workers.
    public var connectionCount: Int { connectionCounts().reduce(0, +) }
}
