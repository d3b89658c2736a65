@_spi(RingwireInternal) import RingwireCodecs

/// What a `WebSocket` handle reaches of its session: the session without its connection's type,
/// which the public handle cannot carry (`WebSocketSession<Connection, Handler>` is generic over it
/// so the embedded harness can drive it). `WebSocketSession` is its only subclass and overrides
/// every operation.
///
/// A class, not a protocol: the handle borrows it through `Unmanaged` and calls it through its
/// vtable, one indirect call per operation. A protocol existential would cost a retain and release
/// per use, or, kept unretained with a metatype, a witness-table lookup (`swift_getWitnessTable`)
/// each time a handler is called, since the session's conformance is generic.
///
/// Confined to the worker that owns the connection.
class WebSocketSessionReference<Handler: WebSocketHandler> {
    /// The per-connection state created by the handler's `upgrade`.
    @exclusivity(unchecked) final var state: Handler.State
    /// unowned(unsafe): the worker's context outlives every session on that worker.
    final unowned(unsafe) let context: WorkerContext

    init(state: Handler.State, context: WorkerContext) {
        self.state = state
        self.context = context
    }

    /// The connection's id, valid on any thread and never reused.
    var connectionID: ConnectionID { overriddenBySession() }
    /// The subprotocol agreed in the handshake, if any.
    var subprotocol: String? { overriddenBySession() }
    /// Bytes queued for the connection that the kernel has not taken yet.
    var bufferedAmount: Int { overriddenBySession() }
    /// Whether messages can still be sent (no close sent or received).
    var isOpen: Bool { overriddenBySession() }
    /// The topics the connection subscribes to.
    var topics: Set<String> { overriddenBySession() }
    /// The session as pub/sub takes it.
    var recipient: any FrameRecipient { overriddenBySession() }

    /// Sends a data message under the backpressure policy.
    func send(_ kind: WebSocketMessageKind, _ payload: UnsafeRawBufferPointer) -> WebSocketSendResult { overriddenBySession() }
    /// Sends a ping the handler asked for, under the backpressure policy.
    func ping(_ payload: UnsafeRawBufferPointer) -> WebSocketSendResult { overriddenBySession() }
    /// Starts the close handshake.
    func close(code: WebSocketCloseCode, reason: String) { overriddenBySession() }
    /// Stops a debug build when the session is reached from another thread.
    func assertConfined() { overriddenBySession() }

    private func overriddenBySession() -> Never {
        fatalError("WebSocketSession overrides every operation of WebSocketSessionReference")
    }
}
