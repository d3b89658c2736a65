import RingwireTestSupport
import XCTest

@testable import Ringwire

/// The idle timeout on the embedded harness: a silent peer is pinged, then closed with 1001.
final class WebSocketIdleTimeoutTests: XCTestCase {
    func testSilentPeerIsPingedAtTheIdleTimeoutThenClosedWith1001() {
        let (connection, events) = InMemoryConnection.webSocket { $0.idleTimeout = .milliseconds(200) }
        connection.advance(by: .milliseconds(199))
        XCTAssertEqual(connection.takeFrames(), [])
        connection.advance(by: .milliseconds(1))
        XCTAssertEqual(connection.takeFrames().map(\.opcode), [0x9])
        connection.advance(by: .milliseconds(199))
        XCTAssertEqual(connection.takeFrames(), [])
        connection.advance(by: .milliseconds(1))
        let close = connection.takeFrames()
        XCTAssertEqual(close.map(\.closeCode), [1001])
        XCTAssertEqual(close.first?.closeReason, "idle timeout")
        XCTAssertEqual(events.closes, [], "reported before the peer answered or the close timed out")
    }

    /// Every message pushes the idle deadline later, so a peer that keeps talking is never pinged.
    func testTalkingPeerIsNeverPinged() {
        let (connection, _) = InMemoryConnection.webSocket { $0.idleTimeout = .milliseconds(600) }
        for index in 0..<24 {
            connection.advance(by: .milliseconds(100))
            connection.feedText("\(index)")
            XCTAssertEqual(connection.takeFrames().map(\.text), ["\(index)"], "message \(index)")
        }
        connection.advance(by: .milliseconds(599))
        XCTAssertEqual(connection.takeFrames(), [])
        connection.advance(by: .milliseconds(1))
        XCTAssertEqual(connection.takeFrames().map(\.opcode), [0x9])
    }

    func testAnsweredPingsKeepTheConnectionOpen() {
        let (connection, events) = InMemoryConnection.webSocket { $0.idleTimeout = .milliseconds(200) }
        for round in 0..<5 {
            connection.advance(by: .milliseconds(200))
            XCTAssertEqual(connection.takeFrames().map(\.opcode), [0x9], "round \(round)")
            connection.feedFrame(0xA)
        }
        XCTAssertTrue(connection.isOpen)
        XCTAssertEqual(events.all.filter { $0.hasPrefix("pong") }.count, 5)
    }

    func testWithoutPingsASilentPeerIsClosedAtTheIdleTimeout() {
        let (connection, _) = InMemoryConnection.webSocket {
            $0.idleTimeout = .milliseconds(200)
            $0.sendsPings = false
        }
        connection.advance(by: .milliseconds(200))
        XCTAssertEqual(connection.takeFrames().map(\.closeCode), [1001])
    }

    /// Timeouts of `.seconds(.max)` mean "never": the deadline arithmetic must not overflow.
    func testEndlessTimeoutsNeverFire() {
        let (connection, _) = InMemoryConnection.webSocket {
            $0.idleTimeout = .seconds(Int64.max)
            $0.closeTimeout = .seconds(Int64.max)
        }
        connection.advance(by: .seconds(365 * 24 * 3600))
        connection.feedText("still here")
        XCTAssertEqual(connection.takeFrames().map(\.text), ["still here"])
    }
}
