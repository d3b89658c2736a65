import Logging
@_spi(RingwireInternal) import RingwireCodecs
@_spi(RingwireInternal) import RingwireTransport

/// A Redis connection kept for as long as the client runs: it connects through its worker, and
/// when the connect fails or the connection drops, connects again after a backoff (from
/// `initialBackoff`, doubling per failed attempt up to `maximumBackoff`, each wait jittered to
/// between half and all of it so clients that lost the same server do not return in step).
///
/// Commands sent while there is no ready connection wait in a bounded queue (`maximumQueuedCommands`,
/// `maximumQueuedBytes` of arguments) and are written once the next handshake is accepted; past the
/// bound they fail at once with `.queueFull`. Only those are ever held back: a command that was
/// written is never written again, since it may have run. When its connection fails, it fails with
/// that connection error (`.connectionClosed`, `.replyTimedOut`...), meaning its outcome is unknown.
/// There is no limit on how long a queued command waits; `stop()` fails the queue (`.clientStopped`).
///
/// Confined to its host worker's thread: every call and every completion happens there.
package final class RedisClient<Host: RedisClientHost> {
    /// A command's reply, or why there is none.
    package typealias Completion = RedisClientSession<Host.Connection>.Completion
    /// The session on the current connection.
    package typealias Session = RedisClientSession<Host.Connection>

    /// Where the client is in its connection's life.
    package enum State {
        /// No connection; the next connect is at `retryAt` (host milliseconds).
        case disconnected(retryAt: Int64)
        /// A connect is under way.
        case connecting
        /// Connected, `HELLO`/`SELECT` not yet answered; commands still wait in the queue.
        case handshaking(Session)
        /// Commands are written as they are sent.
        case ready(Session)
        /// `stop()` was called or the worker is stopping: commands fail at once.
        case stopped
    }

    /// A command waiting for a connection.
    private struct Queued {
        let arguments: [RESPArgument]
        let bytes: Int
        let completion: Completion
    }

    package private(set) var state: State = .disconnected(retryAt: 0)
    private let url: RedisURL
    private let address: PeerAddress
    private unowned let host: Host
    private let configuration: RedisClientConfiguration
    private var random: any RandomNumberGenerator
    private var queue: [Queued] = []
    private var queuedBytes = 0
    /// Connects failed (or dropped before the handshake was accepted) in a row.
    private var failedAttempts = 0

    /// A client for `url`, connecting to `address` (resolved from `url.host` by the caller, since
    /// resolving blocks) from `host`'s thread. Nothing happens until `start()`. `random` draws the
    /// backoff jitter (a seeded one makes tests deterministic).
    package init(
        url: RedisURL, address: PeerAddress, host: Host, configuration: RedisClientConfiguration = RedisClientConfiguration(),
        random: any RandomNumberGenerator = SystemRandomNumberGenerator()
    ) {
        self.url = url
        self.address = address
        self.host = host
        self.configuration = configuration
        self.random = random
    }

    /// Commands waiting for a connection.
    package var queuedCommands: Int { queue.count }

    /// Makes the first connect.
    package func start() {
        host.assertConfined()
        connect()
    }

    /// Sends a command: written now on a ready connection, else queued until one is (or failed
    /// with `.queueFull` past the bound, `.clientStopped` once stopped).
    package func send(_ arguments: [RESPArgument], completion: @escaping Completion) {
        host.assertConfined()
        switch state {
        case .ready(let session):
            session.send(arguments, completion: completion)
        case .disconnected, .connecting, .handshaking:
            let bytes = arguments.reduce(0) { $0 + $1.payloadCount }
            guard queue.count < configuration.maximumQueuedCommands, queuedBytes + bytes <= configuration.maximumQueuedBytes
            else {
                completion(.failure(.queueFull))
                return
            }
            queue.append(Queued(arguments: arguments, bytes: bytes, completion: completion))
            queuedBytes += bytes
        case .stopped:
            completion(.failure(.clientStopped))
        }
    }

    /// Closes the connection (its waiting commands fail with `.connectionClosed`), fails the queue
    /// with `.clientStopped`, and connects no more.
    package func stop() {
        host.assertConfined()
        let previous = state
        state = .stopped
        switch previous {
        case .handshaking(let session), .ready(let session): session.close()
        case .disconnected, .connecting, .stopped: break
        }
        failQueue(with: .clientStopped)
    }

    // MARK: Transitions

    private func connect() {
        state = .connecting
        host.connect(
            to: address,
            makeSession: { [self] connection in
                let session = Session(connection: connection, url: url, replyTimeout: configuration.replyTimeout)
                // Weak: a client dropped without `stop()` must not be called by its last session.
                session.onReady = { [weak self, unowned session] in
                    guard let self else { return session.close() }
                    handshakeAccepted(by: session)
                }
                session.onClosed = { [weak self, unowned session] in self?.connectionClosed(session, error: $0) }
                // Stopped while connecting: the session is closed once its handshake is answered.
                if case .connecting = state { state = .handshaking(session) }
                return session
            },
            onFailure: { [self] error in connectFailed(error) })
    }

    private func connectFailed(_ error: OutboundConnectError) {
        guard case .connecting = state else { return }
        guard error != .stopping else {
            state = .stopped
            failQueue(with: .clientStopped)
            return
        }
        retryLater(because: "\(error)")
    }

    private func handshakeAccepted(by session: Session) {
        guard case .handshaking(let current) = state, current === session else { return session.close() }
        state = .ready(session)
        failedAttempts = 0
        let waiting = queue
        queue = []
        queuedBytes = 0
        for command in waiting { session.send(command.arguments, completion: command.completion) }
    }

    private func connectionClosed(_ session: Session, error: RedisClientError) {
        switch state {
        case .handshaking(let current) where current === session:
            retryLater(because: "\(error)")
        case .ready(let current) where current === session:
            // It worked until now: the first attempt waits the initial backoff only.
            failedAttempts = 0
            retryLater(because: "\(error)")
        case .disconnected, .connecting, .handshaking, .ready, .stopped:
            break
        }
    }

    /// Waits out the backoff for one more failed attempt, then connects again.
    private func retryLater(because reason: String) {
        failedAttempts += 1
        let delay = backoff(afterFailures: failedAttempts)
        let retryAt = host.now + delay
        state = .disconnected(retryAt: retryAt)
        host.log(
            .redisReconnecting, .warning,
            "Redis \(url): \(reason); reconnecting in \(delay) ms (attempt \(failedAttempts + 1)), \(queue.count) commands waiting")
        host.schedule(at: retryAt) { [weak self] in self?.retryDue(at: retryAt) }
    }

    private func retryDue(at retryAt: Int64) {
        guard case .disconnected(let due) = state, due == retryAt else { return }
        connect()
    }

    /// The jittered wait after `failures` failed attempts, in milliseconds: the doubled backoff
    /// capped at the maximum, then drawn between half of it and all of it.
    func backoff(afterFailures failures: Int) -> Int64 {
        let initial = max(1, configuration.initialBackoff.milliseconds)
        let maximum = max(1, configuration.maximumBackoff.milliseconds)
        let doublings = min(failures - 1, 62)
        let ceiling = initial > maximum >> doublings ? maximum : min(maximum, initial << doublings)
        return Int64.random(in: (ceiling + 1) / 2...ceiling, using: &random)
    }

    private func failQueue(with error: RedisClientError) {
        let waiting = queue
        queue = []
        queuedBytes = 0
        for command in waiting { command.completion(.failure(error)) }
    }
}

extension RESPArgument {
    /// The bytes this argument carries (an integer as its at most 20 digits).
    fileprivate var payloadCount: Int {
        switch self {
        case .string(let text): text.utf8.count
        case .bytes(let bytes): bytes.count
        case .integer: 20
        }
    }
}
