@_spi(RingwireInternal) import RingwireCodecs
@_spi(RingwireInternal) import RingwireTransport

/// Speaks WebSocket on one connection after the handshake: reads frames, answers pings and closes,
/// inflates and validates messages, calls the handler, and frames (and compresses) what it sends.
///
/// Confined to the worker that owns the connection. Generic over the handler so its calls are direct,
/// and over the connection so the embedded harness can drive it; the per-message entry points are
/// specialized for the transport's `Connection` (`@_specialize`), so production calls it directly
/// whatever the handler.
final class WebSocketSession<Connection: SessionConnection, Handler: WebSocketHandler>:
    WebSocketSessionReference<Handler>, ConnectionSession, FrameRecipient
{
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
    private let settings: WebSocketRouteSettings
    // Strong: the connection drops its session when it closes, which ends this cycle; a `let` of
    // `self` is borrowed without reference counting on the per-message path.
    private let connection: Connection
    @exclusivity(unchecked) private var reader: WebSocketMessageReader
    @exclusivity(unchecked) private var phase = Phase.open
    /// Subprotocol, deflate state and topics; nil for the plain connection (most), which then
    /// holds one pointer instead of five fields.
    @exclusivity(unchecked) private var extras: WebSocketExtras?
    /// A ping went out because the peer was silent; any frame from it clears this.
    @exclusivity(unchecked) private var awaitingPong = false
    /// The send queue went over `maxBackpressure` (or a message was dropped): call `onDrain` when empty.
    @exclusivity(unchecked) private var backpressured = false
    /// Pongs queued since the send queue last drained. Past `maximumQueuedPongs`, pings wait for the
    /// drain and only the latest is answered (RFC 6455 §5.5.3 allows it), so a client that pings
    /// without reading holds a few pongs in the queue and one payload in `extras`.
    @exclusivity(unchecked) private var pongsQueued: UInt8 = 0
    /// A burst of pings from a well-behaved client (Autobahn sends ten) is answered ping by ping;
    /// 16 pongs are at most 2 KiB.
    private static var maximumQueuedPongs: UInt8 { 16 }
    /// Topics this connection subscribes to (kept in `extras`, created on the first subscription).
    override var topics: Set<String> {
        get { extras?.topics ?? [] }
        set { madeExtras.topics = newValue }
    }
    /// `extras`, created for a plain connection when it first needs one.
    private var madeExtras: WebSocketExtras {
        if let extras { return extras }
        let box = WebSocketExtras(subprotocol: nil, deflate: nil, settings: settings, context: context)
        extras = box
        return box
    }
    override var subprotocol: String? { extras?.subprotocol }
    /// How published messages may reach this connection compressed (see `SharedCompression`).
    var sharedCompression: SharedCompression? { extras?.sharedCompression }

    init(
        handler: Handler, state: Handler.State, subprotocol: String?, settings: WebSocketRouteSettings,
        deflate: PerMessageDeflateParameters?, connection: Connection, context: WorkerContext
    ) {
        self.handler = handler
        self.settings = settings
        self.connection = connection
        let configuration = settings.configuration
        reader = WebSocketMessageReader(limits: configuration.limits, allowsRSV1: deflate != nil)
        extras =
            subprotocol == nil && deflate == nil
            ? nil : WebSocketExtras(subprotocol: subprotocol, deflate: deflate, settings: settings, context: context)
        super.init(state: state, context: context)
    }

    override var connectionID: ConnectionID { connection.id }
    /// Debug builds stop when a handle reaches this session from another thread.
    @inline(__always)
    override func assertConfined() { connection.assertConfined() }
    override var bufferedAmount: Int { connection.bufferedAmount }
    override var isOpen: Bool { if case .open = phase { connection.isOpen } else { false } }
    override var recipient: any FrameRecipient { self }
    private var socket: WebSocket<Handler> { WebSocket(session: self) }

    // MARK: ConnectionSession

    func start() {
        connection.setTimeout(milliseconds: settings.idleTimeout)
        context.pubsub.register(self)
        handler.onOpen(socket)
    }

    @_specialize(exported:false,kind:partial,where Connection == RingwireTransport.Connection)
    func received(_ bytes: UnsafeMutableRawBufferPointer) -> Int {
        var input = bytes
        if awaitingPong || settings.idleTimeout != nil { heardFromPeer() }
        // Reading never pauses here: data sends have their backpressure policy, and pongs are
        // coalesced (`answerPing`), so nothing a peer sends grows the queue without bound.
        while connection.isOpen {
            switch reader.next(&input, budget: context.messageBufferBudget) {
            case .needMoreData:
                if let rule = settings.messageProgress { watchMessageProgress(rule) }
                return bytes.count
            case .message(let kind, let payload, let compressed):
                // A partial message completed: a next one is watched from its own start.
                if let extras, extras.progressCheckAt != .max { extras.progressCheckAt = .max }
                guard case .open = phase else { continue }
                if compressed {
                    deliverCompressed(kind, payload)
                } else {
                    handler.onMessage(socket, WebSocketMessage(kind: kind, bytes: payload))
                }
            case .ping(let payload):
                answerPing(payload)
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

    func deadlinePassed() {
        switch phase {
        case .open:
            if let extras, extras.progressCheckAt != .max, let rule = settings.messageProgress {
                let now = connection.now
                if extras.progressCheckAt <= now {
                    guard messageKeptComing(extras, rule: rule, now: now) else { return }
                }
                // The check's deadline stood in front of the idle one: whichever comes next.
                let idleAt = settings.idleTimeout.map { extras.lastHeard + $0 } ?? .max
                let next = min(idleAt, extras.progressCheckAt)
                if next > now {
                    connection.setTimeout(milliseconds: next == .max ? nil : next - now)
                    return
                }
            }
            // Without an idle timeout, only a progress check sets deadlines.
            guard settings.idleTimeout != nil else { return }
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

    @_specialize(exported:false,kind:partial,where Connection == RingwireTransport.Connection)
    func drained() {
        pongsQueued = 0
        if let extras, extras.hasPendingPong {
            extras.hasPendingPong = false
            extras.pendingPong.withUnsafeBytes { answerPing($0) }
        }
        guard backpressured else { return }
        backpressured = false
        if case .open = phase { handler.onDrain(socket) }
    }

    func peerFinished() {
        report(code: .abnormalClosure, reason: "connection closed without a close frame")
        connection.closeAfterFlush()
    }

    func shutdownRequested() {
        close(code: .goingAway, reason: "server shutting down")
    }

    func closed() {
        report(code: .abnormalClosure, reason: "connection lost")
    }

    // MARK: Sending

    @_specialize(exported:false,kind:partial,where Connection == RingwireTransport.Connection)
    override func send(_ kind: WebSocketMessageKind, _ payload: UnsafeRawBufferPointer) -> WebSocketSendResult {
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
    @_specialize(exported:false,kind:partial,where Connection == RingwireTransport.Connection)
    func deliver(_ frame: SharedFrame) -> Bool {
        guard admitsMessage() else { return false }
        connection.write(frame)
        _ = resultAfterQueuing()
        return true
    }

    /// A ping the handler asked for: admitted like a data message.
    @_specialize(exported:false,kind:partial,where Connection == RingwireTransport.Connection)
    override func ping(_ payload: UnsafeRawBufferPointer) -> WebSocketSendResult {
        guard admitsMessage() else { return .dropped }
        writeFrame(.ping, UnsafeRawBufferPointer(rebasing: payload.prefix(125)), rsv1: false)
        return resultAfterQueuing()
    }

    /// Whether a data message may be queued now; applies the backpressure policy when the queue is
    /// already over `maxBackpressure`. One message may take the queue over the limit, never two.
    /// Inlined (like the other per-message helpers below) into the specialized entry points: a
    /// private generic helper is not specialized with them, and would reach the connection through
    /// its protocol witnesses.
    @inline(__always)
    private func admitsMessage() -> Bool {
        guard case .open = phase, connection.isOpen else { return false }
        guard connection.bufferedAmount > settings.maxBackpressure else { return true }
        return admitsOverLimit()
    }

    /// The queue is over `maxBackpressure`: the policy decides (rare, hence not inlined).
    private func admitsOverLimit() -> Bool {
        backpressured = true
        switch settings.backpressurePolicy {
        case .dropNewMessages:
            return false
        case .close(let code):
            connection.log(
                .webSocketPolicyClose, .notice,
                "connection \(connection.id): send queue over \(settings.maxBackpressure) bytes; closing with \(code.rawValue)")
            close(code: code, reason: "send queue full")
            return false
        }
    }

    @inline(__always)
    private func resultAfterQueuing() -> WebSocketSendResult {
        guard connection.bufferedAmount > settings.maxBackpressure else { return .queued }
        backpressured = true
        return .queuedOverLimit
    }

    /// Answers a ping now, or, when enough pongs are queued, once the queue drains (see `pongsQueued`).
    @_specialize(exported:false,kind:partial,where Connection == RingwireTransport.Connection)
    private func answerPing(_ payload: UnsafeRawBufferPointer) {
        guard case .open = phase else { return }
        guard pongsQueued < Self.maximumQueuedPongs else {
            let extras = madeExtras
            extras.pendingPong.removeAll(keepingCapacity: true)
            extras.pendingPong.append(contentsOf: payload.prefix(125))
            extras.hasPendingPong = true
            return
        }
        pongsQueued += 1
        sendControl(.pong, payload)
    }

    /// Queues a control frame the session itself owes (pongs, bounded by `maximumQueuedPongs`; one
    /// idle ping at a time); never refused by the backpressure policy.
    private func sendControl(_ opcode: WebSocketOpcode, _ payload: UnsafeRawBufferPointer) {
        guard case .open = phase else { return }
        writeFrame(opcode, UnsafeRawBufferPointer(rebasing: payload.prefix(125)), rsv1: false)
    }

    /// Starts the close handshake; the connection closes when the peer answers or at the close timeout.
    override func close(code: WebSocketCloseCode, reason: String) {
        guard case .open = phase, connection.isOpen else { return }
        writeClose(code, reason: reason)
        phase = .closeSent
        connection.setTimeout(milliseconds: settings.closeTimeout)
    }

    @inline(__always)
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

    /// Starts watching a message that is now incomplete, or stops once none is
    /// (`WebSocketConfiguration.minimumMessageProgress`); the check's deadline goes in front of the
    /// idle one.
    @_specialize(exported:false,kind:partial,where Connection == RingwireTransport.Connection)
    private func watchMessageProgress(_ rule: (bytes: Int, interval: Int64)) {
        guard case .open = phase else { return }
        let now = connection.now
        if let partial = reader.partialMessageBytes {
            let extras = madeExtras
            if extras.progressCheckAt == .max {
                extras.progressCheckAt = now + rule.interval
                extras.progressMark = partial
            }
            extras.lastHeard = now
            if extras.progressCheckAt < connection.deadline { connection.setTimeout(milliseconds: extras.progressCheckAt - now) }
        } else if let extras, extras.progressCheckAt != .max {
            extras.progressCheckAt = .max
            connection.setTimeout(milliseconds: settings.idleTimeout)
        }
    }

    /// At a progress check: whether the incomplete message grew enough since the last one; if not,
    /// the connection is failed with 1008.
    private func messageKeptComing(_ extras: WebSocketExtras, rule: (bytes: Int, interval: Int64), now: Int64) -> Bool {
        guard let partial = reader.partialMessageBytes else {
            extras.progressCheckAt = .max
            return true
        }
        guard partial - extras.progressMark >= rule.bytes else {
            fail(.policyViolation, reason: "message arriving too slowly")
            return false
        }
        extras.progressMark = partial
        extras.progressCheckAt = now + rule.interval
        return true
    }

    @inline(__always)
    private func heardFromPeer() {
        awaitingPong = false
        if case .open = phase { connection.setTimeout(milliseconds: settings.idleTimeout) }
    }

    @_specialize(exported:false,kind:partial,where Connection == RingwireTransport.Connection)
    private func deliverCompressed(_ kind: WebSocketMessageKind, _ payload: UnsafeRawBufferPointer) {
        guard let decompressor = extras?.decompressor else {
            return fail(.protocolError, reason: "compressed frame without permessage-deflate")
        }
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

    /// A protocol violation or a limit passed: send the close code it calls for and close.
    private func fail(_ code: WebSocketCloseCode, reason: String) {
        let kind: ThrottledLog.Kind = code == .policyViolation || code == .tryAgainLater ? .webSocketPolicyClose : .webSocketViolation
        connection.log(kind, .notice, "connection \(connection.id): closing with \(code.rawValue): \(reason)")
        if case .open = phase { writeClose(code, reason: reason) }
        report(code: code, reason: reason)
        connection.closeAfterFlush()
    }

    /// Tells the handler once that the connection is closed.
    private func report(code: WebSocketCloseCode?, reason: String) {
        if case .closed = phase { return }
        phase = .closed
        reader.stop()
        context.pubsub.unregister(self)
        if !topics.isEmpty { context.pubsub.unsubscribeAll(self) }
        handler.onClose(socket, code: code, reason: reason)
    }
}
