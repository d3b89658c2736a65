import XCTest

@testable import Ringwire

final class WorkerSetTests: XCTestCase {
    func testMembersAcrossWordsAreListedInOrderAndEmptinessIsReported() {
        let set = WorkerSet()
        for worker in [255, 0, 63, 64, 130] { set.insert(worker) }
        var members: [Int] = []
        set.forEach { members.append($0) }
        XCTAssertEqual(members, [0, 63, 64, 130, 255])
        XCTAssertFalse(set.remove(0))
        XCTAssertFalse(set.remove(64))
        XCTAssertFalse(set.remove(255))
        XCTAssertFalse(set.remove(7), "removing a non-member leaves the others")
        XCTAssertFalse(set.remove(63))
        XCTAssertTrue(set.remove(130))
        members = []
        set.forEach { members.append($0) }
        XCTAssertEqual(members, [])
    }
}
