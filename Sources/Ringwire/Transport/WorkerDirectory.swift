internal import CShims
import Glibc
import Synchronization

/// What other threads may know about and do to one worker. Everything here is atomic or immutable,
/// which is why it is `Sendable`; the worker's own state never leaves its thread.
final class WorkerHandle: Sendable {
    let index: Int
    /// Connections this worker owns (including ones handed to it and not yet adopted); the acceptor
    /// reads it to pick the least-loaded worker.
    let load = Atomic<Int>(0)
    /// The worker's ring fd, the target of `MSG_RING` hand-offs; -1 until the ring exists.
    let ringFD = Atomic<Int32>(-1)
    /// Set by `Server.stop()`; the worker notices on its next wake-up.
    let stopRequested = Atomic<Bool>(false)
    /// Written by other threads to wake the worker's ring from any context (no ring needed).
    let wakeFD: Int32

    init(index: Int) {
        self.index = index
        wakeFD = eventfd(0, Int32(EFD_CLOEXEC))
    }

    deinit { close(wakeFD) }

    /// Wakes the worker up; safe from any thread, including signal handlers' helper threads.
    func wake() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, 8)
    }
}
