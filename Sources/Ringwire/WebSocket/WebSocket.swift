@_spi(RingwireInternal) import RingwireCodecs

/// One open WebSocket connection, as handler calls see it.
///
/// Lent to each handler call (`borrowing`) and non-copyable, so it cannot outlive the call: it can
/// be neither stored nor captured by an escaping closure, which is what keeps it from pointing at a
/// connection that has gone. To reach the connection later, or from another thread, keep its `id`
/// and use `server` (`ServerHandle.send(to:)`, `close`, `isOpen`). Sending during `onClose` (or
/// after `close`) is a no-op that returns `.dropped`.
public struct WebSocket<Handler: WebSocketHandler>: ~Copyable {
    // Unmanaged: the handle only lives during a handler call, while its session is alive on the
    // owning worker, so it borrows the session without reference counting; `unowned` or a strong
    // reference would cost atomic operations on every message. Through `WebSocketSessionReference`,
    // as the handle cannot carry the session's connection type: one indirect call per operation.
    private let reference: Unmanaged<WebSocketSessionReference<Handler>>

    init(session: WebSocketSessionReference<Handler>) {
        reference = .passUnretained(session)
    }

    /// Runs `body` with the session borrowed (no retain/release).
    @inline(__always)
    private func withSession<Result>(_ body: (WebSocketSessionReference<Handler>) -> Result) -> Result {
        reference._withUnsafeGuaranteedRef { session in
            // Only in debug builds: through the vtable, even an empty check would cost a call.
            #if DEBUG
            session.assertConfined()
            #endif
            return body(session)
        }
    }

    var session: WebSocketSessionReference<Handler> {
        let session = reference.takeUnretainedValue()
        #if DEBUG
        session.assertConfined()
        #endif
        return session
    }

    /// This connection's id, valid on any thread and never reused.
    public var id: ConnectionID { withSession { $0.connectionID } }

    /// The per-connection state created by `upgrade`.
    public var state: Handler.State {
        get { session.state }
        nonmutating set { session.state = newValue }
    }

    /// The subprotocol agreed in the handshake, if any.
    public var subprotocol: String? { session.subprotocol }

    /// Bytes queued for this connection that the kernel has not taken yet.
    public var bufferedAmount: Int { withSession { $0.bufferedAmount } }

    /// Whether messages can still be sent (no close sent or received).
    public var isOpen: Bool { withSession { $0.isOpen } }

    /// Sends a text message.
    @discardableResult
    public func send(text: String) -> WebSocketSendResult {
        var text = text
        return text.withUTF8 { bytes in withSession { $0.send(.text, UnsafeRawBufferPointer(bytes)) } }
    }

    /// Sends a text message whose bytes are already valid UTF-8 (not checked).
    @discardableResult
    public func send(textBytes bytes: UnsafeRawBufferPointer) -> WebSocketSendResult {
        withSession { $0.send(.text, bytes) }
    }

    /// Sends a binary message.
    @discardableResult
    public func send(binary bytes: UnsafeRawBufferPointer) -> WebSocketSendResult {
        withSession { $0.send(.binary, bytes) }
    }

    /// Sends a binary message.
    @discardableResult
    public func send(binary bytes: [UInt8]) -> WebSocketSendResult {
        bytes.withUnsafeBytes { bytes in withSession { $0.send(.binary, bytes) } }
    }

    /// Sends a ping (at most 125 bytes of payload), under the same backpressure policy as messages:
    /// a handler pinging a client that does not read cannot grow its queue without bound.
    @discardableResult
    public func ping(_ payload: [UInt8] = []) -> WebSocketSendResult {
        payload.withUnsafeBytes { bytes in withSession { $0.ping(bytes) } }
    }

    /// Subscribes this connection to `topic`; it leaves all its topics when it closes.
    public func subscribe(_ topic: String) {
        session.context.pubsub.subscribe(session.recipient, to: topic)
    }

    /// Unsubscribes this connection from `topic`.
    public func unsubscribe(_ topic: String) {
        session.context.pubsub.unsubscribe(session.recipient, from: topic)
    }

    /// The topics this connection subscribes to.
    public var topics: Set<String> { session.topics }

    /// Sends a text message to every subscriber of `topic` on every worker (this connection too
    /// if it subscribes, unless `excludingSelf`). The message is framed once and shared; where
    /// subscribers agreed to permessage-deflate without server context takeover (e.g. the shared
    /// compressor), it is compressed once per worker for all of them.
    public func publish(_ topic: String, text: String, excludingSelf: Bool = false) {
        session.context.pubsub.publish(PublishedMessage.text(text), to: topic, excluding: excludingSelf ? id : nil)
    }

    /// Sends a binary message to every subscriber of `topic` on every worker.
    public func publish(_ topic: String, binary bytes: UnsafeRawBufferPointer, excludingSelf: Bool = false) {
        session.context.pubsub.publish(PublishedMessage(.binary, bytes), to: topic, excluding: excludingSelf ? id : nil)
    }

    /// The server, for pushes to other connections and publishes from any thread.
    public var server: ServerHandle { ServerHandle(messenger: session.context.pubsub.messenger) }

    /// Starts the close handshake with `code` and `reason` (truncated to fit a control frame).
    public func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") {
        session.close(code: code, reason: reason)
    }
}
