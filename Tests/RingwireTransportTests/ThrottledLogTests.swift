import Logging
import RingwireTestSupport
import XCTest
@testable import RingwireTransport

/// Lines clients can cause are limited per kind and interval; what was left out is counted.
final class ThrottledLogTests: XCTestCase {
    func testAFloodWritesTheBurstThenOneSummaryPerInterval() {
        let store = CapturingLogHandler.Store()
        let logger = CapturingLogHandler.logger(into: store)
        var log = ThrottledLog()
        for index in 0..<1000 { log.log(.connectionRefused, .warning, now: 100 + Int64(index), to: logger, "refused \(index)") }
        log.log(.httpRejected, .info, now: 2000, to: logger, "rejected")
        XCTAssertEqual(store.messages.map(\.text), ["refused 0", "refused 1", "refused 2", "refused 3", "refused 4", "rejected"])
        XCTAssertEqual(log.nextReport, 100 + ThrottledLog.interval)

        log.reportSuppressed(now: 100 + ThrottledLog.interval - 1, to: logger)
        XCTAssertEqual(store.messages.count, 6, "nothing is reported before the interval ends")
        log.reportSuppressed(now: 100 + ThrottledLog.interval, to: logger)
        XCTAssertEqual(store.messages.last?.level, .warning)
        XCTAssertTrue(store.messages.last?.text.hasPrefix("995 more connections refused in 10 s") == true, "\(store.messages.last?.text ?? "")")
        XCTAssertEqual(log.nextReport, .max)

        // A new interval starts with a new allowance.
        log.log(.connectionRefused, .warning, now: 200 + ThrottledLog.interval, to: logger, "refused again")
        XCTAssertEqual(store.messages.last?.text, "refused again")
    }

    func testLinesBelowTheLoggersLevelCostNothing() {
        let store = CapturingLogHandler.Store()
        var logger = CapturingLogHandler.logger(into: store)
        logger.logLevel = .warning
        var log = ThrottledLog()
        for _ in 0..<100 { log.log(.httpRejected, .info, now: 0, to: logger, "rejected") }
        log.reportSuppressed(now: ThrottledLog.interval, to: logger)
        XCTAssertTrue(store.messages.isEmpty)
    }
}
