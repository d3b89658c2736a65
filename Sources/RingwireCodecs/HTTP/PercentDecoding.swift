/// Decodes `%XX` escapes (RFC 3986 §2.1) in path parameters and query items.
package enum PercentDecoding {
    /// Decodes `bytes`; with `plusAsSpace` (form encoding, for queries) `+` becomes a space.
    /// Malformed escapes are kept literally rather than refused, and invalid UTF-8 after decoding
    /// becomes U+FFFD: the result is for application lookups, not for re-encoding.
    package static func decode<C: Collection<UInt8>>(_ bytes: C, plusAsSpace: Bool) -> String {
        let plus = UInt8(ascii: "+")
        let percent = UInt8(ascii: "%")
        // Most parameters contain nothing to decode: skip the intermediate array.
        guard bytes.contains(where: { $0 == percent || (plusAsSpace && $0 == plus) }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            bytes.formIndex(after: &index)
            if byte == percent, index != bytes.endIndex, let high = HTTPByte.hexValue(bytes[index]) {
                let second = bytes.index(after: index)
                if second != bytes.endIndex, let low = HTTPByte.hexValue(bytes[second]) {
                    decoded.append(high << 4 | low)
                    index = bytes.index(after: second)
                    continue
                }
            }
            decoded.append(plusAsSpace && byte == plus ? UInt8(ascii: " ") : byte)
        }
        return String(decoding: decoded, as: UTF8.self)
    }
}
