import Logging
import RingwireTestSupport
import XCTest

@_spi(RingwireInternal) @testable import RingwireTransport

/// Lines clients can cause are limited per kind and interval; what was left out is counted.
final class ThrottledLogTests: XCTestCase {
    func testAFloodWritesTheBurstThenOneSummaryPerInterval() {
        let store = CapturingLogHandler.Store()
        let logger = CapturingLogHandler.logger(into: store)
        var log = ThrottledLog()
        for index in 0..<1000 { log.log(.connectionRefused, .warning, now: 100 + Int64(index), to: logger, "refused \(index)") }
        log.log(.acceptFailed, .info, now: 2000, to: logger, "accept failed")
        XCTAssertEqual(store.messages.map(\.text), ["refused 0", "refused 1", "refused 2", "refused 3", "refused 4", "accept failed"])
        XCTAssertEqual(log.nextReport, 100 + ThrottledLog.interval)

        log.reportSuppressed(now: 100 + ThrottledLog.interval - 1, to: logger)
        XCTAssertEqual(store.messages.count, 6, "nothing is reported before the interval ends")
        log.reportSuppressed(now: 100 + ThrottledLog.interval, to: logger)
        XCTAssertEqual(store.messages.last?.level, .warning)
        XCTAssertTrue(
            store.messages.last?.text.hasPrefix("995 more connections refused in 10 s") == true, "\(store.messages.last?.text ?? "")")
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
        for _ in 0..<100 { log.log(.acceptFailed, .info, now: 0, to: logger, "accept failed") }
        log.reportSuppressed(now: ThrottledLog.interval, to: logger)
        XCTAssertTrue(store.messages.isEmpty)
    }

    /// Layers above declare their own kinds; each gets its own allowance, not the transport's.
    func testAKindDeclaredElsewhereHasItsOwnAllowance() {
        let store = CapturingLogHandler.Store()
        let logger = CapturingLogHandler.logger(into: store)
        let violations = ThrottledLog.Kind(summary: "protocol violations")
        var log = ThrottledLog()
        for index in 0..<10 { log.log(.connectionRefused, .warning, now: 0, to: logger, "refused \(index)") }
        for index in 0..<10 { log.log(violations, .notice, now: 0, to: logger, "violation \(index)") }
        XCTAssertEqual(store.messages.filter { $0.text.hasPrefix("violation") }.count, ThrottledLog.burst)
        log.reportSuppressed(now: ThrottledLog.interval, to: logger)
        let summaries = store.messages.map(\.text).filter { $0.contains(" more ") }.sorted()
        XCTAssertEqual(summaries.count, 2)
        XCTAssertTrue(summaries[0].hasPrefix("5 more connections refused"), summaries[0])
        XCTAssertTrue(summaries[1].hasPrefix("5 more protocol violations"), summaries[1])
    }
}
