import Glibc
@_spi(RingwireInternal) import RingwireCodecs
import RingwireTestSupport
import XCTest

@testable import Ringwire
@_spi(RingwireInternal) @testable import RingwireTransport

/// `RedisClient` on a manual host: every state transition, the reconnect backoff, the queue and
/// its bounds, and what happens to commands already written when a connection is lost.
final class RedisClientTests: XCTestCase {
    private typealias Client = RedisClient<ManualRedisHost>
    private typealias Reply = Result<RESPValue, RedisClientError>

    /// Makes every draw the lowest value (1 is the smallest word the stdlib's bounded draw accepts at
    /// once: 0 would be rejected for ever), so each backoff is exactly half its ceiling.
    private struct LowestRandom: RandomNumberGenerator {
        mutating func next() -> UInt64 { 1 }
    }

    private let helloReply = "%1\r\n+server\r\n+redis\r\n"
    private let host = ManualRedisHost()

    private func makeClient(
        _ configure: (inout RedisClientConfiguration) -> Void = { _ in }, random: any RandomNumberGenerator = LowestRandom()
    ) throws -> Client {
        var configuration = RedisClientConfiguration()
        configure(&configuration)
        let address = try XCTUnwrap(PeerAddress(numericHost: "127.0.0.1", port: 6379))
        let client = Client(
            url: try RedisURL("redis://127.0.0.1"), address: address, host: host, configuration: configuration, random: random)
        client.start()
        return client
    }

    /// A client whose connection has been accepted and its handshake answered.
    private func makeReadyClient(
        _ configure: (inout RedisClientConfiguration) -> Void = { _ in }
    ) throws -> (Client, InMemoryConnection) {
        let client = try makeClient(configure)
        let connection = host.acceptConnect()
        connection.feed(helloReply)
        _ = connection.takeWritten()
        return (client, connection)
    }

    private func describe(_ state: Client.State) -> String {
        switch state {
        case .disconnected(let retryAt): "disconnected(+\(retryAt - host.now))"
        case .connecting: "connecting"
        case .handshaking: "handshaking"
        case .ready: "ready"
        case .stopped: "stopped"
        }
    }

    private func command(_ arguments: [String]) -> String {
        "*\(arguments.count)\r\n" + arguments.map { "$\($0.utf8.count)\r\n\($0)\r\n" }.joined()
    }

    private func written(_ connection: InMemoryConnection) -> String {
        String(decoding: connection.takeWritten(), as: UTF8.self)
    }

    // MARK: Transitions

    func testStartConnectsThenTheAcceptedHandshakeMakesItReady() throws {
        let client = try makeClient()
        XCTAssertEqual(describe(client.state), "connecting")
        XCTAssertEqual(host.pendingConnects, 1)
        let connection = host.acceptConnect()
        XCTAssertEqual(describe(client.state), "handshaking")
        connection.feed(helloReply)
        XCTAssertEqual(describe(client.state), "ready")
    }

    func testCommandsSentBeforeTheHandshakeIsAcceptedGoOutAfterIt() throws {
        let client = try makeClient()
        var replies: [Reply] = []
        client.send(["GET", "a"]) { replies.append($0) }
        let connection = host.acceptConnect()
        client.send(["GET", "b"]) { replies.append($0) }
        XCTAssertEqual(written(connection), command(["HELLO", "3"]), "held back while the handshake is under way")
        XCTAssertEqual(client.queuedCommands, 2)
        connection.feed(helloReply)
        XCTAssertEqual(written(connection), command(["GET", "a"]) + command(["GET", "b"]))
        XCTAssertEqual(client.queuedCommands, 0)
        connection.feed("$1\r\n1\r\n$1\r\n2\r\n")
        XCTAssertEqual(replies, [.success(.bulkString([49])), .success(.bulkString([50]))])
    }

    func testARefusedConnectRetriesAfterABackoffDoublingToTheMaximum() throws {
        let client = try makeClient()
        var waits: [String] = []
        for _ in 0..<9 {
            host.refuseConnect()
            waits.append(describe(client.state))
            guard case .disconnected(let retryAt) = client.state else { return XCTFail("not disconnected") }
            host.advance(by: retryAt - host.now - 1)
            XCTAssertEqual(host.pendingConnects, 0, "not before its time")
            host.advance(by: 1)
            XCTAssertEqual(describe(client.state), "connecting")
        }
        // Half of 50, 100, ... 5,000 ms (the lowest jitter): 25 ms doubling to 2,500.
        XCTAssertEqual(
            waits,
            [
                "disconnected(+25)", "disconnected(+50)", "disconnected(+100)", "disconnected(+200)", "disconnected(+400)",
                "disconnected(+800)", "disconnected(+1600)", "disconnected(+2500)", "disconnected(+2500)",
            ])
        XCTAssertEqual(
            host.logged.first,
            "Redis redis://127.0.0.1:6379/0: connect failed: Connection refused; reconnecting in 25 ms (attempt 2), 0 commands waiting")
    }

    func testJitterDrawsBetweenHalfAndAllOfTheBackoff() throws {
        let client = try makeClient(random: SplitMix(seed: 11))
        let ceilings: [Int64] = [50, 100, 200, 400, 800, 1600, 3200] + Array(repeating: 5000, count: 60)
        var draws: Set<Int64> = []
        for (index, ceiling) in ceilings.enumerated() {
            let wait = client.backoff(afterFailures: index + 1)
            XCTAssertTrue((ceiling / 2...ceiling).contains(wait), "\(wait) after \(index + 1) failures")
            draws.insert(wait)
        }
        XCTAssertGreaterThan(draws.count, 30, "the waits are spread, not in step")
    }

    func testAHandshakeRefusalIsAFailedAttemptAndTheQueueWaitsOn() throws {
        let client = try makeClient { $0.maximumBackoff = .seconds(10) }
        var replies: [Reply] = []
        client.send(["PING"]) { replies.append($0) }
        host.refuseConnect()
        host.advance(by: 25)
        let connection = host.acceptConnect()
        connection.feed("-ERR unknown command 'HELLO'\r\n")
        XCTAssertEqual(describe(client.state), "disconnected(+50)", "the second failed attempt in a row")
        XCTAssertEqual(replies, [], "never written, so still queued")
        host.advance(by: 50)
        let next = host.acceptConnect()
        next.feed(helloReply + "+PONG\r\n")
        XCTAssertEqual(replies, [.success(.simpleString("PONG"))])
    }

    func testAWrittenCommandIsNotResentWhenItsConnectionDrops() throws {
        let (client, connection) = try makeReadyClient()
        var replies: [Reply] = []
        client.send(["INCR", "n"]) { replies.append($0) }
        XCTAssertEqual(written(connection), command(["INCR", "n"]))
        connection.peerFinished()
        XCTAssertEqual(replies, [.failure(.connectionClosed)], "its outcome is unknown: failed, not queued")
        XCTAssertEqual(describe(client.state), "disconnected(+25)", "a working connection lost: the initial backoff")
        client.send(["GET", "n"]) { replies.append($0) }
        host.advance(by: 25)
        let next = host.acceptConnect()
        next.feed(helloReply)
        XCTAssertEqual(written(next), command(["HELLO", "3"]) + command(["GET", "n"]), "only the command never written")
    }

    func testAReplyTimeoutFailsWhatWaitsAndReconnects() throws {
        let (client, connection) = try makeReadyClient { $0.replyTimeout = .seconds(1) }
        var replies: [Reply] = []
        client.send(["BLPOP", "q", "0"]) { replies.append($0) }
        connection.advance(by: .seconds(1))
        XCTAssertEqual(replies, [.failure(.replyTimedOut(milliseconds: 1000))])
        XCTAssertTrue(connection.isClosed)
        XCTAssertEqual(describe(client.state), "disconnected(+25)")
        host.advance(by: 25)
        XCTAssertEqual(describe(client.state), "connecting")
    }

    // MARK: Queue bounds

    func testCommandsPastTheQueuedCountFailAtOnce() throws {
        let client = try makeClient { $0.maximumQueuedCommands = 2 }
        var replies: [Reply] = []
        for _ in 0..<3 { client.send(["PING"]) { replies.append($0) } }
        XCTAssertEqual(replies, [.failure(.queueFull)])
        XCTAssertEqual(client.queuedCommands, 2)
    }

    func testCommandsPastTheQueuedBytesFailAtOnce() throws {
        let client = try makeClient { $0.maximumQueuedBytes = 10 }
        var replies: [Reply] = []
        client.send(["SET", "k", "value"]) { replies.append($0) }  // 9 bytes
        client.send(["GET", "kk"]) { replies.append($0) }  // 5 more would make 14
        client.send(["X"]) { replies.append($0) }  // 1 more makes 10
        XCTAssertEqual(replies, [.failure(.queueFull)])
        XCTAssertEqual(client.queuedCommands, 2)
    }

    // MARK: Stopping

    func testStopClosesTheConnectionFailsTheQueueAndConnectsNoMore() throws {
        let client = try makeClient()
        var replies: [Reply] = []
        client.send(["PING"]) { replies.append($0) }
        let connection = host.acceptConnect()
        client.stop()
        XCTAssertEqual(describe(client.state), "stopped")
        XCTAssertTrue(connection.isClosed)
        XCTAssertEqual(replies, [.failure(.clientStopped)])
        client.send(["PING"]) { replies.append($0) }
        XCTAssertEqual(replies.last, .failure(.clientStopped))
        host.advance(by: 60_000)
        XCTAssertEqual(host.pendingConnects, 0)
    }

    func testAConnectCompletingAfterStopIsClosedOnceItsHandshakeIsAnswered() throws {
        let client = try makeClient()
        client.stop()
        let connection = host.acceptConnect()
        XCTAssertEqual(describe(client.state), "stopped")
        connection.feed(helloReply)
        XCTAssertTrue(connection.isClosed)
        XCTAssertEqual(describe(client.state), "stopped")
        host.advance(by: 60_000)
        XCTAssertEqual(host.pendingConnects, 0, "no reconnect")
    }

    func testStopWhileDisconnectedCancelsTheRetry() throws {
        let client = try makeClient()
        host.refuseConnect()
        client.stop()
        host.advance(by: 60_000)
        XCTAssertEqual(host.pendingConnects, 0)
        XCTAssertEqual(describe(client.state), "stopped")
    }

    func testAStoppingWorkerStopsTheClient() throws {
        let client = try makeClient()
        var replies: [Reply] = []
        client.send(["PING"]) { replies.append($0) }
        host.refuseConnect(.stopping)
        XCTAssertEqual(describe(client.state), "stopped")
        XCTAssertEqual(replies, [.failure(.clientStopped)])
    }
}
