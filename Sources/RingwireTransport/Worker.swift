internal import CURing
import Glibc
import Logging

/// One worker thread's event loop: its ring, its receive buffers and every connection it owns.
///
/// Confined to its thread (not `Sendable`); other threads reach it only through its `WorkerHandle`.
/// Each loop turn: submit everything prepared and wait, once; handle every completion; then queue
/// one send per connection that has bytes to go. Nothing on this path takes a lock.
package final class Worker {
    package enum State {
        case running
        /// Graceful stop: no new connections; close when the last connection is gone or at the deadline.
        case draining(until: Int64)
        case stopped
    }

    package let index: Int
    package let settings: WorkerSettings
    package let handle: WorkerHandle
    package let directory: [WorkerHandle]
    let ring: Ring
    let buffers: ProvidedBufferRing
    let outboundPool = OutboundBufferPool()
    package let logger: Logger
    private let makeSession: (_ listenerIndex: Int, _ connection: Connection) -> any ConnectionSession

    @exclusivity(unchecked) package private(set) var now = MonotonicClock.now()
    @exclusivity(unchecked) package private(set) var state = State.running
    @exclusivity(unchecked) package var table: ConnectionTable
    @exclusivity(unchecked) private var deadlines: DeadlineWheel
    /// Entries `deadlines` handed out this turn (kept to reuse its storage).
    @exclusivity(unchecked) private var dueDeadlines: [DeadlineWheel.Entry] = []
    /// The last loop turn that saw a recv or send complete.
    @exclusivity(unchecked) private var lastTraffic: Int64 = 0
    /// Whether buffer memory was given back since the last traffic.
    @exclusivity(unchecked) private var memoryReleased = false
    @exclusivity(unchecked) private var flushQueue: [Connection] = []
    /// Send-queue boxes of connections that went idle, for the next ones with output.
    @exclusivity(unchecked) private var spareSendQueues: [SendQueue] = []
    /// Connections whose multishot recv ended with ENOBUFS; re-armed once buffers are back.
    @exclusivity(unchecked) private var receiveRearmQueue: [Connection] = []
    var acceptors: [AcceptorState] = []
    /// Outbound connects the kernel is working on, by id (see `Worker+Connect.swift`).
    var pendingConnects: [UInt32: PendingConnect] = [:]
    /// The id of the last connect submitted.
    var nextConnectID: UInt32 = 0
    /// Connections in the table that `connect` made (the rest are clients).
    var outboundCount = 0
    /// Actions waiting for their time (see `Worker+Timers.swift`).
    var timers: [WorkerTimer] = []
    /// Lines clients can cause, limited per kind (see `ThrottledLog`).
    @exclusivity(unchecked) private var throttledLog = ThrottledLog()
    /// Where every worker's ring reads its eventfd's counter into (the value is never looked at).
    /// Never freed: a read can still be pending in the kernel after its worker and even its ring are
    /// gone (ring teardown cancels requests asynchronously), so it must land in memory that stays;
    /// workers writing it at once race only on bytes nobody reads.
    nonisolated(unsafe) private static let wakeSink = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    /// Called on this worker's thread when its mailbox was signalled (installed by the server layer).
    package var onMailbox: (() -> Void)?

    /// The worker running on the current thread, if any.
    static var current: Worker? {
        rw_current_worker().map { Unmanaged<Worker>.fromOpaque($0).takeUnretainedValue() }
    }

    /// The index of the worker running on the current thread (of whichever server), if any.
    package static var currentIndex: Int? { current?.index }

    /// Stops a debug build when worker-owned state is used from another thread (the counterpart of
    /// NIO's `assertInEventLoop`); release builds skip the check.
    @inline(__always)
    package func assertConfined(file: StaticString = #fileID, line: UInt = #line) {
        assert(
            rw_current_worker() == Unmanaged.passUnretained(self).toOpaque(),
            "worker \(index)'s connection used from another thread", file: file, line: line)
    }

    package init(settings: WorkerSettings, directory: [WorkerHandle], makeSession: @escaping (Int, Connection) -> any ConnectionSession)
        throws(RingSetupError)
    {
        index = settings.index
        self.settings = settings
        self.directory = directory
        handle = directory[settings.index]
        logger = settings.logger
        self.makeSession = makeSession
        table = ConnectionTable(capacity: settings.maxConnections)
        deadlines = DeadlineWheel(now: now)
        ring = try Ring(entries: settings.ringEntries)
        for (opcode, name) in [
            (IORING_OP_RECV, "IORING_OP_RECV"), (IORING_OP_SEND, "IORING_OP_SEND"),
            (IORING_OP_ACCEPT, "IORING_OP_ACCEPT"), (IORING_OP_ASYNC_CANCEL, "IORING_OP_ASYNC_CANCEL"),
            (IORING_OP_MSG_RING, "IORING_OP_MSG_RING"),
        ] where !ring.supports(opcode) {
            throw .missingFeature(name)
        }
        buffers = try ProvidedBufferRing(on: ring, group: 0, count: settings.receiveBufferCount, size: settings.receiveBufferSize)
        try RingFeatureProbe.checkMultishotReceive(ring: ring, buffers: buffers)
        if ring.setupFlags & UInt32(IORING_SETUP_DEFER_TASKRUN) == 0 {
            settings.logger.notice(
                "worker \(settings.index): kernel refused IORING_SETUP_DEFER_TASKRUN; running with flags 0x\(String(ring.setupFlags, radix: 16))"
            )
        }
        if ring.features & UInt32(IORING_FEAT_NODROP) == 0 {
            settings.logger.warning(
                "worker \(settings.index): kernel lacks IORING_FEAT_NODROP: completions may be lost if the completion queue overflows")
        }
        acceptors = settings.listening.map { AcceptorState(listenerIndex: $0.listenerIndex, fd: $0.fd) }
        handle.ringFD.store(ring.fd, ordering: .releasing)
    }

    /// Runs until the server stops and every connection is closed.
    package func run() {
        rw_set_current_worker(Unmanaged.passUnretained(self).toOpaque())
        defer { rw_set_current_worker(nil) }
        armWakeUp()
        for position in acceptors.indices { armAccept(position) }
        while true {
            if case .stopped = state { break }
            flushWrites()
            rearmStarvedReceives()
            ring.submitAndWait(timeoutNanoseconds: waitTimeout())
            now = MonotonicClock.now()
            ring.drainCompletions { completion in handle(completion) }
            if handle.mailboxSignal.exchange(false, ordering: .acquiringAndReleasing) { onMailbox?() }
            buffers.publish()
            fireDeadlines()
            fireTimers()
            retryPausedAccepts()
            releaseMemoryIfIdle()
            if now >= throttledLog.nextReport { throttledLog.reportSuppressed(now: now, to: logger) }
            checkDrained()
        }
        for position in acceptors.indices { acceptors[position].closeSocket() }
    }

    // MARK: Completions

    private func handle(_ completion: borrowing Completion) {
        guard let tag = OperationTag(userData: completion.userData) else { return }
        switch tag.kind {
        case .receive: handleReceive(completion, tag: tag)
        case .send: handleSend(completion, tag: tag)
        case .accept: handleAccept(completion, position: Int(tag.slot))
        case .handOff: adoptHandedOff(fd: completion.result, listenerIndex: Int(tag.slot))
        case .handOffFailed:
            handOffFailed(
                fd: Int32(tag.slot), listenerIndex: Int(tag.generation & 0xFFFF), target: Int(tag.generation >> 16),
                error: completion.result)
        case .wakeUp: handleWakeUp()
        case .wakeFailed: directory[Int(tag.slot)].wake()
        case .connect: handleConnect(completion, tag: tag)
        case .mailbox, .cancel, .close, .ignored: break
        }
    }

    private func handleReceive(_ completion: borrowing Completion, tag: OperationTag) {
        lastTraffic = now
        memoryReleased = false
        let bufferID = completion.bufferID
        // A buffer always goes back, even when its connection is already gone.
        defer { if let bufferID { buffers.give(bufferID) } }
        guard let connection = table.connection(for: tag) else { return }
        if !completion.hasMore { connection.lifecycle.receiveEnded() }
        let result = completion.result
        let actions: ConnectionLifecycle.Actions
        if result > 0, let bufferID {
            if connection.lifecycle.deliversInput { deliver(buffers.bytes(bufferID, length: Int(result)), to: connection) }
            actions = connection.lifecycle.receiveHandled()
        } else if result == 0 {
            actions = connection.lifecycle.peerFinished(inputHeld: !connection.heldInput.isEmpty)
        } else {
            switch -result {
            case ENOBUFS: actions = connection.lifecycle.bufferShortage()
            case ECANCELED: actions = connection.lifecycle.receiveHandled()
            // ECONNRESET, ETIMEDOUT, EPIPE...: the peer is gone, nothing more can be delivered.
            default: actions = .close
            }
        }
        perform(actions, on: connection)
    }

    /// Hands received bytes to the session, or holds them while reading is paused (a recv completed
    /// before the pause took effect) so nothing is lost and nothing is parsed past the pause.
    private func deliver(_ bytes: UnsafeMutableRawBufferPointer, to connection: Connection) {
        if connection.lifecycle.readingPaused || !connection.heldInput.isEmpty {
            connection.heldInput.append(contentsOf: bytes)
            return
        }
        guard let session = connection.session else { return }
        let consumed = session.received(bytes)
        if consumed < bytes.count, connection.isOpen {
            connection.heldInput.append(contentsOf: bytes[consumed...])
        }
    }

    /// Reading may go on: first the held input, then the held EOF or new recvs.
    package func resumeReading(_ connection: Connection) {
        guard connection.lifecycle.resume() else { return }
        while !connection.heldInput.isEmpty, !connection.lifecycle.readingPaused, connection.isOpen, let session = connection.session {
            var held: [UInt8] = []
            swap(&held, &connection.heldInput)
            let consumed = held.withUnsafeMutableBytes { session.received($0) }
            if consumed < held.count { connection.heldInput = Array(held[consumed...]) }
        }
        perform(connection.lifecycle.heldInputDelivered(), on: connection)
    }

    private func handleSend(_ completion: borrowing Completion, tag: OperationTag) {
        lastTraffic = now
        memoryReleased = false
        guard let connection = table.connection(for: tag), connection.hasPendingOutput else { return }
        let result = completion.result
        let pool = outboundPool
        if result <= 0 {
            // EPIPE/ECONNRESET: the peer is gone; ECANCELED: we are closing.
            connection.withSendQueue { $0.discardInFlight(pool: pool) }
            perform(connection.lifecycle.sendFailed(), on: connection)
            return
        }
        if let rest = connection.withSendQueue({ $0.completeSend(Int(result), pool: pool) }) ?? nil {
            if connection.lifecycle.isClosing {
                connection.withSendQueue { $0.discardInFlight(pool: pool) }
                freeSlotIfIdle(connection)
            } else {
                submit(rest, for: connection)
            }
            return
        }
        releaseSendQueueIfEmpty(connection)
        if connection.hasPendingOutput, connection.lifecycle.acceptsOutput {
            scheduleFlush(connection)
        } else {
            perform(connection.lifecycle.outputDrained(), on: connection)
        }
    }

    private func handleWakeUp() {
        armWakeUp()
        if handle.stopRequested.load(ordering: .acquiring), case .running = state {
            beginDraining()
        }
    }

    // MARK: Submissions

    private func submit(_ request: SendRequest, for connection: Connection) {
        let tag = OperationTag(.send, slot: connection.slot, generation: connection.generation)
        // MSG_WAITALL lets the kernel retry a short send itself; we still continue any remainder.
        let flags = Int32(MSG_NOSIGNAL) | Int32(MSG_WAITALL)
        switch request {
        case .bytes(let bytes): ring.send(fd: connection.fd, bytes: bytes, flags: flags, tag: tag)
        case .message(let message): ring.sendMessage(fd: connection.fd, message: message, flags: flags, tag: tag)
        }
    }

    /// Wakes `target` with a `MSG_RING` from this worker's ring, sent with this turn's submissions;
    /// if that fails, the completion says so and the eventfd is used instead.
    func wakeThroughRing(_ target: WorkerHandle) {
        ring.messageRing(
            targetFD: target.ringFD.load(ordering: .acquiring), result: 0, targetTag: OperationTag(.mailbox),
            tag: OperationTag(.wakeFailed, slot: UInt32(target.index)), skipSuccess: true)
    }

    private func armWakeUp() {
        ring.read(fd: handle.wakeFD, into: Self.wakeSink, count: 8, tag: OperationTag(.wakeUp))
    }

    /// Gives `connection` a send queue (a spare one if there is).
    func makeSendQueue(for connection: Connection) {
        connection.attach(spareSendQueues.popLast() ?? SendQueue())
    }

    /// Takes back the send queue of a connection that has nothing left to send.
    private func releaseSendQueueIfEmpty(_ connection: Connection) {
        guard connection.withSendQueue({ $0.isEmpty }) == true, let detached = connection.detachSendQueue() else { return }
        if spareSendQueues.count < Self.maximumSpareSendQueues { spareSendQueues.append(detached) }
    }

    /// Spare send queues kept at most (about 100 bytes each).
    static let maximumSpareSendQueues = 4096

    /// Queues `connection` to have its written bytes sent at the end of this loop turn.
    func scheduleFlush(_ connection: Connection) {
        guard !connection.flushPending else { return }
        connection.flushPending = true
        flushQueue.append(connection)
    }

    private func flushWrites() {
        guard !flushQueue.isEmpty else { return }
        for connection in flushQueue {
            connection.flushPending = false
            if connection.lifecycle.isClosing { continue }
            if let request = connection.withSendQueue({ $0.startSend() }) ?? nil { submit(request, for: connection) }
        }
        flushQueue.removeAll(keepingCapacity: true)
    }

    /// Connections whose recv ran out of buffers get them again, now that the last turn's are back.
    private func rearmStarvedReceives() {
        guard !receiveRearmQueue.isEmpty else { return }
        for connection in receiveRearmQueue { perform(connection.lifecycle.buffersReturned(), on: connection) }
        receiveRearmQueue.removeAll(keepingCapacity: true)
    }

    // MARK: Connection lifecycle

    /// Starts serving a freshly accepted socket.
    func adopt(fd: Int32, listenerIndex: Int) {
        guard let connection = table.insert(fd: fd, worker: self) else {
            log(.connectionRefused, .warning, "worker \(index): connection table full (\(settings.maxConnections)); refusing a connection")
            Glibc.close(fd)
            handle.load.subtract(1, ordering: .relaxed)
            return
        }
        let session = serve(connection) { makeSession(listenerIndex, $0) }
        if case .draining = state { session.shutdownRequested() }
    }

    /// Starts serving a connection just put in the table with the session `makeSession` builds.
    @discardableResult
    func serve(_ connection: Connection, with makeSession: (Connection) -> any ConnectionSession) -> any ConnectionSession {
        handle.setOpen(true, slot: connection.slot, generation: connection.generation)
        let session = makeSession(connection)
        connection.session = session
        session.start()
        perform(connection.lifecycle.started(), on: connection)
        return session
    }

    /// Our side is done writing: shut down the write half and discard input until the peer's EOF
    /// (or the linger deadline), then close; or, with output still queued, first send it.
    func finishGracefully(_ connection: Connection) {
        perform(connection.lifecycle.startGracefulClose(hasPendingOutput: connection.hasPendingOutput), on: connection)
    }

    /// Closes at once: cancels outstanding operations, and frees the slot when they have completed.
    package func close(_ connection: Connection) {
        guard !connection.lifecycle.isClosing else { return }
        connection.withSendQueue { $0.discardQueued(pool: outboundPool) }
        releaseSendQueueIfEmpty(connection)
        perform(connection.lifecycle.close(isSending: connection.isSending), on: connection)
    }

    /// Carries out what a `ConnectionLifecycle` event decided. Most events on the per-message path
    /// decide nothing, so that check is inlined at the call.
    @inline(__always)
    func perform(_ actions: ConnectionLifecycle.Actions, on connection: Connection) {
        if !actions.isEmpty { carryOut(actions, on: connection) }
    }

    /// The actions in a fixed order: what other threads see, then submissions, then the session's
    /// callbacks (which may close), then closing.
    private func carryOut(_ actions: ConnectionLifecycle.Actions, on connection: Connection) {
        if actions.contains(.markNotOpen) { handle.setOpen(false, slot: connection.slot, generation: connection.generation) }
        if actions.contains(.cancelReceive) {
            ring.cancel(OperationTag(.receive, slot: connection.slot, generation: connection.generation), tag: OperationTag(.cancel))
        }
        if actions.contains(.cancelOperations) { ring.cancelAll(fd: connection.fd, tag: OperationTag(.cancel)) }
        if actions.contains(.shutdownWriteSide) {
            // A direct syscall, not IORING_OP_SHUTDOWN: that one runs later on an io-wq thread, by which
            // time this descriptor may be closed and reused by a new connection (seen: strangers' FINs).
            shutdown(connection.fd, Int32(SHUT_WR))
            connection.setTimeout(milliseconds: settings.lingerMilliseconds)
        }
        if actions.contains(.armReceive) {
            ring.receiveMultishot(
                fd: connection.fd, group: buffers.group,
                tag: OperationTag(.receive, slot: connection.slot, generation: connection.generation))
        }
        if actions.contains(.awaitBuffers) { receiveRearmQueue.append(connection) }
        if actions.contains(.reportPeerFinished) { connection.session?.peerFinished() }
        if actions.contains(.reportDeadline) { connection.session?.deadlinePassed() }
        if actions.contains(.reportDrained) { connection.session?.drained() }
        if actions.contains(.reportClosed), let session = connection.session {
            connection.session = nil
            session.closed()
        }
        if actions.contains(.close) { close(connection) }
        if actions.contains(.freeSlotIfIdle) { freeSlotIfIdle(connection) }
    }

    /// Frees a closing connection's slot once the kernel holds nothing of it any more.
    private func freeSlotIfIdle(_ connection: Connection) {
        guard connection.lifecycle.canFreeSlot(isSending: connection.isSending), table.remove(connection) else { return }
        // `close` already dropped what was queued, and a closing connection takes no more writes.
        releaseSendQueueIfEmpty(connection)
        ring.close(fd: connection.fd, tag: OperationTag(.close))
        if connection.isOutbound {
            outboundCount -= 1
        } else {
            handle.load.subtract(1, ordering: .relaxed)
        }
    }

    /// Logs a line a client can cause, within its kind's allowance (see `ThrottledLog`).
    package func log(_ kind: ThrottledLog.Kind, _ level: Logger.Level, _ message: @autoclosure () -> Logger.Message) {
        throttledLog.log(kind, level, now: now, to: logger, message())
    }

    // MARK: Timers

    /// Makes sure the loop looks at `connection` by its deadline. An entry that comes due earlier
    /// serves: the deadline is checked again then (see `DeadlineWheel`).
    func scheduleDeadline(of connection: Connection) {
        let tick = deadlines.tick(for: connection.deadline)
        guard connection.scheduledTick == 0 || tick < connection.scheduledTick else { return }
        connection.scheduledTick = tick
        deadlines.schedule(DeadlineWheel.Entry(slot: connection.slot, tick: tick))
    }

    /// Times out the connections whose deadline has passed (timeouts fire up to one 50 ms tick late).
    private func fireDeadlines() {
        deadlines.takeDue(now: now, into: &dueDeadlines)
        guard !dueDeadlines.isEmpty else { return }
        for entry in dueDeadlines {
            // Skipped: a slot emptied since, or an entry left behind when the deadline moved earlier.
            guard let connection = table.connection(inSlot: entry.slot), connection.scheduledTick == entry.tick else { continue }
            connection.scheduledTick = 0
            if connection.deadline == .max { continue }
            guard connection.deadline <= now else {
                scheduleDeadline(of: connection)
                continue
            }
            connection.setTimeout(milliseconds: nil)
            perform(connection.lifecycle.deadlinePassed(), on: connection)
        }
        dueDeadlines.removeAll(keepingCapacity: true)
    }

    /// Gives receive-buffer pages and pooled send buffers back once the worker has been quiet for
    /// `idleMemoryReleaseMilliseconds` (only with DEFER_TASKRUN, where no recv can be filling a
    /// buffer meanwhile).
    private func releaseMemoryIfIdle() {
        guard !memoryReleased, let delay = releaseDelay, now - lastTraffic >= delay else { return }
        memoryReleased = true
        buffers.releaseMemory()
        outboundPool.trim()
        spareSendQueues.removeAll()
        // Whole pages freed inside the heap (a burst of handshakes leaves them) go back too.
        if Self.heapIsGlibcs { malloc_trim(0) }
    }

    /// Whether glibc's allocator serves this process (the `malloc` every library calls is libc's),
    /// so `malloc_trim` applies. Allocators that replace it (the sanitizers', jemalloc...) leave
    /// glibc's arenas unset: under ThreadSanitizer and AddressSanitizer `malloc_trim` crashed a
    /// worker of the binary that idled long enough to trim (`scripts/sanitizers`).
    private static let heapIsGlibcs: Bool = {
        guard let libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD) else { return false }
        defer { dlclose(libc) }
        return dlsym(nil, "malloc") == dlsym(libc, "malloc")
    }()

    private var releaseDelay: Int64? {
        ring.setupFlags & UInt32(IORING_SETUP_DEFER_TASKRUN) != 0 ? settings.idleMemoryReleaseMilliseconds : nil
    }

    private func waitTimeout() -> Int64 {
        var until = deadlines.nextDue() ?? .max
        if !memoryReleased, let delay = releaseDelay { until = min(until, lastTraffic + delay) }
        if case .draining(let deadline) = state { until = min(until, deadline) }
        if let retry = nextAcceptRetry() { until = min(until, retry) }
        if let timer = nextTimer() { until = min(until, timer) }
        let milliseconds = min(max(until - MonotonicClock.now(), 1), 1000)
        return milliseconds * 1_000_000
    }

    // MARK: Graceful stop

    private func beginDraining() {
        state = .draining(until: now + settings.shutdownGraceMilliseconds)
        stopAccepting()
        cancelPendingConnects()
        let current = table
        current.forEach { connection in
            if connection.isOpen, !connection.isOutbound { connection.session?.shutdownRequested() }
        }
    }

    private func checkDrained() {
        guard case .draining(let deadline) = state else { return }
        closeOutboundIfClientsGone()
        if table.count == 0, pendingConnects.isEmpty {
            state = .stopped
        } else if now >= deadline, table.count > 0 {
            logger.notice("worker \(index): grace period over, closing \(table.count) connection(s)")
            let current = table
            current.forEach { close($0) }
            if table.count == 0, pendingConnects.isEmpty { state = .stopped }
        }
    }
}
