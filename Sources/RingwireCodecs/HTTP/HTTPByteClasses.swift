/// Byte classes of the HTTP grammar (RFC 9110 §5.6) and ASCII case folding, shared by the head
/// decoder, the chunked decoder, headers and the serializer.
package enum HTTPByte {
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    package static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    package static let colon = UInt8(ascii: ":")
    static let comma = UInt8(ascii: ",")

    /// `tchar`: the bytes allowed in methods, header names and transfer codings.
    @inline(__always)
    static func isToken(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"),
            UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
            UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// Bytes allowed inside a field value: HTAB, SP, VCHAR and obs-text. Every other control
    /// byte (NUL, a bare CR, DEL...) is refused rather than replaced, so no downstream component
    /// can see a different header than we did.
    @inline(__always)
    package static func isFieldValue(_ byte: UInt8) -> Bool {
        byte == tab || (byte >= 0x20 && byte != 0x7F)
    }

    /// The value of a hexadecimal digit (either case), or nil.
    package static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Optional whitespace (OWS): SP or HTAB.
    @inline(__always)
    package static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    @inline(__always)
    package static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) ? byte | 0x20 : byte
    }

    /// ASCII case-insensitive equality, as header names and tokens compare (no allocation).
    @inline(__always)
    static func equalsIgnoringCase<A: Sequence<UInt8>, B: Sequence<UInt8>>(_ a: A, _ b: B) -> Bool {
        a.elementsEqual(b) { lowercased($0) == lowercased($1) }
    }

    /// The same for two strings (header names), without the generic sequence walk: lengths first,
    /// then the contiguous UTF-8 bytes.
    static func equalsIgnoringCase(_ a: String.UTF8View, _ b: String.UTF8View) -> Bool {
        guard a.count == b.count else { return false }
        let fast = a.withContiguousStorageIfAvailable { left in
            b.withContiguousStorageIfAvailable { right in
                for index in 0..<left.count where lowercased(left[index]) != lowercased(right[index]) { return false }
                return true
            }
        }
        return (fast ?? nil) ?? a.elementsEqual(b) { lowercased($0) == lowercased($1) }
    }

    /// Calls `body` with each element of a comma-separated list (RFC 9110 §5.6.1), trimmed of
    /// OWS, skipping empty elements; stops early when `body` returns false.
    static func forEachListElement<C: BidirectionalCollection<UInt8>>(
        in value: C, _ body: (C.SubSequence) -> Bool
    ) {
        var rest = value[...]
        while !rest.isEmpty {
            let end = rest.firstIndex(of: comma) ?? rest.endIndex
            var element = rest[rest.startIndex..<end]
            while let first = element.first, isWhitespace(first) { element = element.dropFirst() }
            while let last = element.last, isWhitespace(last) { element = element.dropLast() }
            if !element.isEmpty, !body(element) { return }
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
        }
    }
}
