@_spi(RingwireInternal) import RingwireCodecs

/// What a `WebSocket` handle reaches of its session: the session's type without its connection's,
/// which the public handle cannot carry (`WebSocketSession<Connection, Handler>` is generic over
/// it so the embedded harness can drive it). The handle keeps the session unretained and its type
/// as a metatype of this protocol (`borrow`): one indirect call per handle operation.
///
/// Confined to the worker that owns the connection.
protocol WebSocketSessionReference<Handler>: FrameRecipient {
    associatedtype Handler: WebSocketHandler
    /// The per-connection state created by the handler's `upgrade`.
    var state: Handler.State { get set }
    /// The subprotocol agreed in the handshake, if any.
    var subprotocol: String? { get }
    /// Bytes queued for the connection that the kernel has not taken yet.
    var bufferedAmount: Int { get }
    /// Whether messages can still be sent (no close sent or received).
    var isOpen: Bool { get }
    /// The worker's shared state (pub/sub).
    var context: WorkerContext { get }
    /// Sends a data message under the backpressure policy.
    func send(_ kind: WebSocketMessageKind, _ payload: UnsafeRawBufferPointer) -> WebSocketSendResult
    /// Sends a ping the handler asked for, under the backpressure policy.
    func ping(_ payload: UnsafeRawBufferPointer) -> WebSocketSendResult
    /// Stops a debug build when the session is reached from another thread.
    func assertConfined()
}

extension WebSocketSessionReference {
    /// Runs `body` with `object`, a session of this type, borrowed: no reference counting, which a
    /// stored existential reference would cost on every use.
    @inline(__always)
    static func borrow<Result>(_ object: Unmanaged<AnyObject>, _ body: (Self) -> Result) -> Result {
        object._withUnsafeGuaranteedRef { body(unsafeDowncast($0, to: Self.self)) }
    }
}
