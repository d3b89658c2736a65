internal import CURing
import Synchronization

/// One worker's object, held where any thread can see it (a server-wide table) but opened only on
/// that worker's own thread: code that runs on an unknown thread asks for it and gets it exactly
/// when it runs on the owner, typed, with no cast.
///
/// The owner is the worker itself, not its index, so worker 0 of one server never opens worker 0's
/// object of another server in the same process.
package final class WorkerLocal<Value: AnyObject>: @unchecked Sendable {
    /// The owning worker's address, 0 until `install`. Atomic because other threads compare against
    /// it while the owner may still be installing (a worker can serve before its peers are set up).
    private let owner = Atomic<UInt>(0)
    // Written by the owning thread before it publishes `owner`, then read only by that thread: the
    // identity check in `onCurrentThread` is what makes the unchecked `Sendable` safe.
    private var value: Value?

    package init() {}

    /// Makes `value` this worker's; called on the worker's own thread before it serves.
    package func install(_ value: Value, on worker: Worker) {
        self.value = value
        owner.store(UInt(bitPattern: Unmanaged.passUnretained(worker).toOpaque()), ordering: .releasing)
    }

    /// The value when the current thread is the owning worker's, else nil.
    @inline(__always)
    package var onCurrentThread: Value? {
        guard let current = rw_current_worker(), owner.load(ordering: .acquiring) == UInt(bitPattern: current) else { return nil }
        return value
    }
}
