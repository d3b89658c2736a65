import XCTest

@testable import RingwireServer

/// Client messages: the three shapes, and refusals with the error text the client sees.
final class ChatRequestTests: XCTestCase {
    private func parse(_ text: String) -> Result<ChatRequest, ChatError> {
        Array(text.utf8).withUnsafeBytes { ChatRequest.parse($0) }
    }

    private func assertRefused(_ text: String, containing expected: String, file: StaticString = #filePath, line: UInt = #line) {
        switch parse(text) {
        case .success(let request): XCTFail("\(text.prefix(80)) accepted as \(request)", file: file, line: line)
        case .failure(let error): XCTAssert(error.message.contains(expected), error.message, file: file, line: line)
        }
    }

    func testTheThreeShapes() {
        XCTAssertEqual(try parse(#"{"type":"join","room":"lobby","name":"ada"}"#).get(), .join(room: "lobby", name: "ada"))
        XCTAssertEqual(try parse(#"{"name":"ada","room":"lobby","type":"join","extra":[1]}"#).get(), .join(room: "lobby", name: "ada"))
        XCTAssertEqual(try parse(#"{"type":"say","text":"hi \"there\" \ud83d\ude00"}"#).get(), .say(text: "hi \"there\" 😀"))
        XCTAssertEqual(try parse(#"{"type":"leave"}"#).get(), .leave)
        XCTAssertEqual(try parse(#"{"type":"le\u0061ve"}"#).get(), .leave)
    }

    func testCombiningMarkNameIsRefused() {
        let name = "0001" + String(repeating: "\u{301}", count: 7000)
        assertRefused(#"{"type":"join","room":"lobby","name":""# + name + #""}"#, containing: "at most 64 bytes")
    }

    func testEscapedNulNameIsRefused() {
        assertRefused(#"{"type":"join","room":"lobby","name":"\u0000"}"#, containing: "control")
        assertRefused(#"{"type":"join","room":"lobby","name":"ada\u202e"}"#, containing: "format")
    }

    func testRefusals() {
        assertRefused("not json", containing: "JSON")
        assertRefused("[1,2]", containing: "JSON")
        assertRefused(#"{"type":"say","text":"\ud83d"}"#, containing: "unpaired surrogate")
        assertRefused(#"{"room":"lobby"}"#, containing: "\"type\"")
        assertRefused(#"{"type":"dance"}"#, containing: "unknown type")
        assertRefused("{\"type\":\"join\u{301}\",\"room\":\"lobby\",\"name\":\"ada\"}", containing: "unknown type")
        assertRefused(#"{"type":"join","room":"lobby"}"#, containing: "\"name\"")
        assertRefused(#"{"type":"join","room":"bad room!","name":"x"}"#, containing: "room")
        assertRefused(#"{"type":"join","room":"lobby","name":" ada"}"#, containing: "whitespace")
        assertRefused(#"{"type":"say"}"#, containing: "non-empty")
        assertRefused(#"{"type":"say","text":""}"#, containing: "non-empty")
        assertRefused(#"{"type":"say","text":5}"#, containing: "must be a string")
        assertRefused(#"{"type":"say","text":""# + String(repeating: "x", count: 2001) + #""}"#, containing: "2000")
    }
}
