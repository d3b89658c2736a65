import Glibc
@_spi(RingwireInternal) import RingwireCodecs
import RingwireTestSupport
import XCTest

@testable import Ringwire
@_spi(RingwireInternal) @testable import RingwireTransport

/// The Redis session on a real worker ring, against a real `redis-server`: the worker connects
/// through its ring, and commands and replies go through the same recv and send paths as clients'.
final class RedisEndToEndTests: XCTestCase {
    private typealias Session = RedisClientSession<Connection>
    private typealias Reply = Result<RESPValue, RedisClientError>

    private func startWorker() -> RunningWorker {
        let worker = RunningWorker()
        addTeardownBlock { worker.stop() }
        return worker
    }

    /// Connects `worker` to `url`; the session, or why there is none.
    private func connect(
        _ worker: RunningWorker, to url: String, replyTimeout: Duration? = Session.defaultReplyTimeout
    ) throws -> Result<WorkerConfined<Session>, OutboundConnectError> {
        let url = try RedisURL(url)
        let address = try XCTUnwrap(PeerAddress(numericHost: url.host, port: url.port))
        let box = WorkerConfined<Session>()
        let outcome = Handoff<OutboundConnectError?>()
        worker.post { worker in
            worker.connect(
                to: address,
                makeSession: { connection in
                    let session = Session(connection: connection, url: url, replyTimeout: replyTimeout)
                    box.value = session
                    outcome.put(nil)
                    return session
                },
                onFailure: { outcome.put($0) })
        }
        let results = outcome.wait(for: 1)
        XCTAssertEqual(results.count, 1, "the connect completed")
        if let error = results.first ?? nil { return .failure(error) }
        return .success(box)
    }

    /// Sends `commands` in one loop turn (pipelined) and waits for their replies, in arrival order.
    private func run(_ commands: [[RESPArgument]], on worker: RunningWorker, session box: WorkerConfined<Session>) -> [(Int, Reply)] {
        let replies = Handoff<(Int, Reply)>()
        worker.post { _ in
            guard let session = box.value else { return }
            for (index, command) in commands.enumerated() { session.send(command) { replies.put((index, $0)) } }
        }
        let received = replies.wait(for: commands.count)
        XCTAssertEqual(received.count, commands.count, "every command answered")
        return received
    }

    func testPingSetAndGetOfBinaryValues() throws {
        let redis = try startRedis()
        let worker = startWorker()
        let session = try connect(worker, to: "redis://127.0.0.1:\(redis.port)").get()
        let value = (0...255).map { UInt8($0) } + Array("\r\n$3\r\n".utf8)
        let replies = run(
            [["PING"], ["SET", .bytes([0, 13, 10]), .bytes(value)], ["GET", .bytes([0, 13, 10])]], on: worker, session: session)
        XCTAssertEqual(try replies.map { try $0.1.get() }, [.simpleString("PONG"), .simpleString("OK"), .bulkString(value)])
    }

    func testAThousandPipelinedIncrsAreAnsweredInOrder() throws {
        let redis = try startRedis()
        let worker = startWorker()
        let session = try connect(worker, to: "redis://127.0.0.1:\(redis.port)").get()
        let replies = run(Array(repeating: ["INCR", "counter"], count: 1000), on: worker, session: session)
        XCTAssertEqual(replies.map(\.0), Array(0..<1000), "completions in sending order")
        XCTAssertEqual(try replies.map { try $0.1.get() }, (1...1000).map { .integer(Int64($0)) })
    }

    func testAuthAndSelectComeFromTheURL() throws {
        let redis = try startRedis(["--requirepass", "pw", "--user", "app", "on", ">s3cret", "~*", "+@all"])
        let worker = startWorker()
        let app = try connect(worker, to: "redis://app:s3cret@127.0.0.1:\(redis.port)/3").get()
        XCTAssertEqual(
            try run([["SET", "k", "in 3"], ["ACL", "WHOAMI"]], on: worker, session: app).map { try $0.1.get() },
            [.simpleString("OK"), .bulkString(Array("app".utf8))])
        let databaseZero = try connect(worker, to: "redis://:pw@127.0.0.1:\(redis.port)").get()
        XCTAssertEqual(try run([["GET", "k"]], on: worker, session: databaseZero).first?.1.get(), .null, "RESP3's null")
        let databaseThree = try connect(worker, to: "redis://:pw@127.0.0.1:\(redis.port)/3").get()
        XCTAssertEqual(try run([["GET", "k"]], on: worker, session: databaseThree).first?.1.get(), .bulkString(Array("in 3".utf8)))
    }

    func testAWrongPasswordFailsTheCommandsAndCloses() throws {
        let redis = try startRedis(["--requirepass", "pw"])
        let worker = startWorker()
        let session = try connect(worker, to: "redis://:nope@127.0.0.1:\(redis.port)").get()
        let reply = run([["PING"]], on: worker, session: session).first?.1
        guard case .failure(.handshakeFailed(let message)) = reply else { return XCTFail("\(String(describing: reply))") }
        XCTAssertTrue(message.hasPrefix("WRONGPASS"), message)
        XCTAssertTrue(tableEmpties(worker), "the connection closed and its slot is free")
    }

    func testAConnectToAClosedPortIsRefusedWithoutTakingASlot() throws {
        let worker = startWorker()
        // Bound but not listening: the port stays ours and refuses connections.
        let closed = try LoopbackSocket(listening: false)
        defer { close(closed.fd) }
        let outcome = try connect(worker, to: "redis://127.0.0.1:\(closed.port)")
        guard case .failure(let error) = outcome else { return XCTFail("connected to a closed port") }
        XCTAssertEqual(error, .connectFailed(errno: ECONNREFUSED))
        XCTAssertTrue(tableEmpties(worker))
        XCTAssertEqual(worker.handle.load.load(ordering: .relaxed), 0, "outbound connections are no client load")
    }

    func testAGracefulStopClosesRedisConnectionsAndFailsWhatWaits() throws {
        let redis = try startRedis()
        let worker = RunningWorker()
        let session = try connect(worker, to: "redis://127.0.0.1:\(redis.port)").get()
        XCTAssertEqual(worker.handle.load.load(ordering: .relaxed), 0, "outbound connections are no client load")
        XCTAssertEqual(run([["PING"]], on: worker, session: session).first.map { try? $0.1.get() }, .simpleString("PONG"))
        let replies = Handoff<Reply>()
        let inFlight = Handoff<Int>()
        worker.post { _ in session.value?.send(["BLPOP", "never", "0"]) { replies.put($0) } }
        worker.post { _ in inFlight.put(session.value?.commandsInFlight ?? 0) }
        XCTAssertEqual(inFlight.wait(for: 1), [1], "BLPOP waits on the server")
        worker.stop()
        XCTAssertEqual(replies.wait(for: 1).first, .failure(.connectionClosed), "no client left: the Redis connection closes")
    }

    func testRedisConnectionsStayOpenWhileClientsDrainThenClose() throws {
        let redis = try startRedis()
        let listener = try LoopbackSocket(listening: true)
        let worker = RunningWorker(listeningFD: listener.fd) { StubbornClientSession(connection: $0) }
        addTeardownBlock { worker.stop() }
        let session = try connect(worker, to: "redis://127.0.0.1:\(redis.port)").get()
        let client = try LoopbackSocket(listening: false)
        defer { close(client.fd) }
        var address = try XCTUnwrap(PeerAddress(numericHost: "127.0.0.1", port: listener.port)).storage
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(client.fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(connected, 0)
        XCTAssertTrue(waitFor(worker) { $0.table.count == 2 }, "the client and the Redis connection")
        XCTAssertEqual(worker.handle.load.load(ordering: .relaxed), 1, "only the client is load")

        worker.requestStop()
        XCTAssertTrue(waitFor(worker) { if case .draining = $0.state { true } else { false } })
        let replies = run([["PING"]], on: worker, session: session)
        XCTAssertEqual(try replies.first?.1.get(), .simpleString("PONG"), "a client is still there: Redis stays usable")
        let waiting = Handoff<Reply>()
        let inFlight = Handoff<Int>()
        worker.post { _ in session.value?.send(["BLPOP", "never", "0"]) { waiting.put($0) } }
        worker.post { _ in inFlight.put(session.value?.commandsInFlight ?? 0) }
        XCTAssertEqual(inFlight.wait(for: 1), [1])

        shutdown(client.fd, Int32(SHUT_WR))
        XCTAssertEqual(waiting.wait(for: 1).first, .failure(.connectionClosed), "the last client gone, Redis closes")
        worker.stop()
    }

    func testAReplyLaterThanTheTimeoutFailsAndClosesOnTheWorkersClock() throws {
        let redis = try startRedis()
        let worker = startWorker()
        let session = try connect(worker, to: "redis://127.0.0.1:\(redis.port)", replyTimeout: .milliseconds(200)).get()
        XCTAssertEqual(run([["PING"]], on: worker, session: session).first.map { try? $0.1.get() }, .simpleString("PONG"))
        let started = ContinuousClock.now
        let replies = run([["BLPOP", "never", "0"], ["PING"]], on: worker, session: session)
        let waited = ContinuousClock.now - started
        XCTAssertEqual(replies.map(\.1), [.failure(.replyTimedOut(milliseconds: 200)), .failure(.replyTimedOut(milliseconds: 200))])
        // The worker reads CLOCK_MONOTONIC_COARSE (a jiffy, up to 4 ms, behind), so a few ms early.
        XCTAssertGreaterThanOrEqual(waited, .milliseconds(150), "not well before the timeout")
        XCTAssertLessThan(waited, .seconds(5), "on the 200 ms given, not the default")
        XCTAssertTrue(tableEmpties(worker), "the connection closed")
    }

    /// Whether `condition`, asked on the worker's thread, holds within 100 loop turns.
    private func waitFor(_ worker: RunningWorker, _ condition: @escaping @Sendable (Worker) -> Bool) -> Bool {
        for _ in 0..<100 {
            let answer = Handoff<Bool>()
            worker.post { answer.put(condition($0)) }
            if answer.wait(for: 1) == [true] { return true }
        }
        return false
    }

    /// Whether the worker's table empties (a closed connection's slot is freed once the kernel has
    /// completed its cancelled requests, a loop turn or so later).
    private func tableEmpties(_ worker: RunningWorker) -> Bool {
        waitFor(worker) { $0.table.count == 0 }
    }
}

/// A client that keeps its connection through a graceful stop, until its peer finishes.
private final class StubbornClientSession: ConnectionSession {
    private let connection: Connection

    init(connection: Connection) {
        self.connection = connection
    }

    func start() {}
    func received(_ bytes: UnsafeMutableRawBufferPointer) -> Int { bytes.count }
    func deadlinePassed() {}
    func drained() {}
    func peerFinished() { connection.closeNow() }
    func shutdownRequested() {}
    func closed() {}
}
