import XCTest

@_spi(RingwireInternal) @testable import RingwireTransport

/// `Worker.schedule(at:)` on a running worker (here for `RunningWorker`, which this target has):
/// timers fire in deadline order, never early, and may schedule more.
final class WorkerTimersTests: XCTestCase {
    func testTimersFireInDeadlineOrderNeverEarly() {
        let worker = RunningWorker()
        addTeardownBlock { worker.stop() }
        let fired = Handoff<(Int, Bool)>()
        worker.post { worker in
            let start = worker.now
            for delay in [30, 10, 20] as [Int64] {
                worker.schedule(at: start + delay) { [unowned worker] in fired.put((Int(delay), worker.now >= start + delay)) }
            }
        }
        let order = fired.wait(for: 3)
        XCTAssertEqual(order.map(\.0), [10, 20, 30])
        XCTAssertEqual(order.map(\.1), [true, true, true], "none before its deadline")
    }

    func testATimerMayScheduleTheNext() {
        let worker = RunningWorker()
        addTeardownBlock { worker.stop() }
        let fired = Handoff<Int>()
        worker.post { worker in
            worker.schedule(at: worker.now) { [unowned worker] in
                fired.put(1)
                worker.schedule(at: worker.now + 5) { fired.put(2) }
            }
        }
        XCTAssertEqual(fired.wait(for: 2), [1, 2])
    }
}
