@_spi(RingwireInternal) import RingwireCodecs
@_spi(RingwireInternal) import RingwireTransport

/// Speaks HTTP/1.1 on one connection: feeds received bytes to the parser, routes complete requests,
/// writes responses in request order, and enforces the timeouts. Hands the connection over when a
/// request upgrades to WebSocket.
///
/// Confined to the worker that owns the connection. Generic over the connection so the embedded harness
/// can drive it; the per-request entry points are specialized for the transport's `Connection`
/// (the server makes its sessions with it), so production calls it directly.
final class HTTPSession<Connection: SessionConnection>: ConnectionSession {
    /// Where the connection is between requests; drives which timeout applies.
    private enum Phase {
        /// Between requests (or before the first): the keep-alive (or first-request) timeout runs.
        case idle
        /// Part of a request head has arrived: the header timeout runs and is not extended by more bytes.
        case readingHead
        /// Reading the body of `head`: each piece of body restarts the body timeout.
        case readingBody(HTTPRequestHead)
    }

    private let runtime: ListenerRuntime
    // Strong: the connection drops its session when it closes, which ends this cycle; a `let` of
    // `self` is borrowed without reference counting on the per-request path.
    private let connection: Connection
    /// unowned(unsafe): the worker's context outlives every session on that worker.
    private unowned(unsafe) let context: WorkerContext
    @exclusivity(unchecked) private var parser: HTTPRequestParser
    @exclusivity(unchecked) private var phase = Phase.idle
    @exclusivity(unchecked) private var body: [UInt8] = []
    /// Bytes of `body` charged to the worker's `MessageBufferBudget`, which request bodies share
    /// with partial WebSocket messages.
    @exclusivity(unchecked) private var bodyCharged = 0
    /// Set by a graceful shutdown: the current request gets a response, then the connection closes.
    @exclusivity(unchecked) private var closeAfterResponse = false

    init(listener runtime: ListenerRuntime, connection: Connection, context: WorkerContext) {
        self.runtime = runtime
        self.connection = connection
        self.context = context
        parser = HTTPRequestParser(limits: runtime.listener.http.limits)
    }

    func start() {
        connection.setTimeout(milliseconds: runtime.headerReadTimeout)
    }

    @_specialize(exported:false,where Connection == RingwireTransport.Connection)
    func received(_ bytes: UnsafeMutableRawBufferPointer) -> Int {
        var input = UnsafeRawBufferPointer(bytes)
        var consumed: Int { bytes.count - input.count }
        while connection.isOpen {
            let hadInput = !input.isEmpty
            switch parser.next(&input) {
            case .needMoreData:
                if case .idle = phase, hadInput {
                    phase = .readingHead
                    connection.setTimeout(milliseconds: runtime.headerReadTimeout)
                }
                return consumed
            case .head(let head):
                phase = .readingBody(head)
                if case .contentLength(let length) = head.bodyFraming { body.reserveCapacity(length) }
                // The parser sets `expectsContinue` for HTTP/1.1 requests only.
                if head.expectsContinue, head.bodyFraming != .none {
                    var writer = connection
                    HTTPResponseSerializer.writeContinue(to: &writer)
                }
                connection.setTimeout(milliseconds: runtime.bodyReadTimeout)
            case .body(let chunk):
                guard context.messageBufferBudget.reserve(chunk.count) else {
                    fail(with: .serviceUnavailable)
                    return bytes.count
                }
                bodyCharged += chunk.count
                body.append(contentsOf: chunk)
                connection.setTimeout(milliseconds: runtime.bodyReadTimeout)
            case .end:
                guard case .readingBody(let head) = phase else { return bytes.count }
                phase = .idle
                let requestBody = body
                releaseBody()
                if let outcome = upgrade(head) {
                    switch outcome {
                    case .switched(let next):
                        connection.setTimeout(milliseconds: nil)
                        connection.switchSession(to: next)
                        guard !input.isEmpty, connection.isOpen else { return bytes.count }
                        return consumed + next.received(UnsafeMutableRawBufferPointer(mutating: input))
                    case .answered(let response):
                        send(response, answering: head)
                    }
                    continue
                }
                guard connection.isOpen else { return bytes.count }
                respond(to: head, body: requestBody)
                // A client that does not read its responses is not served more until it does.
                if connection.bufferedAmount > runtime.listener.http.maxBufferedResponseBytes {
                    connection.pauseReading()
                    return consumed
                }
            case .error(let error):
                fail(with: error.status)
                return bytes.count
            }
        }
        return bytes.count
    }

    func deadlinePassed() {
        switch phase {
        case .idle:
            connection.closeAfterFlush()
        case .readingHead, .readingBody:
            fail(with: .requestTimeout)
        }
    }

    @_specialize(exported:false,where Connection == RingwireTransport.Connection)
    func drained() {
        connection.resumeReading()
    }

    func peerFinished() {
        connection.closeAfterFlush()
    }

    func shutdownRequested() {
        closeAfterResponse = true
        if case .idle = phase { connection.closeAfterFlush() }
    }

    func closed() {
        releaseBody()
    }

    private func releaseBody() {
        body = []
        context.messageBufferBudget.release(bodyCharged)
        bodyCharged = 0
    }

    // MARK: Requests

    private func respond(to head: HTTPRequestHead, body: [UInt8]) {
        let response: HTTPResponse
        if runtime.servesOnlyUpgrades {
            response = Self.upgradeRequired("This port only serves WebSocket upgrades.\n")
        } else {
            switch runtime.listener.routes.match(method: head.method, path: head.path) {
            case .found(let handler, let parameters):
                response = handler(HTTPRequest(head: head, body: body, pathParameters: parameters))
            case .methodNotAllowed where servesUpgrades(at: head.path), .notFound where servesUpgrades(at: head.path):
                response = Self.answerWithoutUpgrade(head)
            case .methodNotAllowed(let allowed):
                var headers = HTTPHeaders()
                headers.add(name: "Allow", value: allowed.map(\.name).joined(separator: ", "))
                response = HTTPResponse(status: .methodNotAllowed, headers: headers, text: "Method Not Allowed\n")
            case .notFound:
                response = HTTPResponse(status: .notFound, text: "Not Found\n")
            }
        }
        send(response, answering: head)
    }

    /// Writes the response to `head`; the connection stays open for the next request if both sides
    /// want it and the server is not shutting down.
    private func send(_ response: HTTPResponse, answering head: HTTPRequestHead) {
        let keepAlive = head.keepAlive && !closeAfterResponse && !Self.asksToClose(response)
        write(response, version: head.version, isHead: head.method == .head, keepAlive: keepAlive)
        finishResponse(keepAlive: keepAlive)
    }

    private func finishResponse(keepAlive: Bool) {
        if keepAlive {
            connection.setTimeout(milliseconds: runtime.keepAliveTimeout)
        } else {
            connection.closeAfterFlush()
        }
    }

    /// Hands a WebSocket upgrade request to the listener's upgrade handler; nil when `head` is not one
    /// or no WebSocket route serves its path.
    private func upgrade(_ head: HTTPRequestHead) -> HTTPUpgradeOutcome? {
        guard let upgrader = runtime.upgrader, head.method == .get,
            head.headers.containsToken("websocket", in: "Upgrade"),
            head.headers.containsToken("upgrade", in: "Connection")
        else { return nil }
        return upgrader.upgrade(head, on: connection, context: context)
    }

    /// Answers a request that cannot be served (bad input, timeout) and closes after the answer.
    private func fail(with status: HTTPStatus) {
        releaseBody()
        connection.log(.httpRejected, .info, "connection \(connection.id): answered \(status.code) \(status.reasonPhrase) and closing")
        let response = HTTPResponse(status: status, text: "\(status.code) \(status.reasonPhrase)\n")
        write(response, version: .http1_1, isHead: false, keepAlive: false)
        connection.closeAfterFlush()
    }

    private func write(_ response: HTTPResponse, version: HTTPVersion, isHead: Bool, keepAlive: Bool) {
        var writer = connection
        HTTPResponseSerializer.write(
            response, to: &writer, version: version, isHeadRequest: isHead, keepAlive: keepAlive,
            date: context.dateCache.current(), server: runtime.listener.http.serverName)
    }

    private func servesUpgrades(at path: String) -> Bool {
        runtime.upgrader?.servesUpgrades(at: path) ?? false
    }

    /// The answer to a request for a WebSocket path that is no valid upgrade: one that tried to
    /// upgrade and got it wrong is malformed (400); a plain one is told what the path speaks (426).
    private static func answerWithoutUpgrade(_ head: HTTPRequestHead) -> HTTPResponse {
        head.headers.containsToken("websocket", in: "Upgrade")
            ? HTTPResponse(status: .badRequest, text: "Malformed WebSocket upgrade: it needs GET and Connection: Upgrade.\n")
            : upgradeRequired("This path only serves WebSocket upgrades.\n")
    }

    /// 426 with the `Upgrade` header RFC 9110 §15.5.22 requires.
    private static func upgradeRequired(_ text: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Upgrade", value: "websocket")
        return HTTPResponse(status: .upgradeRequired, headers: headers, text: text)
    }

    /// A handler may end the connection by answering with `Connection: close`.
    private static func asksToClose(_ response: HTTPResponse) -> Bool {
        response.headers.containsToken("close", in: "Connection")
    }
}
