import Dispatch
import Logging
import Synchronization

@_spi(RingwireInternal) @testable import RingwireTransport

/// A worker running on its own thread, for tests of outbound connections: jobs posted from the test
/// thread run on the worker's thread, in the order posted, through its mailbox. It may also accept
/// clients on one listening socket (which it then owns and closes).
final class RunningWorker: Sendable {
    /// Jobs posted and not yet run (a class, so the thread and the test share it).
    private final class Jobs: Sendable {
        let pending = Mutex<[@Sendable (Worker) -> Void]>([])
    }

    let handle: WorkerHandle
    private let jobs = Jobs()
    private let thread: WorkerThread
    /// Whether `stop()` has joined the thread (it may be called again by a teardown block).
    private let joined = Mutex(false)

    /// A worker accepting on `listeningFD` (if any) with sessions from `makeClientSession`.
    init(
        listeningFD: Int32? = nil,
        makeClientSession: @escaping @Sendable (Connection) -> any ConnectionSession = { _ in fatalError("no listeners") }
    ) {
        let handle = WorkerHandle(index: 0, maxConnections: 64)
        self.handle = handle
        let jobs = self.jobs
        let started = DispatchSemaphore(value: 0)
        thread = WorkerThread.spawn(name: "test-worker") { [jobs] in
            let settings = WorkerSettings(
                index: 0, role: .ownSockets, listening: listeningFD.map { [.init(listenerIndex: 0, fd: $0)] } ?? [], ringEntries: 256,
                receiveBufferCount: 64,
                receiveBufferSize: 16384, maxConnections: 64, lingerMilliseconds: 1000,
                shutdownGraceMilliseconds: 5000, idleMemoryReleaseMilliseconds: nil, logger: Logger(label: "RunningWorker"))
            // Made on its own thread: the ring accepts submissions from its creator only.
            guard let worker = try? Worker(settings: settings, directory: [handle], makeSession: { makeClientSession($1) })
            else {
                started.signal()
                return
            }
            worker.onMailbox = { [unowned worker] in
                let due = jobs.pending.withLock { pending in
                    defer { pending = [] }
                    return pending
                }
                for job in due { job(worker) }
            }
            started.signal()
            worker.run()
        }
        started.wait()
    }

    /// Runs `job` on the worker's thread at its next loop turn.
    func post(_ job: @escaping @Sendable (Worker) -> Void) {
        jobs.pending.withLock { $0.append(job) }
        handle.signalMailbox()
    }

    /// Asks for a graceful stop (the worker drains, then its thread ends).
    func requestStop() {
        handle.stopRequested.store(true, ordering: .releasing)
        handle.wake()
    }

    /// Asks for a graceful stop and waits for the thread to end.
    func stop() {
        requestStop()
        joined.withLock { joined in
            if !joined { thread.join() }
            joined = true
        }
    }
}

/// Values handed from the worker thread to the test thread, which waits for them without sleeping.
final class Handoff<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    private let arrived = DispatchSemaphore(value: 0)

    func put(_ value: Value) {
        values.withLock { $0.append(value) }
        arrived.signal()
    }

    /// Waits until `count` values arrived in all (10 s at most); all values so far.
    func wait(for count: Int) -> [Value] {
        while values.withLock({ $0.count }) < count {
            if arrived.wait(timeout: .now() + 10) == .timedOut { break }
        }
        return values.withLock { $0 }
    }
}

/// Something only the worker thread touches, carried by jobs posted from the test thread.
final class WorkerConfined<Value>: @unchecked Sendable {
    var value: Value?
}
