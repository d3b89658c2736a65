import XCTest

@_spi(RingwireInternal) @testable import RingwireTransport

/// A worker's object opens on that worker's thread only — not on another thread, and not on a
/// worker with the same index belonging to another server in the same process.
final class WorkerLocalTests: XCTestCase {
    private final class Marker: Sendable {}

    func testOpensOnlyOnTheOwningWorkersThread() {
        let owner = RunningWorker()
        let sameIndexElsewhere = RunningWorker()
        addTeardownBlock {
            owner.stop()
            sameIndexElsewhere.stop()
        }
        let local = WorkerLocal<Marker>()
        let marker = Marker()
        let installed = Handoff<Bool>()
        owner.post { worker in
            local.install(marker, on: worker)
            installed.put(true)
        }
        XCTAssertEqual(installed.wait(for: 1), [true])

        let opened = Handoff<Bool>()
        owner.post { _ in opened.put(local.onCurrentThread === marker) }
        XCTAssertEqual(opened.wait(for: 1), [true], "the owner opens it")
        sameIndexElsewhere.post { worker in opened.put(worker.index == 0 && local.onCurrentThread == nil) }
        XCTAssertEqual(opened.wait(for: 2), [true, true], "worker 0 of another server does not")
        XCTAssertNil(local.onCurrentThread, "a thread that runs no worker does not")
    }
}
