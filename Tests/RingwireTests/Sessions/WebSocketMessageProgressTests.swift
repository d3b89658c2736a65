import RingwireTestSupport
import XCTest

@testable import Ringwire

/// `minimumMessageProgress` on the embedded harness: an incomplete message must keep growing.
final class WebSocketMessageProgressTests: XCTestCase {
    private let rule = WebSocketMessageProgress(bytes: 1000, interval: .milliseconds(300))

    /// Pings between fragments keep the idle timer alive, never the progress check.
    func testAStalledMessageIsClosed1008EvenWhilePingsKeepComing() {
        let (connection, events) = InMemoryConnection.webSocket { $0.minimumMessageProgress = self.rule }
        connection.feedFrame(0x2, [UInt8](repeating: 1, count: 600), fin: false)
        for _ in 0..<5 {
            connection.advance(by: .milliseconds(50))
            connection.feedFrame(0x9)
        }
        XCTAssertEqual(connection.takeFrames().map(\.opcode), [0xA, 0xA, 0xA, 0xA, 0xA])
        connection.advance(by: .milliseconds(49))
        XCTAssertEqual(connection.takeFrames(), [])
        connection.advance(by: .milliseconds(1))
        let close = connection.takeFrames()
        XCTAssertEqual(close.map(\.closeCode), [1008])
        XCTAssertEqual(close.first?.closeReason, "message arriving too slowly")
        XCTAssertEqual(events.closes, ["close 1008 message arriving too slowly"])
        XCTAssertEqual(connection.logged.map(\.kind), [.webSocketPolicyClose])
    }

    func testASlowButSteadyMessageCompletes() {
        let (connection, _) = InMemoryConnection.webSocket {
            $0.minimumMessageProgress = WebSocketMessageProgress(bytes: 1000, interval: .seconds(1))
        }
        let payload = (0..<40_000).map { UInt8(truncatingIfNeeded: $0) }
        let frame = clientFrame(0x2, payload)
        for start in stride(from: 0, to: frame.count, by: 4000) {
            connection.advance(by: .milliseconds(100))
            connection.feed(Array(frame[start..<min(start + 4000, frame.count)]))
        }
        XCTAssertEqual(connection.takeFrames().map(\.payload), [payload])
    }

    /// Once the message completes, the idle timeout is back in charge.
    func testTheIdleTimeoutReturnsAfterTheMessageCompletes() {
        let (connection, _) = InMemoryConnection.webSocket {
            $0.minimumMessageProgress = self.rule
            $0.idleTimeout = .seconds(2)
        }
        connection.feedFrame(0x1, Array("ab".utf8), fin: false)
        connection.advance(by: .milliseconds(100))
        connection.feedFrame(0x0, Array("cd".utf8))
        XCTAssertEqual(connection.takeFrames().map(\.text), ["abcd"])
        connection.advance(by: .milliseconds(1999))
        XCTAssertEqual(connection.takeFrames(), [])
        connection.advance(by: .milliseconds(1))
        XCTAssertEqual(connection.takeFrames().map(\.opcode), [0x9])
    }
}
