internal import CURing
import Glibc

/// A plain POSIX thread for a worker: the event loop owns it for its whole life, so it is neither a
/// Swift concurrency executor nor a Dispatch queue.
package struct WorkerThread: Sendable {
    private final class Body {
        package let run: @Sendable () -> Void
        package init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    private let thread: pthread_t

    /// Starts `body` on a new thread named `name` (visible in `top -H` and `perf`).
    package static func spawn(name: String, _ body: @escaping @Sendable () -> Void) -> WorkerThread {
        let threadName = String(name.prefix(15))
        let context = Unmanaged.passRetained(
            Body {
                rw_set_current_thread_name(threadName)
                body()
            }
        ).toOpaque()
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { context in
                guard let context else { return nil }
                let body = Unmanaged<Body>.fromOpaque(context).takeRetainedValue()
                body.run()
                return nil
            }, context)
        precondition(result == 0, "pthread_create failed: \(result)")
        return WorkerThread(thread: thread)
    }

    /// Waits for the thread to finish.
    package func join() {
        pthread_join(thread, nil)
    }
}
