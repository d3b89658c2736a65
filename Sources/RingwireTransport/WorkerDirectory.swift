internal import CURing
import Glibc
import Synchronization

/// What other threads may know about and do to one worker. Everything here is atomic or immutable,
/// which is why it is `Sendable` (unchecked only because the liveness table is a raw allocation of
/// atomics); the worker's own state never leaves its thread.
package final class WorkerHandle: @unchecked Sendable {
    package let index: Int
    /// Connections this worker owns (including ones handed to it and not yet adopted); the acceptor
    /// reads it to pick the least-loaded worker.
    package let load = Atomic<Int>(0)
    /// The worker's ring fd, the target of `MSG_RING` hand-offs; -1 until the ring exists.
    let ringFD = Atomic<Int32>(-1)
    /// Set by `Server.stop()`; the worker notices on its next wake-up.
    package let stopRequested = Atomic<Bool>(false)
    /// Written by other threads to wake the worker's ring from any context (no ring needed).
    let wakeFD: Int32
    /// Set when messages were pushed to the worker's mailbox since it last looked; whoever flips it
    /// from false to true wakes the worker, so a burst of pushes costs one wake-up.
    let mailboxSignal = Atomic<Bool>(false)
    /// Per connection slot: its generation + 1 while the connection is open, 0 otherwise, so any
    /// thread can ask whether a `ConnectionID` is still open without asking the worker.
    private let liveGenerations: UnsafeMutablePointer<Atomic<UInt32>>
    private let slotCapacity: Int

    package init(index: Int, maxConnections: Int) {
        self.index = index
        wakeFD = eventfd(0, Int32(EFD_CLOEXEC))
        slotCapacity = maxConnections
        // Zeroed memory is a table of Atomic(0) (a plain integer underneath); calloc'd pages are only
        // touched as slots are used, so a large connection limit costs nothing up front.
        guard let table = calloc(maxConnections, MemoryLayout<Atomic<UInt32>>.stride) else {
            fatalError("out of memory allocating a \(maxConnections)-slot liveness table")
        }
        liveGenerations = table.bindMemory(to: Atomic<UInt32>.self, capacity: maxConnections)
    }

    deinit {
        close(wakeFD)
        free(liveGenerations)
    }

    /// Whether the connection in `slot` with `generation` is open.
    package func isOpen(slot: UInt32, generation: UInt32) -> Bool {
        guard Int(slot) < slotCapacity else { return false }
        return liveGenerations[Int(slot)].load(ordering: .acquiring) == generation &+ 1
    }

    /// Called by the owning worker when a connection opens or stops being open.
    func setOpen(_ open: Bool, slot: UInt32, generation: UInt32) {
        guard Int(slot) < slotCapacity else { return }
        liveGenerations[Int(slot)].store(open ? generation &+ 1 : 0, ordering: .releasing)
    }

    /// Tells the worker it has mail. The first signal since the worker last looked wakes it: with
    /// `MSG_RING` from the current thread's own worker ring (batched with that worker's submissions),
    /// or through the eventfd from any other thread.
    package func signalMailbox() {
        guard !mailboxSignal.exchange(true, ordering: .acquiringAndReleasing) else { return }
        if let current = Worker.current {
            if current.handle !== self { current.wakeThroughRing(self) }
        } else {
            wake()
        }
    }

    /// Wakes the worker up; safe from any thread, including signal handlers' helper threads.
    package func wake() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, 8)
    }
}
