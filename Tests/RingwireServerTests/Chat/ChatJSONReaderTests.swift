import RingwireTestSupport
import XCTest

@testable import RingwireServer

/// The chat's JSON reader: what it keeps, every escape, and refusals of every kind, including every
/// truncation and seeded random mutations (none may trap).
final class ChatJSONReaderTests: XCTestCase {
    private func read(_ bytes: [UInt8], keys: [String] = ["type", "text"]) -> Result<[String?], ChatJSONReader.Failure> {
        bytes.withUnsafeBytes { ChatJSONReader.stringMembers(keys, of: $0) }
    }

    private func read(_ text: String, keys: [String] = ["type", "text"]) -> Result<[String?], ChatJSONReader.Failure> {
        read(Array(text.utf8), keys: keys)
    }

    private func values(_ text: String, keys: [String] = ["type", "text"], file: StaticString = #filePath, line: UInt = #line) -> [String?]
    {
        switch read(text, keys: keys) {
        case .success(let values): return values
        case .failure(let failure):
            XCTFail("\(text) refused: \(failure.reason) at \(failure.offset)", file: file, line: line)
            return []
        }
    }

    private func assertRefused(_ bytes: [UInt8], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        if case .success(let values) = read(bytes) {
            XCTFail("\(what) accepted as \(values)", file: file, line: line)
        }
    }

    func testKeepsTheAskedStringMembersAndSkipsEveryOtherValue() {
        let input =
            #" { "a" : [1, 2, {"b": null, "c": [[]]}], "type":"say", "n": -0.5e+3, "t": true, "f": false, "o": {}, "z": 0, "text" : "hi" } "#
        XCTAssertEqual(values(input), ["say", "hi"])
        XCTAssertEqual(values(#"{"type":"leave"}"#), ["leave", nil])
        XCTAssertEqual(values("{}"), [nil, nil])
        XCTAssertEqual(values("\t\r\n{\"type\":\"\"}\n"), ["", nil])
    }

    func testDecodesEveryEscape() {
        let input = #"{"text":"\"\\\/\b\f\n\r\t\u0041\u00e9\u4E2D\ud83d\uDE00\u0000"}"#
        XCTAssertEqual(values(input).last, "\"\\/\u{8}\u{C}\n\r\tAé中😀\u{0}")
        XCTAssertEqual(values(#"{"text":"plain ✓ \ud834\udd1e end"}"#).last, "plain ✓ 𝄞 end")
    }

    func testKeysMatchAfterUnescapingAndByteForByte() {
        XCTAssertEqual(values(#"{"t\u0079pe":"x"}"#), ["x", nil])
        // "type" with a combining mark is another key, however a String comparison would treat it.
        XCTAssertEqual(values("{\"type\u{301}\":\"x\",\"type\":\"y\"}"), ["y", nil])
    }

    func testRefusesMalformedJSON() {
        let inputs = [
            "", " ", "[]", "\"type\"", "{", "}", "{\"type\"}", "{\"type\":}", "{\"type\":\"a\",}", "{,}", "{\"type\":\"a\"} x",
            "{\"type\":\"a\"}}", "{type:\"a\"}", "{'type':'a'}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":-}", "{\"a\":.5}",
            "{\"a\":1e}", "{\"a\":+1}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":NaN}", "{\"a\":[1,]}", "{\"a\":[1 2]}",
            "{\"a\" \"b\"}", "{\"a\":\"b\" \"c\":1}", "{\"type\":1}", "{\"text\":null}", "{\"type\":\"a\",\"type\":\"a\"}",
        ]
        for input in inputs { assertRefused(Array(input.utf8), input) }
    }

    func testRefusesBadStrings() {
        let strings = [
            #""\ud83d""#, #""\ude00x""#, #""\ud83d\u0041""#, #""\ud83d\""#, #""\ud83dx""#, #""\x41""#, #""\u00g0""#,
            #""\u12""#, "\"raw\ttab\"", "\"raw\u{0}nul\"", "\"unterminated", #""ends in \"#,
        ]
        for string in strings {
            assertRefused(Array("{\"text\":\(string)}".utf8), "text \(string)")
            assertRefused(Array("{\"ignored\":\(string)}".utf8), "ignored \(string)")
            assertRefused(Array("{\(string):1}".utf8), "key \(string)")
        }
    }

    func testRefusesInvalidUTF8InAnyString() {
        let sequences: [[UInt8]] = [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE4, 0xB8], [0x80], [0xF4, 0x90, 0x80, 0x80]]
        for sequence in sequences {
            let open = Array(#"{"text":"a"#.utf8), close = Array(#""}"#.utf8)
            assertRefused(open + sequence + close, "\(sequence) in a kept string")
            assertRefused(open + sequence + Array(#"\n"#.utf8) + close, "\(sequence) before an escape")
            assertRefused(
                Array(#"{"x":["#.utf8) + [UInt8(ascii: "\"")] + sequence + Array(#""]}"#.utf8), "\(sequence) in an ignored string")
            assertRefused(Array("{".utf8) + sequence + Array(#""a":1}"#.utf8), "\(sequence) outside strings")
        }
    }

    func testNestingIsLimited() {
        let depth = ChatJSONReader.maximumDepth
        let allowed = "{\"a\":" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        XCTAssertEqual(values(allowed), [nil, nil])
        let deep = "{\"a\":" + String(repeating: "[", count: depth + 1) + String(repeating: "]", count: depth + 1) + "}"
        assertRefused(Array(deep.utf8), "one level deeper")
        // As deep as a 16 KiB frame allows: refused at the limit, no deep recursion.
        assertRefused(Array(("{\"a\":" + String(repeating: "[{\"a\":", count: 2700)).utf8), "a frame of nesting")
    }

    func testEveryTruncationIsRefused() {
        let input = Array(#"{"type":"say","text":"é \u00e9 \ud83d\ude00 \"q\"","n":[1.5e3,true,null,{"k":"v"}]}"#.utf8)
        XCTAssertEqual(values(String(decoding: input, as: UTF8.self)), ["say", "é é 😀 \"q\""])
        for length in 0..<input.count {
            assertRefused(Array(input[..<length]), "the first \(length) bytes")
        }
    }

    /// Random mutations of valid messages: never a trap; whatever is accepted re-encodes and reads
    /// back to the same values.
    func testSeededMutationsNeverTrapAndAcceptedValuesRoundTrip() {
        var random = SplitMix(seed: 0x5EED_CA75)
        let seeds = [
            #"{"type":"join","room":"lobby","name":"ada"}"#, #"{"type":"say","text":"a\"b\\c\u0041\ud83d\ude00"}"#,
            #"{"type":"leave","x":[1,-2.5e-3,{"y":[true,false,null]}]}"#, "{\"type\":\"say\",\"text\":\"é中😀\u{301}\"}",
        ].map { Array($0.utf8) }
        let alphabet = Array(#"{}[]:,"\/ubfnrt0123456789aAeE+-.dD"#.utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC3, 0xED, 0xF0, 0xFF]
        let keys = ["type", "room", "name", "text"]
        var accepted = 0
        for _ in 0..<20_000 {
            var input = seeds[Int(random.next() % UInt64(seeds.count))]
            for _ in 0...(random.next() % 4) {
                let position = Int(random.next() % UInt64(input.count + 1))
                let byte = alphabet[Int(random.next() % UInt64(alphabet.count))]
                switch random.next() % 3 {
                case 0 where position < input.count: input[position] = byte
                case 1 where position < input.count: input.remove(at: position)
                default: input.insert(byte, at: position)
                }
            }
            guard case .success(let decoded) = read(input, keys: keys) else { continue }
            accepted += 1
            var writer = ChatJSONWriter()
            for (key, value) in zip(keys, decoded) { if let value { writer.member(key, value) } }
            guard case .success(let reread) = read(Array(writer.finish().utf8), keys: keys) else {
                XCTFail("re-encoded \(decoded) refused")
                continue
            }
            XCTAssertEqual(reread.map { $0.map { Array($0.unicodeScalars) } }, decoded.map { $0.map { Array($0.unicodeScalars) } })
        }
        XCTAssertGreaterThan(accepted, 100, "the mutations left some inputs valid")
    }
}
