/// Speaks WebSocket on one connection after the handshake: reads frames, answers pings and closes,
/// inflates and validates messages, calls the handler, and frames (and compresses) what it sends.
///
/// Confined to the worker that owns the connection. Generic over the handler so its calls are direct.
final class WebSocketSession<Handler: WebSocketHandler>: ConnectionSession, FrameRecipient {
    /// The close handshake, from this side's point of view.
    enum Phase {
        /// Messages flow both ways.
        case open
        /// We sent a close frame and wait (up to the close timeout) for the peer's.
        case closeSent
        /// The handshake is over (or the connection failed); the handler has been told.
        case closed
    }

    let handler: Handler
    @exclusivity(unchecked) var state: Handler.State
    private let settings: WebSocketRouteSettings
    // Strong: the connection drops its session when it closes, which ends this cycle; a `let` of
    // `self` is borrowed without reference counting on the per-message path.
    private let connection: Connection
    /// unowned(unsafe): the worker's context outlives every session on that worker.
    unowned(unsafe) let context: WorkerContext
    @exclusivity(unchecked) private var reader: WebSocketMessageReader
    @exclusivity(unchecked) private var phase = Phase.open
    /// Subprotocol, deflate state and topics; nil for the plain connection (most), which then
    /// holds one pointer instead of five fields.
    @exclusivity(unchecked) private var extras: WebSocketExtras?
    /// A ping went out because the peer was silent; any frame from it clears this.
    @exclusivity(unchecked) private var awaitingPong = false
    /// The send queue went over `maxBackpressure` (or a message was dropped): call `onDrain` when empty.
    @exclusivity(unchecked) private var backpressured = false
    /// Topics this connection subscribes to (kept in `extras`, created on the first subscription).
    var topics: Set<String> {
        get { extras?.topics ?? [] }
        set {
            let box = extras ?? WebSocketExtras(subprotocol: nil, deflate: nil, settings: settings, context: context)
            extras = box
            box.topics = newValue
        }
    }
    var subprotocol: String? { extras?.subprotocol }
    /// How published messages may reach this connection compressed (see `SharedCompression`).
    var sharedCompression: SharedCompression? { extras?.sharedCompression }

    init(handler: Handler, state: Handler.State, subprotocol: String?, settings: WebSocketRouteSettings,
         deflate: PerMessageDeflateParameters?, connection: Connection, context: WorkerContext) {
        self.handler = handler
        self.state = state
        self.settings = settings
        self.connection = connection
        self.context = context
        let configuration = settings.configuration
        reader = WebSocketMessageReader(limits: configuration.limits, allowsRSV1: deflate != nil)
        extras = subprotocol == nil && deflate == nil
            ? nil : WebSocketExtras(subprotocol: subprotocol, deflate: deflate, settings: settings, context: context)
    }

    var connectionID: ConnectionID { connection.id }
    var bufferedAmount: Int { connection.bufferedAmount }
    var isOpen: Bool { if case .open = phase { connection.isOpen } else { false } }
    private var socket: WebSocket<Handler> { WebSocket(session: self) }

    // MARK: ConnectionSession

    func start(on connection: Connection) {
        connection.setTimeout(milliseconds: settings.idleTimeout)
        handler.onOpen(socket)
    }

    func received(_ bytes: UnsafeMutableRawBufferPointer, on connection: Connection) -> Int {
        var input = bytes
        if awaitingPong || settings.idleTimeout != nil { heardFromPeer() }
        // Reading never pauses here (send-side backpressure has its own policy): all is consumed.
        while connection.isOpen {
            switch reader.next(&input) {
            case .needMoreData:
                return bytes.count
            case .message(let kind, let payload, let compressed):
                guard case .open = phase else { continue }
                if compressed {
                    deliverCompressed(kind, payload)
                } else {
                    handler.onMessage(socket, WebSocketMessage(kind: kind, bytes: payload))
                }
            case .ping(let payload):
                sendControl(.pong, payload)
                if settings.deliversPings, case .open = phase { handler.onPing(socket, payload) }
            case .pong(let payload):
                if case .open = phase { handler.onPong(socket, payload) }
            case .close(let code, let reason):
                peerClosed(code: code, reason: reason)
                return bytes.count
            case .failure(let code, let reason):
                fail(code, reason: reason)
                return bytes.count
            }
        }
        return bytes.count
    }

    func deadlinePassed(on connection: Connection) {
        switch phase {
        case .open:
            if settings.sendsPings && !awaitingPong {
                awaitingPong = true
                sendControl(.ping, UnsafeRawBufferPointer(start: nil, count: 0))
                connection.setTimeout(milliseconds: settings.idleTimeout)
            } else {
                close(code: .goingAway, reason: "idle timeout")
            }
        case .closeSent:
            report(code: .abnormalClosure, reason: "close handshake timed out")
            connection.closeNow()
        case .closed:
            break
        }
    }

    func drained(on connection: Connection) {
        guard backpressured else { return }
        backpressured = false
        if case .open = phase { handler.onDrain(socket) }
    }

    func peerFinished(on connection: Connection) {
        report(code: .abnormalClosure, reason: "connection closed without a close frame")
        connection.closeAfterFlush()
    }

    func shutdownRequested(on connection: Connection) {
        close(code: .goingAway, reason: "server shutting down")
    }

    func closed(on connection: Connection) {
        report(code: .abnormalClosure, reason: "connection lost")
    }

    // MARK: Sending

    func send(_ kind: WebSocketMessageKind, _ payload: UnsafeRawBufferPointer) -> WebSocketSendResult {
        guard admitsMessage() else { return .dropped }
        let opcode: WebSocketOpcode = kind == .text ? .text : .binary
        if let compressor = extras?.compressor, payload.count >= settings.minimumSizeToCompress {
            context.deflateScratch.removeAll(keepingCapacity: true)
            compressor.compress(payload, to: &context.deflateScratch)
            context.deflateScratch.withUnsafeBytes { writeFrame(opcode, $0, rsv1: true) }
        } else {
            writeFrame(opcode, payload, rsv1: false)
        }
        return resultAfterQueuing()
    }

    /// Sends a message pushed from elsewhere exactly as `send` would.
    @discardableResult
    func deliver(_ message: PublishedMessage) -> Bool {
        send(message.kind, message.payload) != .dropped
    }

    /// Queues a frame made elsewhere (a publish), under the same backpressure policy.
    @discardableResult
    func deliver(_ frame: SharedFrame) -> Bool {
        guard admitsMessage() else { return false }
        connection.write(frame)
        _ = resultAfterQueuing()
        return true
    }

    /// Whether a data message may be queued now; applies the backpressure policy when the queue is
    /// already over `maxBackpressure`. One message may take the queue over the limit, never two.
    private func admitsMessage() -> Bool {
        guard case .open = phase, connection.isOpen else { return false }
        let maxBackpressure = settings.maxBackpressure
        guard connection.bufferedAmount > maxBackpressure else { return true }
        backpressured = true
        switch settings.backpressurePolicy {
        case .dropNewMessages:
            return false
        case .close(let code):
            connection.worker.logger.notice("connection \(connection.id): send queue over \(maxBackpressure) bytes; closing with \(code.rawValue)")
            close(code: code, reason: "send queue full")
            return false
        }
    }

    private func resultAfterQueuing() -> WebSocketSendResult {
        guard connection.bufferedAmount > settings.maxBackpressure else { return .queued }
        backpressured = true
        return .queuedOverLimit
    }

    /// Queues a control frame; never refused by the backpressure policy.
    func sendControl(_ opcode: WebSocketOpcode, _ payload: UnsafeRawBufferPointer) {
        guard case .open = phase else { return }
        writeFrame(opcode, UnsafeRawBufferPointer(rebasing: payload.prefix(125)), rsv1: false)
    }

    /// Starts the close handshake; the connection closes when the peer answers or at the close timeout.
    func close(code: WebSocketCloseCode, reason: String) {
        guard case .open = phase, connection.isOpen else { return }
        writeClose(code, reason: reason)
        phase = .closeSent
        connection.setTimeout(milliseconds: settings.closeTimeout)
    }

    private func writeFrame(_ opcode: WebSocketOpcode, _ payload: UnsafeRawBufferPointer, rsv1: Bool) {
        let connection = self.connection
        withUnsafeTemporaryAllocation(byteCount: WebSocketFrameEncoder.maxHeaderSize, alignment: 1) { header in
            let size = WebSocketFrameEncoder.encodeHeader(
                opcode: opcode, payloadLength: payload.count, fin: true, rsv1: rsv1, into: header.baseAddress!)
            connection.write(UnsafeRawBufferPointer(rebasing: header[..<size]), payload)
        }
    }

    private func writeClose(_ code: WebSocketCloseCode?, reason: String) {
        var writer = connection
        WebSocketFrameEncoder.writeClose(code: code, reason: reason, to: &writer)
    }

    // MARK: Receiving

    private func heardFromPeer() {
        awaitingPong = false
        if case .open = phase { connection.setTimeout(milliseconds: settings.idleTimeout) }
    }

    private func deliverCompressed(_ kind: WebSocketMessageKind, _ payload: UnsafeRawBufferPointer) {
        guard let decompressor = extras?.decompressor else { return fail(.protocolError, reason: "compressed frame without permessage-deflate") }
        context.inflateScratch.removeAll(keepingCapacity: true)
        do {
            try decompressor.decompress(payload, maxMessageSize: settings.maxMessageSize, into: &context.inflateScratch)
        } catch {
            return fail(WebSocketCloseCode(rawValue: error.closeCodeValue), reason: error.closeReason)
        }
        context.inflateScratch.withUnsafeBytes { message in
            if kind == .text && !UTF8Validator.isValid(message) {
                fail(.invalidPayloadData, reason: "invalid UTF-8")
                return
            }
            handler.onMessage(socket, WebSocketMessage(kind: kind, bytes: message))
        }
    }

    /// The peer's close frame: answer it (if we had not started the handshake) and close the TCP
    /// connection once our frames are out; the server closes first, as RFC 6455 recommends.
    private func peerClosed(code: WebSocketCloseCode?, reason: String) {
        if case .open = phase { writeClose(code, reason: "") }
        report(code: code, reason: reason)
        connection.closeAfterFlush()
    }

    /// A protocol violation: send the close code it calls for and close.
    private func fail(_ code: WebSocketCloseCode, reason: String) {
        if case .open = phase { writeClose(code, reason: reason) }
        report(code: code, reason: reason)
        connection.closeAfterFlush()
    }

    /// Tells the handler once that the connection is closed.
    private func report(code: WebSocketCloseCode?, reason: String) {
        if case .closed = phase { return }
        phase = .closed
        if !topics.isEmpty { context.pubsub.unsubscribeAll(self) }
        handler.onClose(socket, code: code, reason: reason)
    }
}
