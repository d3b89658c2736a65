import Foundation
import XCTest

@testable import RingwireServer

/// Server events as JSON: presence carries the change only, welcome the member list.
final class ChatEventTests: XCTestCase {
    private func decode(_ event: ChatEvent) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(event.json.utf8)) as? [String: Any])
    }

    func testPresenceCarriesTheChangeWithoutAMemberList() throws {
        let joined = try decode(.presence(room: "lobby", change: .join, name: "bob"))
        XCTAssertEqual(joined as? [String: String], ["type": "presence", "room": "lobby", "event": "join", "name": "bob"])
        let left = try decode(.presence(room: "lobby", change: .leave, name: "bob"))
        XCTAssertEqual(left as? [String: String], ["type": "presence", "room": "lobby", "event": "leave", "name": "bob"])
    }

    func testEventShapes() throws {
        XCTAssertEqual(
            ChatEvent.welcome(room: "lobby", name: "ada", members: ["ada", "bob"]).json,
            #"{"type":"welcome","room":"lobby","name":"ada","members":["ada","bob"]}"#)
        XCTAssertEqual(
            ChatEvent.message(room: "lobby", name: "ada", text: "hi \"you\"\n", time: "2026-11-26T07:00:00Z").json,
            #"{"type":"message","room":"lobby","name":"ada","text":"hi \"you\"\n","time":"2026-11-26T07:00:00Z"}"#)
        XCTAssertEqual(ChatEvent.error(message: "the name \"x\" is taken").json, #"{"type":"error","message":"the name \"x\" is taken"}"#)
    }
}
