/// Writes one compact JSON object of string and string-array members, the shape of every chat event.
///
/// Strings are escaped as RFC 8259 requires and no more: `"` and `\`, and the control characters
/// U+0000–U+001F (`\n`, `\r`, `\t`, `\b`, `\f` by name, the rest as `\u00XX`); everything else is
/// copied as UTF-8. Standard library only.
struct ChatJSONWriter {
    private var output: [UInt8]
    private var empty = true

    /// Starts an object; `capacity` is a guess at its size in bytes.
    init(capacity: Int = 128) {
        output = []
        output.reserveCapacity(capacity)
        output.append(UInt8(ascii: "{"))
    }

    /// Appends `"key":"value"`.
    mutating func member(_ key: String, _ value: String) {
        appendKey(key)
        Self.appendQuoted(value, to: &output)
    }

    /// Appends `"key":["value",…]`.
    mutating func member(_ key: String, _ values: [String]) {
        appendKey(key)
        output.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            Self.appendQuoted(value, to: &output)
        }
        output.append(UInt8(ascii: "]"))
    }

    /// The finished object.
    consuming func finish() -> String {
        output.append(UInt8(ascii: "}"))
        return String(decoding: output, as: UTF8.self)
    }

    private mutating func appendKey(_ key: String) {
        if !empty { output.append(UInt8(ascii: ",")) }
        empty = false
        Self.appendQuoted(key, to: &output)
        output.append(UInt8(ascii: ":"))
    }

    /// Appends `value` as a JSON string: runs that need no escape are copied whole.
    private static func appendQuoted(_ value: String, to output: inout [UInt8]) {
        var value = value
        output.append(UInt8(ascii: "\""))
        value.withUTF8 { bytes in
            var runStart = 0
            for (index, byte) in bytes.enumerated() where needsEscape(byte) {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                appendEscape(byte, to: &output)
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(_ byte: UInt8, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
        case 0x0A: output.append(UInt8(ascii: "n"))
        case 0x0D: output.append(UInt8(ascii: "r"))
        case 0x09: output.append(UInt8(ascii: "t"))
        case 0x08: output.append(UInt8(ascii: "b"))
        case 0x0C: output.append(UInt8(ascii: "f"))
        default:
            output.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            output.append(contentsOf: [hexDigit(byte >> 4), hexDigit(byte & 0xF)])
        }
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
