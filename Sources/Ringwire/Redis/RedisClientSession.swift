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
/// replies and are skipped. There is no reply timeout.
///
/// Confined to the thread of the worker owning the connection, like every session; completions
/// are called there, in reply order.
package final class RedisClientSession<Connection: SessionConnection>: ConnectionSession {
    /// Called with a command's reply, or why there is none.
    package typealias Completion = (Result<RESPValue, RedisClientError>) -> Void

    /// What the reply at the head of the pipeline answers.
    private enum Awaiting {
        case hello
        case select
        case command(Completion)
    }

    private let connection: Connection
    private let url: RedisURL
    private var parser: RESPParser
    /// Commands written and not yet answered, oldest at `head` (a queue without per-reply shifting).
    private var awaiting: [Awaiting] = []
    private var head = 0
    /// The connection error that ended the session; later commands fail with it at once.
    private var failure: RedisClientError?

    /// A session on `connection`, logging in as `url` says, parsing replies within `limits`.
    package init(connection: Connection, url: RedisURL, limits: RESPLimits = RESPLimits()) {
        self.connection = connection
        self.url = url
        parser = RESPParser(limits: limits)
    }

    /// Commands sent and not yet answered.
    package var commandsInFlight: Int {
        awaiting[head...].count { if case .command = $0 { true } else { false } }
    }

    /// Writes a command (`["SET", .bytes(key), .bytes(value)]`); `completion` gets its reply. On a
    /// session that already failed or closed, it is called at once with that error.
    package func send(_ arguments: [RESPArgument], completion: @escaping Completion) {
        connection.assertConfined()
        guard failure == nil, connection.isOpen else {
            completion(.failure(failure ?? .connectionClosed))
            return
        }
        awaiting.append(.command(completion))
        var writer = connection
        RESPCommandEncoder.write(arguments, into: &writer)
    }

    // MARK: ConnectionSession

    package func start() {
        var writer = connection
        var hello: [RESPArgument] = ["HELLO", 3]
        if let credentials = url.credentials { hello += ["AUTH", .string(credentials.user), .string(credentials.password)] }
        awaiting.append(.hello)
        RESPCommandEncoder.write(hello, into: &writer)
        if url.database != 0 {
            awaiting.append(.select)
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

    /// No deadline is ever set.
    package func deadlinePassed() {}

    /// Writes are not held back, so there is nothing to resume.
    package func drained() {}

    /// Not asked of outbound connections: the worker closes them after its clients are gone.
    package func shutdownRequested() {}

    package func closed() {
        failWaiting(with: failure ?? .connectionClosed)
    }

    // MARK: Replies

    private func handle(_ value: RESPValue) {
        if case .push = value.withoutAttributes { return }
        guard head < awaiting.count else {
            fail(.unexpectedReply(value))
            return
        }
        let oldest = awaiting[head]
        awaiting[head] = .hello  // drops the completion's reference; the slot is dead past `head`
        head += 1
        if head == awaiting.count {
            awaiting.removeAll(keepingCapacity: true)
            head = 0
        }
        switch (oldest, value.withoutAttributes) {
        case (.hello, .map), (.select, .simpleString("OK")):
            break
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
        for case .command(let completion) in waiting { completion(.failure(error)) }
    }
}
