import Glibc
import Logging
@_spi(RingwireInternal) import RingwireCodecs
@_spi(RingwireInternal) import RingwireTransport
import Synchronization

/// A Ringwire server: several listeners served by `workers` io_uring event loops.
///
/// ```swift
/// var http = Listener(name: "http", port: 9501)
/// http.get("/health") { _ in HTTPResponse(text: "ok") }
/// let server = Server(configuration: ServerConfiguration(listeners: [http]))
/// try server.start()
/// server.wait()
/// ```
/// `start`, `stop`, `wait` and `port(of:)` may be called from any thread.
public final class Server: Sendable {
    /// The configuration the server was created with.
    public let configuration: ServerConfiguration

    private enum State {
        case idle
        /// `start()` is binding and launching; a second `start()` is refused meanwhile.
        case starting
        case running(Running)
        case stopped
    }

    private struct Running {
        let workers: WorkerGroup
        let messenger: Messenger
        let ports: [String: Int]
    }

    /// The worker threads, joined once however many callers wait for them.
    private final class WorkerGroup: Sendable {
        private let threads: Mutex<[WorkerThread]?>
        init(_ threads: [WorkerThread]) { self.threads = Mutex(threads) }

        /// Returns when every worker has finished; a second caller blocks until the first is done.
        func joinAll() {
            threads.withLock { threads in
                threads?.forEach { $0.join() }
                threads = nil
            }
        }
    }

    private let state = Mutex<State>(.idle)

    /// A server for `configuration`; nothing is bound until `start()`.
    public init(configuration: ServerConfiguration) {
        self.configuration = configuration
    }

    /// Binds every listener and starts the workers; returns once all of them serve.
    ///
    /// Throws with the listener and the cause named (port in use, io_uring unavailable and how to
    /// enable it...). Nothing stays bound or running after a failure.
    public func start() throws(ServerError) {
        let configuration = configuration
        try configuration.validate()
        let claimed = state.withLock { state -> Bool in
            guard case .idle = state else { return false }
            state = .starting
            return true
        }
        guard claimed else { throw .alreadyStarted }
        do throws(ServerError) {
            let running = try launch(configuration)
            state.withLock { $0 = .running(running) }
            let summary = configuration.listeners.map {
                "\($0.name) \($0.kind.rawValue) on \($0.host):\(running.ports[$0.name] ?? $0.port)"
            }
            configuration.logger.info(
                "serving \(summary.joined(separator: ", ")) with \(configuration.workers) worker(s), \(configuration.distribution.rawValue)"
            )
        } catch {
            state.withLock { $0 = .idle }
            throw error
        }
    }

    /// Binds the listeners and starts the workers; nothing stays bound or running if it throws.
    private func launch(_ configuration: ServerConfiguration) throws(ServerError) -> Running {
        let logger = configuration.logger
        let maxConnections = FileDescriptorLimit.connectionLimit(requested: configuration.maxConnections, logger: logger)
        let (listening, ports) = try openSockets()
        let latch = StartupLatch(expected: configuration.workers)
        if configuration.listeners.contains(where: \.hasWebSocketRoutes) {
            // Loads and initialises libcrypto now (about 2 MiB of code pages), not inside the
            // first connection's handshake.
            _ = WebSocketAcceptKey.accept(forClientKey: "dGhlIHNhbXBsZSBub25jZQ==")
        }
        let listeners = configuration.listeners.map(ListenerRuntime.init(listener:))
        let perWorkerLimit = min((maxConnections + configuration.workers - 1) / configuration.workers, ConnectionTable.maximumSlots)
        let handles = (0..<configuration.workers).map { WorkerHandle(index: $0, maxConnections: perWorkerLimit) }
        let messenger = Messenger(handles: handles)
        var threads: [WorkerThread] = []
        let messageBufferBudget = configuration.messageBufferBudgetPerWorker
        for index in 0..<configuration.workers {
            let role: AcceptRole
            switch configuration.distribution {
            case .reusePort: role = .ownSockets
            case .acceptor: role = index == 0 ? .acceptor : .handOffOnly
            }
            let settings = WorkerSettings(
                index: index, role: role, listening: listening[index],
                ringEntries: UInt32(configuration.ringEntries),
                receiveBufferCount: configuration.receiveBufferCount,
                receiveBufferSize: configuration.receiveBufferSize,
                maxConnections: perWorkerLimit,
                lingerMilliseconds: configuration.lingerTimeout.milliseconds,
                shutdownGraceMilliseconds: configuration.shutdownGracePeriod.milliseconds,
                idleMemoryReleaseMilliseconds: configuration.idleMemoryRelease?.milliseconds,
                logger: logger)
            threads.append(
                WorkerThread.spawn(name: "ringwire-w\(index)") {
                    Server.runWorker(
                        settings: settings, messenger: messenger, listeners: listeners,
                        messageBufferBudget: messageBufferBudget, latch: latch)
                })
        }
        if let failure = latch.wait() {
            for handle in handles {
                handle.stopRequested.store(true, ordering: .releasing)
                handle.wake()
            }
            for thread in threads { thread.join() }
            throw .ringSetup(failure)
        }
        return Running(workers: WorkerGroup(threads), messenger: messenger, ports: ports)
    }

    /// Starts a graceful stop: no new connections; requests in flight finish (up to the grace period).
    /// Returns at once; `wait()` returns when the workers are done.
    public func stop() {
        state.withLock { state in
            guard case .running(let running) = state else { return }
            for handle in running.messenger.handles {
                handle.stopRequested.store(true, ordering: .releasing)
                handle.wake()
            }
        }
    }

    /// Blocks until the server has stopped (after `stop()`); returns at once if it is not running.
    public func wait() {
        let workers = state.withLock { state -> WorkerGroup? in
            guard case .running(let running) = state else { return nil }
            return running.workers
        }
        guard let workers else { return }
        workers.joinAll()
        state.withLock { state in
            if case .running = state { state = .stopped }
        }
    }

    /// The port listener `name` is bound to (useful with port 0), or nil if not running.
    public func port(of name: String) -> Int? {
        state.withLock { state in
            guard case .running(let running) = state else { return nil }
            return running.ports[name]
        }
    }

    /// The handle for pushes, closes and publishes from any thread; nil unless running.
    public var handle: ServerHandle? {
        state.withLock { state in
            guard case .running(let running) = state else { return nil }
            return ServerHandle(messenger: running.messenger)
        }
    }

    /// Open connections per worker (index = worker), read without stopping anyone; each count may be a
    /// moment old. Empty when the server is not running.
    public func connectionCounts() -> [Int] {
        handle?.connectionCounts() ?? []
    }

    /// Open connections over all workers.
    public var connectionCount: Int { connectionCounts().reduce(0, +) }

    /// Opens every listening socket: per worker with `reusePort`, once (for the acceptor) otherwise.
    private func openSockets() throws(ServerError) -> (perWorker: [[WorkerSettings.Listening]], ports: [String: Int]) {
        var perWorker = [[WorkerSettings.Listening]](repeating: [], count: configuration.workers)
        var ports: [String: Int] = [:]
        var opened: [Int32] = []
        do throws(ServerError) {
            for (listenerIndex, listener) in configuration.listeners.enumerated() {
                let reusePort = configuration.distribution == .reusePort
                let sockets: [ListeningSocket]
                do {
                    sockets = try ListeningSocket.openGroup(
                        host: listener.host, port: listener.port,
                        count: reusePort ? configuration.workers : 1, reusePort: reusePort, backlog: Int32(configuration.backlog))
                } catch {
                    throw ServerError(error, listener: listener)
                }
                for (worker, socket) in sockets.enumerated() {
                    opened.append(socket.fd)
                    perWorker[worker].append(.init(listenerIndex: listenerIndex, fd: socket.fd))
                }
                ports[listener.name] = sockets.first?.port
            }
        } catch {
            for fd in opened { close(fd) }
            throw error
        }
        return (perWorker, ports)
    }

    /// The body of a worker thread: set up the ring, report, serve until stopped.
    private static func runWorker(
        settings: WorkerSettings, messenger: Messenger, listeners: [ListenerRuntime], messageBufferBudget: Int, latch: StartupLatch
    ) {
        let pubsub = WorkerPubSub(index: settings.index, messenger: messenger)
        let context = WorkerContext(pubsub: pubsub, messageBufferBudget: MessageBufferBudget(limit: messageBufferBudget))
        let worker: Worker
        do throws(RingSetupError) {
            worker = try Worker(settings: settings, directory: messenger.handles) { listenerIndex, connection in
                HTTPSession(listener: listeners[listenerIndex], connection: connection, context: context)
            }
        } catch {
            for listening in settings.listening { close(listening.fd) }
            latch.report(error)
            return
        }
        messenger.localPubSub[settings.index].install(pubsub, on: worker)
        worker.onMailbox = { pubsub.drainMailbox() }
        latch.report(nil)
        worker.run()
    }
}
