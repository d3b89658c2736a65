import RingwireTestSupport
import XCTest

@testable import Ringwire

/// The close handshake on the embedded harness: who closes first, and the close timeout.
final class WebSocketCloseHandshakeTests: XCTestCase {
    func testServerCloseWaitsForThePeerUntilTheCloseTimeoutThenReports1006() {
        let (connection, events) = InMemoryConnection.webSocket { $0.closeTimeout = .milliseconds(300) }
        connection.feedText("close:4001")
        XCTAssertEqual(connection.takeFrames(), [ServerFrame(opcode: 0x8, payload: closePayload(4001, Array("bye".utf8)))])
        connection.drain()
        connection.advance(by: .milliseconds(299))
        XCTAssertEqual(connection.state, .open, "closed before the close timeout")
        XCTAssertEqual(events.closes, [])
        connection.advance(by: .milliseconds(1))
        XCTAssertEqual(connection.state, .closedNow)
        XCTAssertEqual(events.closes, ["close 1006 close handshake timed out"])
    }

    func testServerCloseCompletesWhenThePeerAnswers() {
        let (connection, events) = InMemoryConnection.webSocket()
        connection.feedText("close:1000")
        XCTAssertEqual(connection.takeFrames().map(\.closeCode), [1000])
        connection.feedClose(1000)
        XCTAssertEqual(connection.takeFrames(), [], "the close was answered twice")
        XCTAssertEqual(connection.state, .closingAfterFlush)
        connection.drain()
        XCTAssertEqual(connection.state, .closedAfterFlush)
        XCTAssertEqual(events.closes, ["close 1000 "])
    }

    func testPeerCloseIsEchoedAndReportedOnce() {
        let (connection, events) = InMemoryConnection.webSocket()
        connection.feedClose(3000, reason: "done")
        XCTAssertEqual(connection.takeFrames().map(\.closeCode), [3000])
        connection.drain()
        XCTAssertEqual(connection.state, .closedAfterFlush)
        XCTAssertEqual(events.closes, ["close 3000 done"])
    }

    func testDataAfterTheCloseIsIgnored() {
        let (connection, events) = InMemoryConnection.webSocket()
        connection.feed(clientFrame(0x8, closePayload(1000)) + clientFrame(0x1, "late"))
        XCTAssertEqual(connection.takeFrames().map(\.opcode), [0x8])
        XCTAssertEqual(events.all, ["open", "close 1000 "])
    }

    func testPeerEOFWithoutACloseFrameReports1006() {
        let (connection, events) = InMemoryConnection.webSocket()
        connection.peerFinished()
        XCTAssertEqual(connection.state, .closedAfterFlush)
        XCTAssertEqual(events.closes, ["close 1006 connection closed without a close frame"])
    }

    func testGracefulShutdownSendsGoingAwayAndClosesWhenThePeerAnswers() {
        let (connection, events) = InMemoryConnection.webSocket { $0.closeTimeout = .seconds(2) }
        connection.shutdownRequested()
        let close = connection.takeFrames()
        XCTAssertEqual(close.map(\.closeCode), [1001])
        XCTAssertEqual(close.first?.closeReason, "server shutting down")
        connection.feedClose(1001)
        connection.drain()
        XCTAssertEqual(connection.state, .closedAfterFlush)
        XCTAssertEqual(events.closes, ["close 1001 "])
    }

    func testGracefulShutdownGivesUpOnASilentPeerAtTheCloseTimeout() {
        let (connection, events) = InMemoryConnection.webSocket { $0.closeTimeout = .seconds(2) }
        connection.shutdownRequested()
        connection.drain()
        connection.advance(by: .milliseconds(1999))
        XCTAssertEqual(connection.state, .open)
        connection.advance(by: .milliseconds(1))
        XCTAssertEqual(connection.state, .closedNow)
        XCTAssertEqual(events.closes, ["close 1006 close handshake timed out"])
    }
}
