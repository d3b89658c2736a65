import RingwireTestSupport
import XCTest

@testable import Ringwire

/// The send queue's limit on the embedded harness: policies, `onDrain`, and pongs to a ping flood.
final class WebSocketBackpressureTests: XCTestCase {
    /// A 512-byte message takes 516 bytes framed: the second takes the queue over 1 KiB.
    func testDropPolicyDropsNewMessagesUntilTheQueueDrainsThenCallsOnDrain() {
        let (connection, events) = InMemoryConnection.webSocket {
            $0.maxBackpressure = 1024
            $0.backpressurePolicy = .dropNewMessages
        }
        connection.feedText("send:10:512")
        XCTAssertEqual(events.all.last, "sent queued 1, over limit 1, dropped 8")
        XCTAssertEqual(connection.bufferedAmount, 2 * 516)
        XCTAssertEqual(connection.takeFrames().count, 2)
        connection.drain()
        XCTAssertEqual(events.all.last, "drain")
        connection.feedText("send:1:512")
        XCTAssertEqual(events.all.last, "sent queued 1, over limit 0, dropped 0")
        XCTAssertTrue(connection.isOpen)
    }

    func testClosePolicyClosesWithItsCode() {
        let (connection, events) = InMemoryConnection.webSocket {
            $0.maxBackpressure = 1024
            $0.backpressurePolicy = .close(.tryAgainLater)
        }
        connection.feedText("send:3:512")
        XCTAssertEqual(events.all.last, "sent queued 1, over limit 1, dropped 1")
        let frames = connection.takeFrames()
        XCTAssertEqual(frames.map(\.opcode), [0x2, 0x2, 0x8])
        XCTAssertEqual(frames.last?.closeCode, 1013)
        XCTAssertEqual(frames.last?.closeReason, "send queue full")
        XCTAssertEqual(connection.logged.map(\.kind), [.webSocketPolicyClose])
        connection.feedClose(1013)
        XCTAssertEqual(events.closes, ["close 1013 "])
    }

    /// A handler's own pings obey the policy like messages do.
    func testHandlerPingsObeyTheBackpressurePolicy() {
        let (connection, events) = InMemoryConnection.webSocket {
            $0.maxBackpressure = 64 * 1024
            $0.backpressurePolicy = .dropNewMessages
        }
        connection.feedText("ping:1000")
        // 102 bytes a ping: the 643rd takes the queue over 64 KiB.
        XCTAssertEqual(events.all.last, "pinged queued 642, over limit 1, dropped 357")
        XCTAssertEqual(connection.bufferedAmount, 643 * 102)
        XCTAssertEqual(connection.takeFrames().count, 643)
        connection.drain()
        XCTAssertEqual(events.all.last, "drain")
    }

    /// A client that pings without reading gets 16 pongs queued, then only the latest ping is
    /// answered, once the queue drains; every ping still reaches the handler.
    func testPongsToAPingFloodAreCoalescedUntilTheQueueDrains() {
        let (connection, events) = InMemoryConnection.webSocket { $0.deliversPings = true }
        func payload(_ index: Int) -> [UInt8] { Array(String(1_000_000_000 + index).utf8) }
        connection.feed((0..<1000).flatMap { clientFrame(0x9, payload($0)) })
        XCTAssertEqual(events.all.filter { $0.hasPrefix("ping ") }.count, 1000)
        XCTAssertEqual(connection.takeFrames(), (0..<16).map { ServerFrame(opcode: 0xA, payload: payload($0)) })
        XCTAssertEqual(connection.bufferedAmount, 16 * 12)
        connection.drain()
        XCTAssertEqual(connection.takeFrames(), [ServerFrame(opcode: 0xA, payload: payload(999))])
        connection.drain()
        XCTAssertEqual(connection.takeFrames(), [])
    }
}
