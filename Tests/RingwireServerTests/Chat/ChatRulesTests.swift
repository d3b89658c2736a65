import XCTest

@testable import RingwireServer

/// The validation rules for names, rooms and texts (README, "The chat room").
final class ChatRulesTests: XCTestCase {
    private func nameError(_ name: String) -> String? {
        do throws(ChatError) {
            try ChatRules.checkName(name)
            return nil
        } catch {
            return error.message
        }
    }

    func testAcceptedNames() {
        let names = [
            "ada", "Ada Lovelace", "a  b", String(repeating: "x", count: 32), String(repeating: "é", count: 32),
            String(repeating: "中", count: 21), String(repeating: "😀", count: 16), "0001" + String(repeating: "\u{301}", count: 28),
            "e\u{301}", "O'Brien-Smith", "\u{E000}private",
        ]
        for name in names { XCTAssertNil(nameError(name), name) }
    }

    func testNamesAreLimitedInScalarsAndBytesNotCharacters() {
        // The reported name: 4 grapheme clusters, 7,004 scalars, 14,004 bytes.
        let combining = "0001" + String(repeating: "\u{301}", count: 7000)
        XCTAssertEqual(combining.count, 4)
        for name in [
            combining, "0001" + String(repeating: "\u{301}", count: 29), String(repeating: "x", count: 33),
            String(repeating: "é", count: 33), String(repeating: "中", count: 22), String(repeating: "😀", count: 17), "",
        ] {
            XCTAssertEqual(
                nameError(name), "name must be 1–32 characters (Unicode scalars) and at most 64 bytes of UTF-8",
                "\(name.unicodeScalars.count) scalars, \(name.utf8.count) bytes")
        }
    }

    func testNamesRefuseControlFormatAndSeparatorCharacters() {
        let names = [
            "\u{0}", "ada\u{0}", "ada\u{7}", "a\tb", "a\nb", "a\u{7F}b", "a\u{85}b", "\u{202E}evil", "zero\u{200B}width",
            "👨\u{200D}👩", "\u{FEFF}bom", "soft\u{AD}hyphen", "a\u{2028}b", "a\u{2029}b", "tag\u{E0041}",
        ]
        for name in names {
            XCTAssertEqual(
                nameError(name), "name must not contain control, format or line-separator characters",
                name.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: " "))
        }
    }

    func testNamesRefuseWhitespaceAtEitherEnd() {
        for name in [" ada", "ada ", "\u{3000}ada", "ada\u{A0}", " ", "\u{2003}"] {
            XCTAssertEqual(nameError(name), "name must not start or end with whitespace", name)
        }
    }

    func testRooms() {
        for room in ["lobby", "A-z_0-9", String(repeating: "r", count: 64), "-", "_"] {
            XCTAssertNoThrow(try ChatRules.checkRoom(room), room)
        }
        for room in ["", String(repeating: "r", count: 65), "bad room", "Ωmega", "lobby\n", "lob.by", " lobby", "lobby\u{0}"] {
            XCTAssertThrowsError(try ChatRules.checkRoom(room), room) { error in
                XCTAssertEqual((error as? ChatError)?.message, "room must be 1–64 letters, digits, '-' or '_'")
            }
        }
    }

    func testTextsAreLimitedInScalars() {
        for text in [
            String(repeating: "x", count: 2000), String(repeating: "é", count: 2000), "\u{0}", "line\nbreak",
            String(repeating: "😀", count: 2000),
        ] {
            XCTAssertNoThrow(try ChatRules.checkText(text))
        }
        XCTAssertThrowsError(try ChatRules.checkText(""))
        for text in [
            String(repeating: "x", count: 2001), String(repeating: "é", count: 2001),
            "a" + String(repeating: "\u{301}", count: 2000),
        ] {
            XCTAssertThrowsError(try ChatRules.checkText(text)) { error in
                XCTAssertEqual((error as? ChatError)?.message, "text is longer than 2000 characters (Unicode scalars)")
            }
        }
    }
}
