@_spi(RingwireInternal) import RingwireCodecs
import RingwireTestSupport
import XCTest

@testable import Ringwire

/// The Redis session on the embedded harness: the bytes it writes, replies fed byte by byte, and
/// what each command's completion gets.
final class RedisClientSessionTests: XCTestCase {
    private typealias Session = RedisClientSession<InMemoryConnection>
    private typealias Reply = Result<RESPValue, RedisClientError>

    /// A minimal RESP3 `HELLO` reply (a map).
    private let helloReply = "%1\r\n+server\r\n+redis\r\n"

    private func makeSession(
        _ url: String = "redis://127.0.0.1", replyTimeout: Duration? = Session.defaultReplyTimeout
    ) throws -> (Session, InMemoryConnection) {
        let url = try RedisURL(url)
        var made: Session?
        let connection = InMemoryConnection { connection in
            let session = Session(connection: connection, url: url, replyTimeout: replyTimeout)
            made = session
            return session
        }
        return (try XCTUnwrap(made), connection)
    }

    /// Feeds `text` one byte at a time, as a slow network would deliver it.
    private func feedByteByByte(_ text: String, to connection: InMemoryConnection) {
        for byte in Array(text.utf8) { connection.feed([byte]) }
    }

    private func command(_ arguments: [String]) -> String {
        "*\(arguments.count)\r\n" + arguments.map { "$\($0.utf8.count)\r\n\($0)\r\n" }.joined()
    }

    func testStartSaysHello3AndNothingElseWithoutCredentialsOrDatabase() throws {
        let (_, connection) = try makeSession()
        XCTAssertEqual(String(decoding: connection.takeWritten(), as: UTF8.self), command(["HELLO", "3"]))
    }

    func testHelloWithAuthThenSelectPrecedeTheFirstCommand() throws {
        let (session, connection) = try makeSession("redis://app:p%40ss@127.0.0.1:6380/2")
        session.send(["GET", "key"]) { _ in }
        XCTAssertEqual(
            String(decoding: connection.takeWritten(), as: UTF8.self),
            command(["HELLO", "3", "AUTH", "app", "p@ss"]) + command(["SELECT", "2"]) + command(["GET", "key"]))
    }

    func testPipelinedRepliesCompleteTheirCommandsInOrder() throws {
        let (session, connection) = try makeSession("redis://h/1")
        var replies: [(Int, Reply)] = []
        for index in 0..<3 { session.send(["INCR", "n"]) { replies.append((index, $0)) } }
        XCTAssertEqual(session.commandsInFlight, 3, "all three written before any reply")
        feedByteByByte(helloReply + "+OK\r\n" + ":1\r\n:2\r\n", to: connection)
        XCTAssertEqual(replies.map(\.0), [0, 1])
        XCTAssertEqual(try replies.map { try $0.1.get() }, [.integer(1), .integer(2)])
        feedByteByByte("$3\r\na\0b\r\n", to: connection)
        XCTAssertEqual(try replies.last?.1.get(), .bulkString([97, 0, 98]))
        XCTAssertEqual(session.commandsInFlight, 0)
        XCTAssertTrue(connection.isOpen)
    }

    func testAnErrorReplyFailsOnlyItsCommand() throws {
        let (session, connection) = try makeSession()
        var replies: [Reply] = []
        session.send(["LPUSH", "s", "x"]) { replies.append($0) }
        session.send(["GET", "s"]) { replies.append($0) }
        connection.feed(helloReply + "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n$-1\r\n")
        XCTAssertEqual(replies.count, 2)
        XCTAssertEqual(replies.first, .failure(.server("WRONGTYPE Operation against a key holding the wrong kind of value")))
        XCTAssertEqual(replies.last, .success(.nullBulkString))
        XCTAssertTrue(connection.isOpen)
    }

    func testARefusedHandshakeFailsEveryCommandAndCloses() throws {
        let (session, connection) = try makeSession("redis://u:wrong@h")
        var replies: [Reply] = []
        session.send(["PING"]) { replies.append($0) }
        session.send(["PING"]) { replies.append($0) }
        connection.feed("-WRONGPASS invalid username-password pair or user is disabled.\r\n")
        let refused = RedisClientError.handshakeFailed("WRONGPASS invalid username-password pair or user is disabled.")
        XCTAssertEqual(replies, [.failure(refused), .failure(refused)])
        XCTAssertEqual(connection.state, .closedNow)
    }

    func testASelectRefusalIsAHandshakeFailure() throws {
        let (session, connection) = try makeSession("redis://h/9")
        var replies: [Reply] = []
        session.send(["PING"]) { replies.append($0) }
        connection.feed(helloReply + "-ERR DB index is out of range\r\n")
        XCTAssertEqual(replies, [.failure(.handshakeFailed("ERR DB index is out of range"))])
        XCTAssertTrue(connection.isClosed)
    }

    func testBytesThatAreNotRESPFailEveryCommandAndClose() throws {
        let (session, connection) = try makeSession()
        var replies: [Reply] = []
        session.send(["PING"]) { replies.append($0) }
        connection.feed(helloReply + "?oops\r\n")
        XCTAssertEqual(replies, [.failure(.protocolViolation(.invalidTypeByte(UInt8(ascii: "?"))))])
        XCTAssertEqual(connection.state, .closedNow)
        XCTAssertEqual(connection.logged.count, 1, "one line per failed connection")
    }

    func testAReplyNobodyWaitsForIsAConnectionError() throws {
        let (session, connection) = try makeSession()
        connection.feed(helloReply + "+PONG\r\n")
        XCTAssertEqual(connection.state, .closedNow)
        var reply: Reply?
        session.send(["PING"]) { reply = $0 }
        XCTAssertEqual(reply, .failure(.unexpectedReply(.simpleString("PONG"))), "later commands fail at once with the same error")
    }

    func testAHelloAnsweredWithSomethingElseThanAMapIsUnexpected() throws {
        let (session, connection) = try makeSession()
        var reply: Reply?
        session.send(["PING"]) { reply = $0 }
        connection.feed("+OK\r\n")
        XCTAssertEqual(reply, .failure(.unexpectedReply(.simpleString("OK"))))
        XCTAssertTrue(connection.isClosed)
    }

    func testPushesAreNotTakenForReplies() throws {
        let (session, connection) = try makeSession()
        var reply: Reply?
        session.send(["PING"]) { reply = $0 }
        connection.feed(helloReply + ">2\r\n+invalidate\r\n*0\r\n+PONG\r\n")
        XCTAssertEqual(reply, .success(.simpleString("PONG")))
    }

    func testTheServerClosingFailsWaitingCommands() throws {
        let (session, connection) = try makeSession()
        var replies: [Reply] = []
        session.send(["BLPOP", "q", "0"]) { replies.append($0) }
        connection.feed(helloReply)
        connection.peerFinished()
        XCTAssertEqual(replies, [.failure(.connectionClosed)])
        XCTAssertTrue(connection.isClosed)
    }

    func testClosingTheConnectionFailsWaitingCommands() throws {
        let (session, connection) = try makeSession()
        var replies: [Reply] = []
        session.send(["PING"]) { replies.append($0) }
        connection.closeNow()
        XCTAssertEqual(replies, [.failure(.connectionClosed)])
        session.send(["PING"]) { replies.append($0) }
        XCTAssertEqual(replies.count, 2, "a command on a closed connection fails at once")
        XCTAssertEqual(replies.last, .failure(.connectionClosed))
    }

    func testACompletionMaySendTheNextCommand() throws {
        let (session, connection) = try makeSession()
        var values: [RESPValue] = []
        session.send(["GET", "a"]) { first in
            values.append((try? first.get()) ?? .null)
            session.send(["GET", "b"]) { values.append((try? $0.get()) ?? .null) }
        }
        connection.feed(helloReply + "$1\r\n1\r\n")
        XCTAssertEqual(String(decoding: connection.takeWritten(), as: UTF8.self).hasSuffix(command(["GET", "b"])), true)
        connection.feed("$1\r\n2\r\n")
        XCTAssertEqual(values, [.bulkString([49]), .bulkString([50])])
    }

    // MARK: Reply timeout

    func testTheOldestCommandWaitingOutTheReplyTimeoutFailsEveryCommandAndCloses() throws {
        let (session, connection) = try makeSession()
        var replies: [Reply] = []
        session.send(["PING"]) { replies.append($0) }
        connection.feed(helloReply)
        connection.advance(by: .seconds(3))
        session.send(["PING"]) { replies.append($0) }
        connection.advance(by: .milliseconds(1999))
        XCTAssertEqual(replies, [], "4.999 s is within the 5 s default")
        connection.advance(by: .milliseconds(1))
        XCTAssertEqual(replies, [.failure(.replyTimedOut(milliseconds: 5000)), .failure(.replyTimedOut(milliseconds: 5000))])
        XCTAssertEqual(connection.state, .closedNow)
        XCTAssertEqual(connection.logged.map(\.message), ["Redis connection redis://127.0.0.1:6379/0: no Redis reply within 5000 ms"])
    }

    func testAnsweredCommandsLeaveTheClockToTheNextOldest() throws {
        let (session, connection) = try makeSession(replyTimeout: .seconds(2))
        var replies: [Reply] = []
        session.send(["GET", "a"]) { replies.append($0) }
        connection.advance(by: .milliseconds(1500))
        session.send(["GET", "b"]) { replies.append($0) }
        connection.feed(helloReply + "$1\r\n1\r\n")
        connection.advance(by: .milliseconds(1000))
        XCTAssertTrue(connection.isOpen, "the first command's deadline passed, but the one left has waited 1 s")
        connection.advance(by: .milliseconds(999))
        XCTAssertTrue(connection.isOpen)
        connection.advance(by: .milliseconds(1))
        XCTAssertEqual(replies, [.success(.bulkString([49])), .failure(.replyTimedOut(milliseconds: 2000))])
        XCTAssertTrue(connection.isClosed)
    }

    func testAnIdleConnectionHasNoReplyClock() throws {
        let (session, connection) = try makeSession(replyTimeout: .seconds(1))
        var replies: [Reply] = []
        session.send(["PING"]) { replies.append($0) }
        connection.feed(helloReply + "+PONG\r\n")
        connection.advance(by: .seconds(60))
        XCTAssertTrue(connection.isOpen, "nothing waits, so nothing times out")
        session.send(["PING"]) { replies.append($0) }
        connection.advance(by: .milliseconds(999))
        XCTAssertTrue(connection.isOpen, "a command written after the idle time gets the whole timeout")
        connection.advance(by: .milliseconds(1))
        XCTAssertEqual(replies, [.success(.simpleString("PONG")), .failure(.replyTimedOut(milliseconds: 1000))])
    }

    func testAnUnansweredHandshakeTimesOut() throws {
        let (session, connection) = try makeSession(replyTimeout: .milliseconds(250))
        connection.advance(by: .milliseconds(250))
        XCTAssertEqual(connection.state, .closedNow)
        var reply: Reply?
        session.send(["PING"]) { reply = $0 }
        XCTAssertEqual(reply, .failure(.replyTimedOut(milliseconds: 250)), "later commands fail at once with the same error")
    }

    func testWithoutAReplyTimeoutACommandWaitsForEver() throws {
        let (session, connection) = try makeSession(replyTimeout: nil)
        var reply: Reply?
        session.send(["BLPOP", "q", "0"]) { reply = $0 }
        connection.advance(by: .seconds(3600))
        XCTAssertNil(reply)
        XCTAssertEqual(connection.deadline, .max, "no deadline is set")
        connection.feed(helloReply + "*2\r\n$1\r\nq\r\n$1\r\nx\r\n")
        XCTAssertEqual(reply, .success(.array([.bulkString([113]), .bulkString([120])])))
    }
}
