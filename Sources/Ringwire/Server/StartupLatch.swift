import Dispatch
import Synchronization

/// Lets `Server.start()` wait until every worker has set up its ring (or failed to).
final class StartupLatch: Sendable {
    private let results = Mutex<[RingSetupError?]>([])
    private let semaphore = DispatchSemaphore(value: 0)
    private let expected: Int

    init(expected: Int) { self.expected = expected }

    /// Called once by each worker thread.
    func report(_ error: RingSetupError?) {
        results.withLock { $0.append(error) }
        semaphore.signal()
    }

    /// Waits for every report; returns the first failure, if any.
    func wait() -> RingSetupError? {
        for _ in 0..<expected { semaphore.wait() }
        return results.withLock { $0.compactMap { $0 }.first }
    }
}
