import XCTest

@testable import Ringwire
@_spi(RingwireInternal) @testable import RingwireTransport

/// Timeouts are kept as whole milliseconds added to the loop's clock.
final class DurationMillisecondsTests: XCTestCase {
    func testRoundsUpSoATinyTimeoutIsNotZero() {
        XCTAssertEqual(Duration.nanoseconds(1).milliseconds, 1)
        XCTAssertEqual(Duration.milliseconds(1500).milliseconds, 1500)
        XCTAssertEqual(Duration.seconds(2).milliseconds, 2000)
        XCTAssertEqual(Duration.zero.milliseconds, 0)
    }

    /// `.seconds(.max)` must not trap, and adding it to a clock reading must not overflow either.
    func testHugeDurationsAreClampedToACentury() {
        let century: Int64 = 100 * 365 * 86_400 * 1000
        XCTAssertEqual(Duration.seconds(Int64.max).milliseconds, century)
        XCTAssertEqual(Duration.seconds(Int64.min).milliseconds, -century)
        let (_, overflow) = MonotonicClock.now().addingReportingOverflow(Duration.seconds(Int64.max).milliseconds)
        XCTAssertFalse(overflow)
    }
}
