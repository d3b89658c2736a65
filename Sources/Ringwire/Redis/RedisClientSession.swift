@_spi(RingwireInternal) import RingwireCodecs
@_spi(RingwireInternal) import RingwireTransport

/// A Redis client on one connection the worker made (`Worker.connect`): commands are written as
/// they are sent, many in flight at once (pipelining), and each reply completes the oldest command
/// still waiting, since Redis answers in order.
///
/// `start` writes `HELLO 3` (with `AUTH` when the URL has credentials) and then `SELECT` when the
/// URL names a database other than 0, so they precede every command on the wire. A refused
/// handshake, bytes that are not RESP, or a reply nobody waits for is a connection error: every
/// waiting command fails with it and the connection closes. Push messages (RESP3 `>`) are not
/// replies and are skipped.
///
/// Reply timeout: when the oldest command written (the handshake included) has waited
/// `replyTimeout` without its reply, the connection is taken for broken: every waiting command
/// fails with `.replyTimedOut` and the connection closes. It is checked on the connection's one
/// deadline (the worker's wheel, or the harness' manual clock), armed when a command is written
/// into an empty pipeline and re-armed, when it fires, for whichever command is then the oldest —
/// not on every reply, so a deep pipeline costs no timer work per reply. Blocking commands
/// (`BLPOP` with a longer wait) are not exempt: they must wait less than the timeout.
///
/// There is no reconnect: a failed session stays failed, and later commands fail at once.
///
/// Confined to the thread of the worker owning the connection, like every session; completions
/// are called there, in reply order.
package final class RedisClientSession<Connection: SessionConnection>: ConnectionSession {
    /// Called with a command's reply, or why there is none.
    package typealias Completion = (Result<RESPValue, RedisClientError>) -> Void

    /// How long the oldest command may wait for its reply by default: 5 s, far above a healthy
    /// server's milliseconds even under load, yet short enough that a dead peer (no FIN, no RST,
    /// as when a host vanishes) is noticed before the commands behind it pile up for minutes.
    package static var defaultReplyTimeout: Duration { .seconds(5) }

    /// What the reply at the head of the pipeline answers.
    private enum Awaiting {
        case hello
        case select
        case command(Completion)
    }

    private let connection: Connection
    private let url: RedisURL
    private var parser: RESPParser
    /// Commands written and not yet answered, oldest at `head` (a queue without per-reply shifting),
    /// each with the time (`connection.now`) it was written.
    private var awaiting: [(reply: Awaiting, writtenAt: Int64)] = []
    private var head = 0
    /// The connection error that ended the session; later commands fail with it at once.
    private var failure: RedisClientError?

    /// How long the oldest written command may wait for its reply, in milliseconds; nil for ever.
    private let replyTimeout: Int64?
    /// Replies to `HELLO` and `SELECT` still to come; at 0 the handshake is done.
    private var handshakeRepliesOwed = 0

    /// Called once the server accepted the handshake (for `RedisClient`, which holds commands back
    /// until then).
    package var onReady: (() -> Void)?
    /// Called once the connection has closed, with the error that failed the waiting commands.
    package var onClosed: ((RedisClientError) -> Void)?

    /// A session on `connection`, logging in as `url` says, parsing replies within `limits`, and
    /// failing when a reply takes longer than `replyTimeout` (nil: wait for ever).
    package init(
        connection: Connection, url: RedisURL, limits: RESPLimits = RESPLimits(),
        replyTimeout: Duration? = defaultReplyTimeout
    ) {
        self.connection = connection
        self.url = url
        parser = RESPParser(limits: limits)
        self.replyTimeout = replyTimeout.map { max(1, $0.milliseconds) }
    }

    /// Commands sent and not yet answered.
    package var commandsInFlight: Int {
        awaiting[head...].count { if case .command = $0.reply { true } else { false } }
    }

    /// Writes a command (`["SET", .bytes(key), .bytes(value)]`); `completion` gets its reply. On a
    /// session that already failed or closed, it is called at once with that error.
    package func send(_ arguments: [RESPArgument], completion: @escaping Completion) {
        connection.assertConfined()
        guard failure == nil, connection.isOpen else {
            completion(.failure(failure ?? .connectionClosed))
            return
        }
        expect(.command(completion))
        var writer = connection
        RESPCommandEncoder.write(arguments, into: &writer)
    }

    /// Notes that a reply to `reply` is now owed, and starts the reply clock if nothing else is
    /// waiting (otherwise the older command's deadline already covers this one).
    private func expect(_ reply: Awaiting) {
        if head == awaiting.count, let replyTimeout { connection.setTimeout(milliseconds: replyTimeout) }
        awaiting.append((reply, connection.now))
    }

    // MARK: ConnectionSession

    package func start() {
        var writer = connection
        var hello: [RESPArgument] = ["HELLO", 3]
        if let credentials = url.credentials { hello += ["AUTH", .string(credentials.user), .string(credentials.password)] }
        expect(.hello)
        handshakeRepliesOwed = 1
        RESPCommandEncoder.write(hello, into: &writer)
        if url.database != 0 {
            expect(.select)
            handshakeRepliesOwed = 2
            RESPCommandEncoder.write(["SELECT", .integer(Int64(url.database))], into: &writer)
        }
    }

    package func received(_ bytes: UnsafeMutableRawBufferPointer) -> Int {
        var input = UnsafeRawBufferPointer(bytes)
        while failure == nil {
            switch parser.next(&input) {
            case .needMoreData: return bytes.count
            case .value(let value): handle(value)
            case .error(let error): fail(.protocolViolation(error))
            }
        }
        return bytes.count
    }

    /// The server closed its side: nothing more will be answered.
    package func peerFinished() {
        fail(.connectionClosed)
    }

    /// The reply clock: fails the connection if the oldest command has waited out `replyTimeout`,
    /// otherwise waits again until it would have.
    package func deadlinePassed() {
        guard let replyTimeout, head < awaiting.count else { return }
        let waited = connection.now - awaiting[head].writtenAt
        guard waited < replyTimeout else {
            fail(.replyTimedOut(milliseconds: replyTimeout))
            return
        }
        connection.setTimeout(milliseconds: replyTimeout - waited)
    }

    /// Writes are not held back, so there is nothing to resume.
    package func drained() {}

    /// Not asked of outbound connections: the worker closes them after its clients are gone.
    package func shutdownRequested() {}

    package func closed() {
        let error = failure ?? .connectionClosed
        failWaiting(with: error)
        onClosed?(error)
    }

    /// Closes the connection at once; every waiting command fails with `.connectionClosed`.
    package func close() {
        connection.closeNow()
    }

    // MARK: Replies

    private func handle(_ value: RESPValue) {
        if case .push = value.withoutAttributes { return }
        guard head < awaiting.count else {
            fail(.unexpectedReply(value))
            return
        }
        let oldest = awaiting[head].reply
        awaiting[head].reply = .hello  // drops the completion's reference; the slot is dead past `head`
        head += 1
        if head == awaiting.count {
            awaiting.removeAll(keepingCapacity: true)
            head = 0
        }
        switch (oldest, value.withoutAttributes) {
        case (.hello, .map), (.select, .simpleString("OK")):
            handshakeRepliesOwed -= 1
            if handshakeRepliesOwed == 0 { onReady?() }
        case (.hello, .error(let message)), (.select, .error(let message)):
            fail(.handshakeFailed(message))
        case (.hello, _), (.select, _):
            fail(.unexpectedReply(value))
        case (.command(let completion), .error(let message)):
            completion(.failure(.server(message)))
        case (.command(let completion), .bulkError(let message)):
            completion(.failure(.server(String(decoding: message, as: UTF8.self))))
        case (.command(let completion), _):
            completion(.success(value))
        }
    }

    /// A connection error: every waiting command fails with it, and the connection closes.
    private func fail(_ error: RedisClientError) {
        guard failure == nil else { return }
        failure = error
        connection.log(.redisConnectionFailed, .warning, "Redis connection \(url): \(error)")
        connection.closeNow()
        failWaiting(with: error)
    }

    private func failWaiting(with error: RedisClientError) {
        failure = failure ?? error
        let waiting = awaiting[head...]
        awaiting = []
        head = 0
        for case .command(let completion) in waiting.map(\.reply) { completion(.failure(error)) }
    }
}
