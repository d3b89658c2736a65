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

    private func makeSession(_ url: String = "redis://127.0.0.1") throws -> (Session, InMemoryConnection) {
        let url = try RedisURL(url)
        var made: Session?
        let connection = InMemoryConnection { connection in
            let session = Session(connection: connection, url: url)
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
}
