import Ringwire
import XCTest

@testable import RingwireServer

/// The member registry: unique names per room, renames and moves in one step, the member cap.
final class ChatRoomsTests: XCTestCase {
    private func id(_ slot: UInt32) -> ConnectionID { ConnectionID(worker: 0, slot: slot, generation: 1) }

    func testNamesAreUniquePerRoom() {
        let rooms = ChatRooms()
        XCTAssertEqual(rooms.join("lobby", name: "ada", id: id(1), leaving: nil), .joined)
        XCTAssertEqual(rooms.join("lobby", name: "ada", id: id(2), leaving: nil), .nameTaken)
        // Canonically equivalent spellings are the same name.
        XCTAssertEqual(rooms.join("lobby", name: "é", id: id(3), leaving: nil), .joined)
        XCTAssertEqual(rooms.join("lobby", name: "e\u{301}", id: id(2), leaving: nil), .nameTaken)
        XCTAssertEqual(rooms.join("den", name: "ada", id: id(2), leaving: nil), .joined)
        XCTAssertEqual(rooms.members(of: "lobby"), ["ada": id(1), "é": id(3)])
        XCTAssertEqual(rooms.members(of: "den"), ["ada": id(2)])
    }

    func testRenameAndMoveReplaceThePreviousMembership() {
        let rooms = ChatRooms()
        XCTAssertEqual(rooms.join("lobby", name: "ada", id: id(1), leaving: nil), .joined)
        XCTAssertEqual(rooms.join("lobby", name: "bob", id: id(2), leaving: nil), .joined)
        XCTAssertEqual(rooms.join("lobby", name: "ada2", id: id(1), leaving: ("lobby", "ada")), .joined)
        XCTAssertEqual(rooms.members(of: "lobby"), ["ada2": id(1), "bob": id(2)])
        XCTAssertEqual(rooms.join("den", name: "ada2", id: id(1), leaving: ("lobby", "ada2")), .joined)
        XCTAssertEqual(rooms.members(of: "lobby"), ["bob": id(2)])
        XCTAssertEqual(rooms.members(of: "den"), ["ada2": id(1)])
        // Refused: bob stays where he was.
        XCTAssertEqual(rooms.join("den", name: "ada2", id: id(2), leaving: ("lobby", "bob")), .nameTaken)
        XCTAssertEqual(rooms.members(of: "lobby"), ["bob": id(2)])
    }

    func testLeaveRemovesOnlyItsOwnEntryAndEmptyRooms() {
        let rooms = ChatRooms()
        XCTAssertEqual(rooms.join("lobby", name: "ada", id: id(1), leaving: nil), .joined)
        rooms.leave("lobby", name: "ada", id: id(2))
        XCTAssertEqual(rooms.members(of: "lobby"), ["ada": id(1)])
        rooms.leave("lobby", name: "ada", id: id(1))
        XCTAssertEqual(rooms.members(of: "lobby"), [:])
        XCTAssertEqual(rooms.join("lobby", name: "ada", id: id(2), leaving: nil), .joined)
    }

    func testAFullRoomRefusesNewMembersButNotRenames() {
        let rooms = ChatRooms()
        let limit = ChatRooms.maximumMembersPerRoom
        for slot in 0..<UInt32(limit) {
            XCTAssertEqual(rooms.join("lobby", name: "m\(slot)", id: id(slot), leaving: nil), .joined)
        }
        XCTAssertEqual(rooms.join("lobby", name: "late", id: id(UInt32(limit)), leaving: nil), .roomFull)
        XCTAssertEqual(rooms.join("lobby", name: "renamed", id: id(0), leaving: ("lobby", "m0")), .joined)
        XCTAssertEqual(rooms.members(of: "lobby").count, limit)
        rooms.leave("lobby", name: "m1", id: id(1))
        XCTAssertEqual(rooms.join("lobby", name: "late", id: id(UInt32(limit)), leaving: nil), .joined)
    }

    /// A snapshot is a value: later changes do not reach it.
    func testMembersIsASnapshot() {
        let rooms = ChatRooms()
        XCTAssertEqual(rooms.join("lobby", name: "ada", id: id(1), leaving: nil), .joined)
        let snapshot = rooms.members(of: "lobby")
        XCTAssertEqual(rooms.join("lobby", name: "bob", id: id(2), leaving: nil), .joined)
        XCTAssertEqual(snapshot, ["ada": id(1)])
    }
}
