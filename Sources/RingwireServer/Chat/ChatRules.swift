/// What the chat accepts as a name, a room and a text (README, "The chat room").
///
/// Limits count Unicode scalars and UTF-8 bytes, never grapheme clusters: a cluster can hold any
/// number of combining marks, so a limit in clusters bounds nothing. With names bounded in bytes,
/// hashing and comparing them (which normalizes Unicode) costs a bounded amount. Standard library
/// only, like the JSON reader, so the parser builds on its own for fuzzing.
enum ChatRules {
    /// A name's limits: enough for any everyday name in any script (32 Latin, 21 CJK or 16 emoji
    /// scalars fit in 64 bytes); the byte limit is what bounds the registry's work per name.
    static let maximumNameScalars = 32
    static let maximumNameBytes = 64
    /// Rooms are ASCII identifiers, so their bytes are their characters.
    static let maximumRoomBytes = 64
    /// A text's limit; its bytes are bounded by the route's 16 KiB frame limit as well.
    static let maximumTextScalars = 2000

    /// Checks a name: 1–32 scalars, at most 64 bytes, no control (Cc), format (Cf, such as bidi
    /// overrides and zero-width joiners) or line/paragraph separator (Zl, Zp) characters, and no
    /// whitespace at either end (names are compared exactly, so " ada" would pose as "ada").
    static func checkName(_ name: String) throws(ChatError) {
        // Bytes first: counting scalars is then bounded too.
        guard !name.isEmpty, name.utf8.count <= maximumNameBytes, name.unicodeScalars.count <= maximumNameScalars else {
            throw ChatError(
                "name must be 1–\(maximumNameScalars) characters (Unicode scalars) and at most \(maximumNameBytes) bytes of UTF-8")
        }
        for scalar in name.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator:
                throw ChatError("name must not contain control, format or line-separator characters")
            default:
                continue
            }
        }
        if let first = name.unicodeScalars.first, let last = name.unicodeScalars.last,
            first.properties.isWhitespace || last.properties.isWhitespace
        {
            throw ChatError("name must not start or end with whitespace")
        }
    }

    /// Checks a room: 1–64 of `A-Z a-z 0-9 - _`.
    static func checkRoom(_ room: String) throws(ChatError) {
        guard !room.isEmpty, room.utf8.count <= maximumRoomBytes, room.utf8.allSatisfy(isRoomByte) else {
            throw ChatError("room must be 1–\(maximumRoomBytes) letters, digits, '-' or '_'")
        }
    }

    /// Checks a text: 1–2000 scalars, any characters (events escape them).
    static func checkText(_ text: String) throws(ChatError) {
        guard !text.isEmpty else { throw ChatError("say needs a non-empty \"text\"") }
        // Fewer bytes than the limit means fewer scalars too: the usual case skips counting.
        guard text.utf8.count <= maximumTextScalars || text.unicodeScalars.count <= maximumTextScalars else {
            throw ChatError("text is longer than \(maximumTextScalars) characters (Unicode scalars)")
        }
    }

    private static func isRoomByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }
}
