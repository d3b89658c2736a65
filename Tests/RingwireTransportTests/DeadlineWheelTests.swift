import RingwireTestSupport
import XCTest

@_spi(RingwireInternal) @testable import RingwireTransport

final class DeadlineWheelTests: XCTestCase {
    private let start: Int64 = 1_000_000

    private func entry(_ slot: UInt32, _ tick: UInt32) -> DeadlineWheel.Entry {
        DeadlineWheel.Entry(slot: slot, tick: tick)
    }

    private func due(_ wheel: inout DeadlineWheel, at now: Int64) -> [UInt32] {
        var entries: [DeadlineWheel.Entry] = []
        wheel.takeDue(now: now, into: &entries)
        return entries.map(\.slot)
    }

    func testEntriesComeDueAtTheirTickAndNotBefore() {
        var wheel = DeadlineWheel(now: start)
        let tick = wheel.tick(for: start + 120)  // 120 ms: the tick at 150 ms
        wheel.schedule(entry(1, tick))
        XCTAssertEqual(wheel.nextDue(), start + 150)
        XCTAssertEqual(due(&wheel, at: start + 149), [])
        XCTAssertEqual(due(&wheel, at: start + 150), [1])
        XCTAssertEqual(due(&wheel, at: start + 10_000), [])
        XCTAssertEqual(wheel.count, 0)
        XCTAssertNil(wheel.nextDue())
    }

    func testEntriesBeyondOneRevolutionWaitForTheirLap() {
        var wheel = DeadlineWheel(now: start)
        let revolution = Int64(DeadlineWheel.bucketCount) * DeadlineWheel.tickMilliseconds
        wheel.schedule(entry(1, wheel.tick(for: start + 100)))
        wheel.schedule(entry(2, wheel.tick(for: start + 100 + revolution)))  // same bucket, next lap
        XCTAssertEqual(due(&wheel, at: start + 100), [1])
        XCTAssertEqual(due(&wheel, at: start + 99 + revolution), [])
        XCTAssertEqual(due(&wheel, at: start + 100 + revolution), [2])
    }

    func testALongStallHandsOutEverythingDueOnce() {
        var wheel = DeadlineWheel(now: start)
        for slot in UInt32(0)..<1000 {
            wheel.schedule(entry(slot, wheel.tick(for: start + Int64(slot) * 700)))
        }
        let later = start + 999 * 700 + 1
        XCTAssertEqual(Set(due(&wheel, at: later)), Set(0..<1000))
        XCTAssertEqual(wheel.count, 0)
    }

    func testScheduledTicksAreNeverOnesAlreadyHandedOut() {
        var wheel = DeadlineWheel(now: start)
        _ = due(&wheel, at: start + 1_000)
        let tick = wheel.tick(for: start + 10)  // already in the past
        wheel.schedule(entry(7, tick))
        XCTAssertEqual(due(&wheel, at: start + 1_000), [], "not handed out before its (next) tick")
        XCTAssertEqual(due(&wheel, at: start + 1_050), [7])
    }

    func testNextDueIsNeverLaterThanTheEarliestEntry() {
        var generator = SplitMix(seed: 20261126)
        var wheel = DeadlineWheel(now: start)
        var now = start
        var pending: [UInt32: Int64] = [:]  // slot -> deadline
        for slot in UInt32(0)..<3000 {
            let deadline = now + Int64.random(in: 0...400_000, using: &generator)
            pending[slot] = deadline
            wheel.schedule(entry(slot, wheel.tick(for: deadline)))
            if slot % 10 == 0 {
                if let next = wheel.nextDue(), let earliest = pending.values.min() {
                    XCTAssertLessThanOrEqual(next, max(earliest, now) + DeadlineWheel.tickMilliseconds)
                }
                now += Int64.random(in: 0...2_000, using: &generator)
                for slot in due(&wheel, at: now) {
                    let deadline = pending.removeValue(forKey: slot)
                    XCTAssertNotNil(deadline)
                    XCTAssertLessThanOrEqual(deadline ?? .max, now, "handed out before its deadline")
                }
                XCTAssertFalse(
                    pending.values.contains { $0 + DeadlineWheel.tickMilliseconds <= now }, "a passed deadline was not handed out")
            }
        }
    }
}
