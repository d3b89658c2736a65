import Foundation
import RingwireTestSupport
import XCTest

@testable import RingwireServer

/// The chat's JSON writer: exactly the escapes RFC 8259 requires, and output that an independent
/// decoder (Foundation's) and the chat's own reader both read back to the same scalars.
final class ChatJSONWriterTests: XCTestCase {
    private func object(_ key: String, _ value: String) -> String {
        var writer = ChatJSONWriter()
        writer.member(key, value)
        return writer.finish()
    }

    func testEscapesExactlyWhatJSONRequires() {
        XCTAssertEqual(
            object("text", "a\"b\\c/d\n\r\t\u{8}\u{C}\u{0}\u{1F}\u{7F}é😀\u{2028}"),
            "{\"text\":\"a\\\"b\\\\c/d\\n\\r\\t\\b\\f\\u0000\\u001f\u{7F}é😀\u{2028}\"}")
        var writer = ChatJSONWriter()
        writer.member("type", "welcome")
        writer.member("members", ["a\"", "b"])
        writer.member("empty", [])
        XCTAssertEqual(writer.finish(), #"{"type":"welcome","members":["a\"","b"],"empty":[]}"#)
        XCTAssertEqual(ChatJSONWriter().finish(), "{}")
    }

    func testRoundTripsUnusualStrings() throws {
        var random = SplitMix(seed: 0xE5CA_9E)
        var strings = [
            String((0..<0x80).map { Character(Unicode.Scalar(UInt8($0))) }), "\"\u{301}", "\\\u{301}", "\n\u{301}",
            "😀𝄞\u{10FFFF}", "\u{FEFF}\u{202E}\u{2028}\u{2029}", "", "0001" + String(repeating: "\u{301}", count: 100),
        ]
        let pool: [ClosedRange<UInt32>] = [0...0x7F, 0x80...0x7FF, 0x300...0x36F, 0x800...0xD7FF, 0xE000...0xFFFF, 0x10000...0x10FFFF]
        for _ in 0..<500 {
            let scalars = (0..<Int(random.next() % 40)).compactMap { _ in
                let range = pool[Int(random.next() % UInt64(pool.count))]
                return Unicode.Scalar(range.lowerBound + UInt32(random.next() % UInt64(range.count)))
            }
            strings.append(String(String.UnicodeScalarView(scalars)))
        }
        // Foundation drops a U+FEFF at the start of a string value, so every string starts with "<".
        for string in strings.map({ "<" + $0 }) {
            let json = object("text", string)
            let foundation = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String]
            XCTAssertEqual(foundation?["text"].map { Array($0.unicodeScalars) }, Array(string.unicodeScalars), json)
            let ours = Array(json.utf8).withUnsafeBytes { ChatJSONReader.stringMembers(["text"], of: $0) }
            guard case .success(let values) = ours else { return XCTFail("\(json) refused by the reader") }
            XCTAssertEqual(values.first??.unicodeScalars.map { $0 }, Array(string.unicodeScalars), json)
        }
    }

    /// What a browser or Python sends: every scalar escaped, non-BMP ones as surrogate pairs.
    func testReadsWhatOtherEncodersWrite() throws {
        let string = "q\"b\\ \u{0}\u{1F} é 中 😀 𝄞 \u{2028} \u{301}"
        for options: JSONSerialization.WritingOptions in [[], [.withoutEscapingSlashes]] {
            let json = try JSONSerialization.data(withJSONObject: ["text": string], options: options)
            let values = json.withUnsafeBytes { ChatJSONReader.stringMembers(["text"], of: $0) }
            XCTAssertEqual(try values.get().first??.unicodeScalars.map { $0 }, Array(string.unicodeScalars))
        }
        var escaped = #"{"text":""#
        for unit in string.utf16 { escaped += String(format: "\\u%04X", unit) }
        escaped += "\"}"
        let values = Array(escaped.utf8).withUnsafeBytes { ChatJSONReader.stringMembers(["text"], of: $0) }
        XCTAssertEqual(try values.get().first??.unicodeScalars.map { $0 }, Array(string.unicodeScalars), escaped)
    }
}
