internal import CURing
import Glibc

/// One accepted socket and what the worker knows about it.
///
/// Confined to the worker that accepted it: sessions call `write`, `close…` and set `deadline` only
/// from that worker's thread (debug builds assert it: `Worker.assertConfined`). Its hot fields (like the worker's and the sessions') skip Swift's
/// dynamic exclusivity check (`@exclusivity(unchecked)`): one thread touches them, never through
/// overlapping accesses, and the check's thread-local bookkeeping showed up on every message.
///
/// Memory: this object (88 bytes, a 96-byte heap block) and its session; a send queue only while bytes are
/// queued or in flight; nothing on the read side between recvs (the provided buffer ring serves them).
@_spi(RingwireInternal) public final class Connection {
    // Fields are ordered small to large so they pack tightly (memory per idle connection matters).
    package let slot: UInt32
    package let generation: UInt32
    package let fd: Int32
    /// Phase and receive state (4 bytes); changed only through its events, by the worker.
    @usableFromInline @exclusivity(unchecked) var lifecycle = ConnectionLifecycle()
    /// Waiting on the worker's list of connections to flush at the end of the loop turn.
    @exclusivity(unchecked) var flushPending = false
    /// Made by `Worker.connect` rather than accepted: not client load, no `shutdownRequested`. (In
    /// the padding after `flushPending`: the object stays 88 bytes.)
    package internal(set) var isOutbound = false
    /// The tick of this connection's live entry in the worker's `DeadlineWheel`; 0 for none. (Fits
    /// in the padding before `worker`: the object stays 88 bytes.)
    @exclusivity(unchecked) var scheduledTick: UInt32 = 0
    /// Strong: the worker drops a connection from its table when it closes (ending this cycle), and
    /// a `let` of `self` is borrowed without reference counting on the per-message path.
    package let worker: Worker
    @exclusivity(unchecked) package var session: (any ConnectionSession)?
    /// Absolute monotonic milliseconds at which `deadlinePassed` is called; `.max` for none.
    @exclusivity(unchecked) package private(set) var deadline = Int64.max
    /// Pending output; nil while nothing is queued or in flight (see `SendQueue`). Held as an
    /// `Unmanaged` (retained once when attached) so the per-message path borrows it instead of
    /// retaining and releasing it for every write.
    @usableFromInline @exclusivity(unchecked) var pendingOutput: Unmanaged<SendQueue>?
    /// Input received but not consumed because reading was paused; handed over first on resume.
    /// Empty (no allocation) except while a client is being held back.
    @exclusivity(unchecked) var heldInput: [UInt8] = []

    package init(slot: UInt32, generation: UInt32, fd: Int32, worker: Worker) {
        self.slot = slot
        self.generation = generation
        self.fd = fd
        self.worker = worker
    }

    // Public (SPI) and inlinable: sessions in the module above ask it (and `bufferedAmount`) for
    // every message sent, and Swift 6.3 serializes the body of an `@inlinable` declaration that is
    // public, not of a `package` one, so only these inline across the module boundary.
    @inlinable @inline(__always) public var isOpen: Bool { lifecycle.isOpen }

    /// Bytes queued but not yet taken by the kernel.
    @inlinable @inline(__always) public var bufferedAmount: Int { pendingOutput?._withUnsafeGuaranteedRef { $0.queue.bufferedBytes } ?? 0 }

    /// Whether bytes are queued or being sent.
    var hasPendingOutput: Bool { pendingOutput != nil }

    /// Whether the kernel is sending bytes of this connection (their memory must stay put).
    var isSending: Bool { pendingOutput?._withUnsafeGuaranteedRef { $0.queue.isSending } ?? false }

    /// Runs `body` on the send queue, if there is one, borrowing it (no reference counting).
    func withSendQueue<Result>(_ body: (inout OutboundQueue) -> Result) -> Result? {
        pendingOutput?._withUnsafeGuaranteedRef { body(&$0.queue) }
    }

    /// Gives the connection a send queue.
    func attach(_ queue: SendQueue) {
        pendingOutput = .passRetained(queue)
    }

    /// Takes the send queue away (to be reused by another connection).
    func detachSendQueue() -> SendQueue? {
        defer { pendingOutput = nil }
        return pendingOutput?.takeRetainedValue()
    }

    deinit { pendingOutput?.release() }

    /// Sets the deadline `milliseconds` from the current loop turn (nil clears it).
    package func setTimeout(milliseconds: Int64?) {
        worker.assertConfined()
        guard let milliseconds else {
            deadline = .max
            return
        }
        deadline = worker.now + milliseconds
        worker.scheduleDeadline(of: self)
    }

    /// Replaces the session (after a protocol upgrade) and starts the new one.
    package func switchSession(to next: any ConnectionSession) {
        session = next
        next.start()
    }

    /// Stops handling input until `resumeReading()`: the kernel's socket buffer then fills and TCP
    /// flow control slows the peer down.
    package func pauseReading() {
        worker.assertConfined()
        worker.perform(lifecycle.pause(), on: self)
    }

    /// Hands over the input held during the pause, then reads again.
    package func resumeReading() {
        worker.assertConfined()
        worker.resumeReading(self)
    }

    /// Stops reading and closes once everything written has been sent.
    package func closeAfterFlush() {
        worker.assertConfined()
        guard isOpen else { return }
        worker.finishGracefully(self)
    }

    /// Closes at once, dropping anything not yet sent.
    package func closeNow() {
        worker.assertConfined()
        worker.close(self)
    }
}

// The session layer declares the `ByteWriter` conformance these methods fulfil.
extension Connection {
    /// Queues bytes to send; they leave in one send per loop turn with everything else written.
    public func write(_ bytes: UnsafeRawBufferPointer) {
        write(bytes, UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// Queues two runs of bytes back to back (a frame header and its payload) with one capacity
    /// check and one flush registration.
    package func write(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) {
        worker.assertConfined()
        guard lifecycle.acceptsOutput else { return }
        guard first.count + second.count > 0 else { return }
        if pendingOutput == nil { worker.makeSendQueue(for: self) }
        let appended = pendingOutput.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.queue.appendIfRoom(first, second) }
        if !appended {
            pendingOutput.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.queue.write(first, second, pool: worker.outboundPool) }
        }
        if !flushPending { worker.scheduleFlush(self) }
    }

    /// Queues a frame shared with other connections, by reference.
    package func write(_ frame: SharedFrame) {
        worker.assertConfined()
        guard lifecycle.acceptsOutput else { return }
        if pendingOutput == nil { worker.makeSendQueue(for: self) }
        pendingOutput.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.queue.append(frame) }
        if !flushPending { worker.scheduleFlush(self) }
    }
}
