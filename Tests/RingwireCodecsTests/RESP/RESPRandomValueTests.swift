import RingwireTestSupport
import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

/// Seeded random values of every RESP3 type, encoded by the test-side encoder and parsed back.
final class RESPRandomValueTests: XCTestCase {
    func testRandomValuesRoundTripWholeAndSplit() {
        for seed in 1...1000 as ClosedRange<UInt64> {
            var random = SplitMix(seed: seed)
            let values = (0..<Int.random(in: 1...4, using: &random)).map { _ in randomValue(depth: 4, using: &random) }
            let bytes = values.flatMap(RESPTestEncoder.encode)
            let expected = values.map(RESPRecord.value)
            XCTAssertEqual(parseRESP([bytes]), expected, "seed \(seed), whole")
            XCTAssertEqual(parseRESP(randomPieces(bytes, using: &random)), expected, "seed \(seed), split")
        }
    }

    func testRandomValuesByteByByte() {
        for seed in 1000...1040 as ClosedRange<UInt64> {
            var random = SplitMix(seed: seed)
            let value = randomValue(depth: 5, using: &random)
            XCTAssertEqual(parseRESP(RESPTestEncoder.encode(value).map { [$0] }), [.value(value)], "seed \(seed)")
        }
    }

    private func randomPieces(_ bytes: [UInt8], using random: inout SplitMix) -> [[UInt8]] {
        var pieces: [[UInt8]] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + Int.random(in: 1...17, using: &random), bytes.count)
            pieces.append(Array(bytes[start..<end]))
            start = end
        }
        return pieces
    }

    /// A value of any type; aggregates only while `depth` allows.
    private func randomValue(depth: Int, using random: inout SplitMix) -> RESPValue {
        let kinds = depth > 0 ? 18 : 13
        switch Int.random(in: 0..<kinds, using: &random) {
        case 0: return .simpleString(randomLine(using: &random))
        case 1: return .error("ERR " + randomLine(using: &random))
        case 2: return .integer(Int64(bitPattern: random.next()) >> Int64.random(in: 0...63, using: &random))
        case 3: return .bulkString(randomBytes(using: &random))
        case 4: return [.nullBulkString, .nullArray, .null].randomElement(using: &random)!
        case 5: return .boolean(Bool.random(using: &random))
        case 6: return .double(randomDouble(using: &random))
        case 7:
            let digits = (0..<Int.random(in: 1...60, using: &random)).map { _ in String(Int.random(in: 0...9, using: &random)) }
            return .bigNumber((Bool.random(using: &random) ? "-" : "") + digits.joined())
        case 8: return .bulkError(randomBytes(using: &random))
        case 9:
            let format = String((0..<3).map { _ in Character(UnicodeScalar(UInt8.random(in: 0x21...0x7E, using: &random))) })
            return .verbatimString(format: format, text: randomBytes(using: &random))
        case 10: return .array([])
        case 11: return .map([])
        case 12: return .integer(Int64.random(in: -1000...1000, using: &random))
        case 13: return .array(randomElements(depth: depth, using: &random))
        case 14: return .set(randomElements(depth: depth, using: &random))
        case 15: return .push(randomElements(depth: depth, using: &random))
        case 16: return .map(randomPairs(depth: depth, using: &random))
        default:
            return .attributed(attributes: randomPairs(depth: depth, using: &random), value: randomValue(depth: depth - 1, using: &random))
        }
    }

    private func randomElements(depth: Int, using random: inout SplitMix) -> [RESPValue] {
        (0..<Int.random(in: 0...5, using: &random)).map { _ in randomValue(depth: depth - 1, using: &random) }
    }

    private func randomPairs(depth: Int, using random: inout SplitMix) -> [(key: RESPValue, value: RESPValue)] {
        (0..<Int.random(in: 0...3, using: &random)).map { _ in
            (key: randomValue(depth: depth - 1, using: &random), value: randomValue(depth: depth - 1, using: &random))
        }
    }

    /// Text without CR or LF, which lines cannot hold; some of it beyond ASCII.
    private func randomLine(using random: inout SplitMix) -> String {
        let alphabet = Array("abcXYZ 019:-+_é✓\t")
        return String((0..<Int.random(in: 0...20, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
    }

    /// Any bytes, CR and LF included, sometimes none.
    private func randomBytes(using random: inout SplitMix) -> [UInt8] {
        (0..<Int.random(in: 0...40, using: &random)).map { _ in
            [0x0D, 0x0A, UInt8.random(in: 0...255, using: &random)].randomElement(using: &random)!
        }
    }

    private func randomDouble(using random: inout SplitMix) -> Double {
        switch Int.random(in: 0..<6, using: &random) {
        case 0: return .infinity
        case 1: return -.infinity
        case 2: return .nan
        case 3: return Double(Int.random(in: -100...100, using: &random)) / 8
        default:
            let number = Double(bitPattern: random.next())
            return number.isNaN ? 0 : number
        }
    }
}
