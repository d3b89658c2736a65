import RingwireTestSupport
import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

/// Partial messages of all a worker's connections share one `MessageBufferBudget`.
final class MessageBufferBudgetTests: XCTestCase {
    /// Feeds `bytes` (copied into a scratch receive buffer) to `reader`, returning the events.
    private func feed(_ reader: inout WebSocketMessageReader, _ bytes: [UInt8], budget: MessageBufferBudget) -> [RecordedEvent] {
        var copy = bytes
        return copy.withUnsafeMutableBytes { buffer in
            var input = buffer
            var events: [RecordedEvent] = []
            while let event = RecordedEvent(reader.next(&input, budget: budget)) {
                events.append(event)
                if event.failureCode != nil { break }
            }
            return events
        }
    }

    func testTheConnectionThatWouldPassTheBudgetFailsWith1013AndOthersCarryOn() {
        let budget = MessageBufferBudget(limit: 150 * 1024)
        let payload = [UInt8](repeating: 0x61, count: 120 * 1024)
        let frame = clientFrame(0x2, payload)
        let half = 8 + 60 * 1024  // the 14-byte header (64-bit length form is 10 + mask 4) and some payload

        var first = WebSocketMessageReader(limits: WebSocketReaderLimits(), allowsRSV1: false)
        XCTAssertEqual(feed(&first, Array(frame[..<half]), budget: budget), [])
        XCTAssertGreaterThan(budget.used, 0)

        // A second connection's message fits its own 16 MiB limit but not what is left of the budget.
        var second = WebSocketMessageReader(limits: WebSocketReaderLimits(), allowsRSV1: false)
        XCTAssertEqual(feed(&second, Array(frame[..<half]), budget: budget), [])
        XCTAssertEqual(feed(&second, Array(frame[half...]), budget: budget).last?.failureCode, 1013)

        // The first completes; its large buffer goes back once the message is consumed.
        XCTAssertEqual(feed(&first, Array(frame[half...]), budget: budget), [.message(.binary, payload, compressed: false)])
        XCTAssertEqual(feed(&first, clientFrame(0x9, []), budget: budget), [.ping([])])
        XCTAssertEqual(budget.used, 0, "the failed reader and the finished message hold nothing")
    }

    func testSmallBuffersAreKeptForReuseOnlyWhileHalfTheBudgetIsFree() {
        let budget = MessageBufferBudget(limit: 16 * 1024)
        let frame = clientFrame(0x1, String(repeating: "x", count: 3000))
        var readers = (0..<3).map { _ in WebSocketMessageReader(limits: WebSocketReaderLimits(), allowsRSV1: false) }
        for index in readers.indices {
            // Split so the frame goes to storage (4 KiB first allocation), then completes.
            XCTAssertEqual(feed(&readers[index], Array(frame[..<100]), budget: budget), [])
            XCTAssertEqual(feed(&readers[index], Array(frame[100...]), budget: budget).count, 1)
            XCTAssertEqual(feed(&readers[index], clientFrame(0xA, []), budget: budget), [.pong([])])
        }
        // Two 4 KiB buffers are kept (8 KiB = half the budget), the third is freed.
        XCTAssertEqual(budget.used, 8 * 1024)
        readers.removeAll()
        XCTAssertEqual(budget.used, 0, "a reader gives its buffer back when it goes")
    }
}
