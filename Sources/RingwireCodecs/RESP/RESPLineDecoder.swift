/// Decodes the content of a RESP line (the bytes between the type byte and CRLF) for the types
/// whose value, length or count is that line. Each decoder accepts only the spec's grammar, so a
/// value that parses also encodes back to a line that parses to it.
enum RESPLineDecoder {
    private static let minus = UInt8(ascii: "-")
    private static let plus = UInt8(ascii: "+")

    /// A length or element count: decimal digits, or `-1` when `allowsNull`. A number above
    /// `limit` throws `tooLarge` as soon as its digits pass it, so no length can overflow.
    static func length(
        _ line: ArraySlice<UInt8>, allowsNull: Bool, limit: Int, tooLarge: RESPParseError
    ) throws(RESPParseError) -> Int {
        if allowsNull && line.elementsEqual([minus, UInt8(ascii: "1")]) { return -1 }
        guard !line.isEmpty else { throw .invalidLength }
        var value = 0
        for byte in line {
            guard let digit = decimalDigit(byte) else { throw .invalidLength }
            value = value * 10 + digit
            guard value <= limit else { throw tooLarge }
        }
        return value
    }

    /// A signed 64-bit integer with an optional `+` or `-`.
    static func integer(_ line: ArraySlice<UInt8>) throws(RESPParseError) -> Int64 {
        var digits = line
        let negative = digits.first == minus
        if negative || digits.first == plus { digits = digits.dropFirst() }
        guard !digits.isEmpty else { throw .invalidInteger }
        // Accumulated negatively: Int64.min has no positive counterpart.
        var value: Int64 = 0
        for byte in digits {
            guard let digit = decimalDigit(byte) else { throw .invalidInteger }
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = shifted.subtractingReportingOverflow(Int64(digit))
            guard !overflowA && !overflowB else { throw .integerOverflow }
            value = next
        }
        if negative { return value }
        guard value != .min else { throw .integerOverflow }
        return -value
    }

    /// `inf`, `-inf`, `nan`, or `[+|-]digits[.digits][(e|E)[+|-]digits]`.
    static func double(_ line: ArraySlice<UInt8>) throws(RESPParseError) -> Double {
        switch String(decoding: line, as: UTF8.self) {
        case "inf": return .infinity
        case "-inf": return -.infinity
        case "nan": return .nan
        case let text:
            guard isDecimalNumber(line), let value = Double(text) else { throw .invalidDouble }
            return value
        }
    }

    /// `t` or `f`.
    static func boolean(_ line: ArraySlice<UInt8>) throws(RESPParseError) -> Bool {
        switch line.count == 1 ? line.first : nil {
        case UInt8(ascii: "t"): true
        case UInt8(ascii: "f"): false
        default: throw .invalidBoolean
        }
    }

    /// `[+|-]digits`, kept as text: it does not fit in 64 bits by definition.
    static func bigNumber(_ line: ArraySlice<UInt8>) throws(RESPParseError) -> String {
        let digits = line.first == minus || line.first == plus ? line.dropFirst() : line
        guard !digits.isEmpty, digits.allSatisfy({ decimalDigit($0) != nil }) else { throw .invalidBigNumber }
        return String(decoding: line, as: UTF8.self)
    }

    private static func isDecimalNumber(_ line: ArraySlice<UInt8>) -> Bool {
        var rest = line
        if rest.first == minus || rest.first == plus { rest = rest.dropFirst() }
        guard skipDigits(&rest) else { return false }
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            guard skipDigits(&rest) else { return false }
        }
        if rest.first == UInt8(ascii: "e") || rest.first == UInt8(ascii: "E") {
            rest = rest.dropFirst()
            if rest.first == minus || rest.first == plus { rest = rest.dropFirst() }
            guard skipDigits(&rest) else { return false }
        }
        return rest.isEmpty
    }

    /// Drops the leading digits of `rest`; false when there were none.
    private static func skipDigits(_ rest: inout ArraySlice<UInt8>) -> Bool {
        let count = rest.prefix { decimalDigit($0) != nil }.count
        rest = rest.dropFirst(count)
        return count > 0
    }

    private static func decimalDigit(_ byte: UInt8) -> Int? {
        (0x30...0x39).contains(byte) ? Int(byte - 0x30) : nil
    }
}
