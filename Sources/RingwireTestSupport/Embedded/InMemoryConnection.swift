import Logging
import Ringwire
@_spi(RingwireInternal) import RingwireCodecs
@_spi(RingwireInternal) import RingwireTransport
import Synchronization

/// Ringwire's `EmbeddedChannel`: a connection that lives in memory, with a clock that moves only
/// when the test says so. A test makes one serving a `Listener` (the session is the one the server
/// would start), feeds it bytes, advances time, and reads what the session wrote; it plays the
/// kernel too (`drain()` takes queued bytes) and the peer (`peerFinished()`).
///
/// It behaves as the worker's `Connection` does towards its session: input is held while reading is
/// paused and handed over on resume, a close after flush waits for the queue to drain, a deadline
/// fires once when its time is reached (exactly, where the worker's wheel may be up to a tick late).
/// Confined to the test's thread, like a connection to its worker's.
package final class InMemoryConnection: SessionConnection {
    /// Where the connection is in its life (the worker's lifecycle, without lingering: the harness
    /// has no socket to shut down).
    package enum State: Equatable {
        case open
        /// `closeAfterFlush` came while bytes were queued: closes once `drain()` takes them.
        case closingAfterFlush
        /// Closed after everything written was sent (`closeAfterFlush`).
        case closedAfterFlush
        /// Closed at once (`closeNow`).
        case closedNow
    }

    /// A line the session logged.
    package struct LogLine {
        package let kind: ThrottledLog.Kind
        package let level: Logger.Level
        package let message: String
    }

    package let id: ConnectionID
    package let context: WorkerContext
    package private(set) var now: Int64
    package private(set) var deadline = Int64.max
    package private(set) var state = State.open
    package private(set) var session: (any ConnectionSession)?
    package private(set) var isReadingPaused = false
    /// Bytes written that the kernel has not taken yet (`drain()` takes them).
    package private(set) var bufferedAmount = 0
    package private(set) var logged: [LogLine] = []
    /// Everything the session wrote that the test has not taken.
    private var written: [UInt8] = []
    /// Input fed while reading was paused, or left unconsumed by the session.
    private var heldInput: [UInt8] = []
    private var peerFinishedWhileHeld = false
    /// Slots for ids, so connections of one test have distinct ids (pub/sub excludes by id).
    private static let nextSlot = Atomic<UInt32>(0)

    /// A connection accepted on `listener`, at time `now` (monotonic milliseconds), its session started.
    package convenience init(serving listener: Listener, context: WorkerContext = .standalone(), now: Int64 = 1_000_000) {
        self.init(context: context, now: now) { listener.makeSession(on: $0, context: context) }
    }

    /// A connection serving the session `makeSession` builds (a client session, say), started.
    package init(
        context: WorkerContext = .standalone(), now: Int64 = 1_000_000,
        makeSession: (InMemoryConnection) -> any ConnectionSession
    ) {
        id = ConnectionID(worker: 0, slot: Self.nextSlot.add(1, ordering: .relaxed).newValue, generation: 1)
        self.context = context
        self.now = now
        let session = makeSession(self)
        self.session = session
        session.start()
        settle()
    }

    package var isOpen: Bool { state == .open }
    /// Whether the connection closed (after flush or at once).
    package var isClosed: Bool { state == .closedAfterFlush || state == .closedNow }

    // MARK: The test's side

    /// The peer sent `bytes`.
    package func feed(_ bytes: [UInt8]) {
        guard isOpen else { return }
        if isReadingPaused || !heldInput.isEmpty {
            heldInput += bytes
        } else {
            deliver(bytes)
        }
        settle()
    }

    package func feed(_ text: String) { feed(Array(text.utf8)) }

    /// Time passes: each deadline reached on the way fires at its own time.
    package func advance(by duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let target = now + seconds * 1000 + attoseconds / 1_000_000_000_000_000
        while deadline <= target {
            now = max(now, deadline)
            deadline = .max
            switch state {
            case .open: session?.deadlinePassed()
            case .closingAfterFlush: closeNow()
            case .closedAfterFlush, .closedNow: break
            }
        }
        now = target
        settle()
    }

    /// Takes everything the session wrote since the last take, drained or not (what `closeNow`
    /// drops of the queue stays here: the harness keeps no send queue apart from these bytes).
    package func takeWritten() -> [UInt8] {
        defer { written = [] }
        return written
    }

    /// Takes the complete WebSocket frames the session wrote (a partial one stays).
    package func takeFrames() -> [ServerFrame] {
        var frames: [ServerFrame] = []
        while let frame = ServerFrame.parse(&written) { frames.append(frame) }
        return frames
    }

    /// Takes the complete HTTP responses the session wrote (a partial one stays).
    package func takeResponses(headRequest: Bool = false) -> [TestResponse] {
        var responses: [TestResponse] = []
        while let response = TestResponse.parse(&written, headRequest: headRequest, atEndOfStream: isClosed) {
            responses.append(response)
        }
        return responses
    }

    /// The kernel took every queued byte: the session hears `drained` (or a close after flush completes).
    package func drain() {
        guard bufferedAmount > 0 else { return }
        bufferedAmount = 0
        switch state {
        case .open: session?.drained()
        case .closingAfterFlush: state = .closedAfterFlush
        case .closedAfterFlush, .closedNow: break
        }
        settle()
    }

    /// The peer will send nothing more (EOF).
    package func peerFinished() {
        guard isOpen else { return }
        if isReadingPaused || !heldInput.isEmpty {
            peerFinishedWhileHeld = true
        } else {
            session?.peerFinished()
        }
        settle()
    }

    /// The server is shutting down gracefully.
    package func shutdownRequested() {
        guard isOpen else { return }
        session?.shutdownRequested()
        settle()
    }

    /// Hands `bytes` to the session and holds what it did not consume.
    private func deliver(_ bytes: [UInt8]) {
        guard let session else { return }
        var input = bytes
        let consumed = input.withUnsafeMutableBytes { session.received($0) }
        if consumed < input.count, isOpen { heldInput = Array(input[consumed...]) }
    }

    /// A connection that closed after flush tells its session, as the worker does once the socket is gone.
    private func settle() {
        guard state == .closedAfterFlush, let session else { return }
        self.session = nil
        session.closed()
    }

    // MARK: SessionConnection

    package func setTimeout(milliseconds: Int64?) {
        deadline = milliseconds.map { now + $0 } ?? .max
    }

    package func write(_ bytes: UnsafeRawBufferPointer) {
        write(bytes, UnsafeRawBufferPointer(start: nil, count: 0))
    }

    package func write(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) {
        guard state == .open || state == .closingAfterFlush else { return }
        written += first
        written += second
        bufferedAmount += first.count + second.count
    }

    package func write(_ frame: SharedFrame) {
        write(frame.bytes)
    }

    package func pauseReading() {
        isReadingPaused = true
    }

    package func resumeReading() {
        guard isReadingPaused else { return }
        isReadingPaused = false
        while !heldInput.isEmpty, !isReadingPaused, isOpen {
            var held: [UInt8] = []
            swap(&held, &heldInput)
            deliver(held)
        }
        guard !isReadingPaused, isOpen, peerFinishedWhileHeld else { return }
        peerFinishedWhileHeld = false
        session?.peerFinished()
    }

    package func closeAfterFlush() {
        guard isOpen else { return }
        state = bufferedAmount > 0 ? .closingAfterFlush : .closedAfterFlush
    }

    package func closeNow() {
        guard !isClosed else { return }
        state = .closedNow
        bufferedAmount = 0
        guard let session else { return }
        self.session = nil
        session.closed()
    }

    package func switchSession(to next: any ConnectionSession) {
        session = next
        next.start()
    }

    package func log(_ kind: ThrottledLog.Kind, _ level: Logger.Level, _ message: @autoclosure () -> Logger.Message) {
        logged.append(LogLine(kind: kind, level: level, message: message().description))
    }

    /// The harness runs on the test's thread only.
    package func assertConfined() {}
}
