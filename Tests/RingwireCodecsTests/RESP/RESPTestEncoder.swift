@_spi(RingwireInternal) @testable import RingwireCodecs

/// Encodes any `RESPValue` as a Redis server would send it. Written apart from the codec (which
/// only encodes commands), so parser tests never check the parser against its own encoder; the
/// `resp` fuzz target compiles this file too (it must not import XCTest).
enum RESPTestEncoder {
    /// The bytes of `value`.
    static func encode(_ value: RESPValue) -> [UInt8] {
        var bytes: [UInt8] = []
        encode(value, into: &bytes)
        return bytes
    }

    /// Appends the bytes of `value` to `bytes`.
    static func encode(_ value: RESPValue, into bytes: inout [UInt8]) {
        switch value {
        case .simpleString(let text): line("+", text, into: &bytes)
        case .error(let text): line("-", text, into: &bytes)
        case .integer(let number): line(":", String(number), into: &bytes)
        case .bulkString(let payload): bulk("$", payload, into: &bytes)
        case .nullBulkString: line("$", "-1", into: &bytes)
        case .array(let elements): aggregate("*", elements, into: &bytes)
        case .nullArray: line("*", "-1", into: &bytes)
        case .null: line("_", "", into: &bytes)
        case .boolean(let flag): line("#", flag ? "t" : "f", into: &bytes)
        case .double(let number): line(",", number.isNaN ? "nan" : "\(number)", into: &bytes)
        case .bigNumber(let digits): line("(", digits, into: &bytes)
        case .bulkError(let payload): bulk("!", payload, into: &bytes)
        case .verbatimString(let format, let text): bulk("=", Array("\(format):".utf8) + text, into: &bytes)
        case .map(let pairs): pairsOf("%", pairs, into: &bytes)
        case .set(let elements): aggregate("~", elements, into: &bytes)
        case .push(let elements): aggregate(">", elements, into: &bytes)
        case .attributed(let attributes, let value):
            pairsOf("|", attributes, into: &bytes)
            encode(value, into: &bytes)
        }
    }

    private static func line(_ type: Character, _ text: String, into bytes: inout [UInt8]) {
        bytes += Array("\(type)\(text)\r\n".utf8)
    }

    private static func bulk(_ type: Character, _ payload: [UInt8], into bytes: inout [UInt8]) {
        line(type, String(payload.count), into: &bytes)
        bytes += payload + [0x0D, 0x0A]
    }

    private static func aggregate(_ type: Character, _ elements: [RESPValue], into bytes: inout [UInt8]) {
        line(type, String(elements.count), into: &bytes)
        for element in elements { encode(element, into: &bytes) }
    }

    private static func pairsOf(
        _ type: Character, _ pairs: [(key: RESPValue, value: RESPValue)], into bytes: inout [UInt8]
    ) {
        line(type, String(pairs.count), into: &bytes)
        for pair in pairs {
            encode(pair.key, into: &bytes)
            encode(pair.value, into: &bytes)
        }
    }
}
