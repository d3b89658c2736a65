import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

final class UTF8ValidatorTests: XCTestCase {
    static let valid: [(String, [UInt8])] = [
        ("empty", []),
        ("ASCII", Array("Hello, world".utf8)),
        ("long ASCII crossing the 16-byte fast path", Array(String(repeating: "abcdefghijklmnopq", count: 7).utf8)),
        ("kosme (Autobahn 6.2)", [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5]),
        ("U+0000", [0x00]),
        ("U+007F", [0x7F]),
        ("U+0080", [0xC2, 0x80]),
        ("U+07FF", [0xDF, 0xBF]),
        ("U+0800", [0xE0, 0xA0, 0x80]),
        ("U+D7FF last before surrogates", [0xED, 0x9F, 0xBF]),
        ("U+E000 first after surrogates", [0xEE, 0x80, 0x80]),
        ("U+FFFE noncharacter is still valid", [0xEF, 0xBF, 0xBE]),
        ("U+FFFF", [0xEF, 0xBF, 0xBF]),
        ("U+10000", [0xF0, 0x90, 0x80, 0x80]),
        ("U+10FFFF", [0xF4, 0x8F, 0xBF, 0xBF]),
        ("multi-byte after 20 ASCII bytes", Array("aaaaaaaaaaaaaaaaaaaa€bbbbbbbbbbbbbbbbbbbb😀".utf8)),
    ]

    /// Invalid texts with the index of the first byte at which they are known to be invalid.
    static let invalid: [(String, [UInt8], firstBadByte: Int)] = [
        ("lone continuation 80", [0x80], 0),
        ("lone continuation BF", [0x61, 0xBF], 1),
        ("overlong C0 80 (NUL)", [0xC0, 0x80], 0),
        ("overlong C1 BF", [0xC1, 0xBF], 0),
        ("overlong E0 80 80", [0xE0, 0x80, 0x80], 1),
        ("overlong E0 9F BF (U+07FF)", [0xE0, 0x9F, 0xBF], 1),
        ("overlong F0 80 80 80", [0xF0, 0x80, 0x80, 0x80], 1),
        ("overlong F0 8F BF BF (U+FFFF)", [0xF0, 0x8F, 0xBF, 0xBF], 1),
        ("overlong F8 (5-byte form)", [0xF8, 0x88, 0x80, 0x80, 0x80], 0),
        ("surrogate U+D800", [0xED, 0xA0, 0x80], 1),
        ("surrogate U+DFFF", [0xED, 0xBF, 0xBF], 1),
        ("surrogate pair", [0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80], 1),
        ("above U+10FFFF: F4 90 80 80", [0xF4, 0x90, 0x80, 0x80], 1),
        ("F5", [0xF5, 0x80, 0x80, 0x80], 0),
        ("FE", [0xFE], 0),
        ("FF", [0xFF], 0),
        ("lead byte then ASCII", [0xC2, 0x41], 1),
        ("3-byte cut by ASCII", [0xE1, 0x80, 0x41], 2),
        ("4-byte cut by lead", [0xF1, 0x80, 0x80, 0xC2], 3),
        (
            "kosme + surrogate + edited (Autobahn 6.3)",
            [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0, 0x80] + Array("edited".utf8), 12
        ),
        ("invalid after 40 ASCII bytes", [UInt8](repeating: 0x61, count: 40) + [0xFF] + [UInt8](repeating: 0x61, count: 20), 40),
        (
            "invalid at byte 17 inside a fast-path block",
            [UInt8](repeating: 0x61, count: 17) + [0x80] + [UInt8](repeating: 0x61, count: 20), 17
        ),
    ]

    /// Truncated sequences: every byte so far is acceptable, but the text is incomplete.
    static let truncated: [(String, [UInt8])] = [
        ("C2 alone", [0xC2]),
        ("E1 80", [0xE1, 0x80]),
        ("F0 90 80", [0xF0, 0x90, 0x80]),
        ("kosme cut inside its last character", [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE]),
        ("F4 alone", [0xF4]),
    ]

    private func validateInPieces(_ bytes: [UInt8], cuts: [Int]) -> (ok: Bool, complete: Bool) {
        var validator = UTF8Validator()
        let bounds = [0] + cuts + [bytes.count]
        var ok = true
        bytes.withUnsafeBytes { buffer in
            for (start, end) in zip(bounds, bounds.dropFirst()) where ok {
                ok = validator.validate(UnsafeRawBufferPointer(rebasing: buffer[start..<end]))
            }
        }
        return (ok, validator.isComplete)
    }

    func testValidTextsAtEverySplit() {
        for (name, bytes) in Self.valid {
            XCTAssertTrue(bytes.withUnsafeBytes(UTF8Validator.isValid), name)
            for cut in 0...bytes.count {
                let result = validateInPieces(bytes, cuts: [cut])
                XCTAssertTrue(result.ok && result.complete, "\(name), cut at \(cut)")
            }
            let byByte = validateInPieces(bytes, cuts: Array(1..<max(bytes.count, 1)))
            XCTAssertTrue(byByte.ok && byByte.complete, "\(name), byte by byte")
        }
    }

    func testInvalidTextsFailAtTheFirstBadByteAtEverySplit() {
        for (name, bytes, firstBad) in Self.invalid {
            XCTAssertFalse(bytes.withUnsafeBytes(UTF8Validator.isValid), name)
            for cut in 0...bytes.count {
                XCTAssertFalse(validateInPieces(bytes, cuts: [cut]).ok, "\(name), cut at \(cut)")
            }
            XCTAssertFalse(validateInPieces(bytes, cuts: Array(1..<bytes.count)).ok, "\(name), byte by byte")
            // Early: the prefix before the bad byte passes, the prefix including it fails.
            XCTAssertTrue(validateInPieces(Array(bytes[..<firstBad]), cuts: []).ok, "\(name), prefix")
            XCTAssertFalse(validateInPieces(Array(bytes[...firstBad]), cuts: []).ok, "\(name), prefix with bad byte")
        }
    }

    func testTruncatedTextsAreAcceptedButIncomplete() {
        for (name, bytes) in Self.truncated {
            XCTAssertFalse(bytes.withUnsafeBytes(UTF8Validator.isValid), name)
            for cut in 0...bytes.count {
                let result = validateInPieces(bytes, cuts: [cut])
                XCTAssertTrue(result.ok, "\(name), cut at \(cut)")
                XCTAssertFalse(result.complete, "\(name), cut at \(cut)")
            }
        }
    }

    func testFailureIsStickyAndResetStartsOver() {
        var validator = UTF8Validator()
        XCTAssertFalse([UInt8]([0xFF]).withUnsafeBytes { validator.validate($0) })
        XCTAssertFalse([UInt8]([0x61]).withUnsafeBytes { validator.validate($0) })
        XCTAssertFalse(validator.isComplete)
        validator.reset()
        XCTAssertTrue([UInt8]([0x61]).withUnsafeBytes { validator.validate($0) })
        XCTAssertTrue(validator.isComplete)
    }

    /// Random byte strings biased towards UTF-8-like bytes, checked against the standard library.
    func testAgreesWithStandardLibraryOnRandomInput() {
        var generator = SystemRandomNumberGenerator()
        let interesting: [UInt8] = [
            0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
            0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
        ]
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...70, using: &generator)
            let bytes = (0..<length).map { _ in
                Bool.random(using: &generator)
                    ? interesting.randomElement(using: &generator) ?? 0 : UInt8.random(in: 0...0xFF, using: &generator)
            }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            XCTAssertEqual(bytes.withUnsafeBytes(UTF8Validator.isValid), expected, "\(bytes)")
            let cut = Int.random(in: 0...length, using: &generator)
            let pieces = validateInPieces(bytes, cuts: [cut])
            XCTAssertEqual(pieces.ok && pieces.complete, expected, "\(bytes) cut at \(cut)")
        }
    }

    /// Mixed text long enough for the 16-byte blocks, with each byte in turn replaced by bytes that
    /// break a sequence in different ways, validated whole and in two pieces at every cut.
    func testEveryCorruptionOfMixedTextAgreesWithStandardLibrary() {
        let text = Array("abc Grüße — 東京 🙂 plain ASCII words to fill a block, then € and 😀 again.".utf8)
        for position in text.indices {
            for replacement: UInt8 in [0x41, 0x80, 0xBF, 0xC0, 0xE0, 0xED, 0xF4, 0xFF] {
                var bytes = text
                bytes[position] = replacement
                let expected = String(validating: bytes, as: UTF8.self) != nil
                XCTAssertEqual(bytes.withUnsafeBytes(UTF8Validator.isValid), expected, "\(replacement) at \(position)")
                for cut in stride(from: 0, through: bytes.count, by: 5) {
                    let pieces = validateInPieces(bytes, cuts: [cut])
                    XCTAssertEqual(pieces.ok && pieces.complete, expected, "\(replacement) at \(position), cut at \(cut)")
                }
            }
        }
    }
}
