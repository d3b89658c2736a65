/// Reads the one JSON shape chat clients send: an object whose members of interest are strings.
///
/// Strict RFC 8259 on the whole input (any value may appear in members the chat ignores), and keeps
/// only the top-level string members asked for. Never traps: every read is bounds-checked against
/// the input, nesting stops at `maximumDepth`, and invalid UTF-8, lone surrogates and raw control
/// characters inside strings are errors. Standard library only, so a fuzz target can build it alone.
struct ChatJSONReader {
    /// Deeper nesting (in members the chat ignores) is refused, so skipping recursion stays shallow.
    static let maximumDepth = 32

    /// What is wrong with the input, and the byte offset where it was found.
    struct Failure: Error, Equatable {
        let reason: String
        let offset: Int
    }

    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    private init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The values of the members named `keys` (each nil where absent) of the JSON object in `bytes`;
    /// every other member is checked and skipped. Keys match byte for byte, as RFC 8259 compares them
    /// (String equality would normalize Unicode first, at a cost the sender controls). A wanted
    /// member must be a string and appear once (RFC 8259 leaves a repeated key's meaning open).
    static func stringMembers(_ keys: [String], of bytes: UnsafeRawBufferPointer) -> Result<[String?], Failure> {
        var reader = ChatJSONReader(bytes)
        do throws(Failure) {
            let values = try reader.readTopLevelObject(keeping: keys)
            reader.skipWhitespace()
            guard reader.peek() == nil else { throw reader.failure("text after the object") }
            return .success(values)
        } catch {
            return .failure(error)
        }
    }

    // MARK: Structure

    private mutating func readTopLevelObject(keeping keys: [String]) throws(Failure) -> [String?] {
        skipWhitespace()
        guard peek() == UInt8(ascii: "{") else { throw failure("expected an object") }
        position += 1
        var values = [String?](repeating: nil, count: keys.count)
        try readMembers { key, reader throws(Failure) in
            guard let index = keys.firstIndex(where: { $0.utf8.elementsEqual(key.utf8) }) else {
                try reader.skipValue(depth: 1)
                return
            }
            guard values[index] == nil else { throw reader.failure("\"\(keys[index])\" appears twice") }
            guard reader.peek() == UInt8(ascii: "\"") else { throw reader.failure("\"\(keys[index])\" must be a string") }
            values[index] = try reader.readString()
        }
        return values
    }

    /// Reads `"key": value` pairs up to the closing brace (the opening one is consumed); `value`
    /// reads each value, positioned at its first byte.
    private mutating func readMembers(
        _ value: (String, inout ChatJSONReader) throws(Failure) -> Void
    ) throws(Failure) {
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw failure("expected a key") }
            let key = try readString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw failure("expected ':'") }
            position += 1
            skipWhitespace()
            try value(key, &self)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return
            default: throw failure("expected ',' or '}'")
            }
        }
    }

    private mutating func skipValue(depth: Int) throws(Failure) {
        guard depth <= Self.maximumDepth else { throw failure("nested deeper than \(Self.maximumDepth)") }
        guard let first = peek() else { throw failure("expected a value") }
        switch first {
        case UInt8(ascii: "\""):
            _ = try readString()
        case UInt8(ascii: "{"):
            position += 1
            try readMembers { _, reader throws(Failure) in try reader.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            position += 1
            try skipArrayElements(depth: depth)
        case UInt8(ascii: "t"): try skipLiteral("true")
        case UInt8(ascii: "f"): try skipLiteral("false")
        case UInt8(ascii: "n"): try skipLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
        default: throw failure("expected a value")
        }
    }

    private mutating func skipArrayElements(depth: Int) throws(Failure) {
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return
        }
        while true {
            skipWhitespace()
            try skipValue(depth: depth + 1)
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return
            default: throw failure("expected ',' or ']'")
            }
        }
    }

    private mutating func skipLiteral(_ literal: StaticString) throws(Failure) {
        let expected = UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for byte in expected {
            guard peek() == byte else { throw failure("expected \(literal)") }
            position += 1
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func skipNumber() throws(Failure) {
        if peek() == UInt8(ascii: "-") { position += 1 }
        if peek() == UInt8(ascii: "0") {
            position += 1
        } else {
            try skipDigits()
        }
        if peek() == UInt8(ascii: ".") {
            position += 1
            try skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            try skipDigits()
        }
    }

    /// One or more decimal digits.
    private mutating func skipDigits() throws(Failure) {
        guard let first = peek(), Self.isDigit(first) else { throw failure("expected a digit") }
        while let byte = peek(), Self.isDigit(byte) { position += 1 }
    }

    // MARK: Strings

    /// Reads a string starting at its opening quote. Runs without escapes are copied as they are;
    /// the result is validated as UTF-8 once, at the end.
    private mutating func readString() throws(Failure) -> String {
        let start = position
        position += 1
        let runStart = position
        while let byte = peek(), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20 { position += 1 }
        if peek() == UInt8(ascii: "\"") {
            let run = UnsafeRawBufferPointer(rebasing: bytes[runStart..<position])
            position += 1
            guard let string = String(validating: run, as: UTF8.self) else {
                throw Failure(reason: "invalid UTF-8", offset: start)
            }
            return string
        }
        var decoded = Array(bytes[runStart..<position])
        while true {
            guard let byte = peek() else { throw failure("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                guard let string = String(validating: decoded, as: UTF8.self) else {
                    throw Failure(reason: "invalid UTF-8", offset: start)
                }
                return string
            case UInt8(ascii: "\\"):
                position += 1
                try readEscape(into: &decoded)
            case 0..<0x20:
                throw failure("control character in a string")
            default:
                decoded.append(byte)
                position += 1
            }
        }
    }

    /// Decodes the escape after a backslash, appending its UTF-8.
    private mutating func readEscape(into decoded: inout [UInt8]) throws(Failure) {
        guard let letter = peek() else { throw failure("unterminated string") }
        position += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(letter)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            decoded.append(contentsOf: try readUnicodeEscape().utf8)
        default:
            throw Failure(reason: "unknown escape", offset: position - 2)
        }
    }

    /// The scalar of `XXXX` after `\u`, joining a UTF-16 surrogate pair written as two escapes.
    private mutating func readUnicodeEscape() throws(Failure) -> Unicode.Scalar {
        let escapeStart = position - 2
        let unit = try readHexQuad()
        switch unit {
        case 0xD800..<0xDC00:
            guard peek() == UInt8(ascii: "\\"), peek(offset: 1) == UInt8(ascii: "u") else {
                throw Failure(reason: "unpaired surrogate", offset: escapeStart)
            }
            position += 2
            let low = try readHexQuad()
            guard (0xDC00..<0xE000).contains(low) else { throw Failure(reason: "unpaired surrogate", offset: escapeStart) }
            let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            guard let scalar = Unicode.Scalar(value) else { throw Failure(reason: "unpaired surrogate", offset: escapeStart) }
            return scalar
        case 0xDC00..<0xE000:
            throw Failure(reason: "unpaired surrogate", offset: escapeStart)
        default:
            guard let scalar = Unicode.Scalar(unit) else { throw Failure(reason: "unpaired surrogate", offset: escapeStart) }
            return scalar
        }
    }

    private mutating func readHexQuad() throws(Failure) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let byte = peek(), let digit = Self.hexValue(byte) else { throw failure("expected 4 hex digits") }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    // MARK: Bytes

    private func peek(offset: Int = 0) -> UInt8? {
        let index = position + offset
        return index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
    }

    private func failure(_ reason: String) -> Failure {
        Failure(reason: reason, offset: position)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
