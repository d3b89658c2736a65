/// The 4-byte masking key of a client frame (RFC 6455 §5.3).
///
/// Stored as the little-endian integer of the four key bytes, so key byte `i` is bits `8i..<8i+8`
/// whatever the host byte order; rotating the integer right by 8 bits shifts the key by one byte.
@_spi(RingwireInternal) public struct WebSocketMaskingKey: Hashable, Sendable {
    /// Key bytes 0...3 packed little-endian.
    @usableFromInline
    let packed: UInt32

    /// Creates a key from its four bytes in wire order.
    @inlinable
    public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        packed = UInt32(b0) | UInt32(b1) << 8 | UInt32(b2) << 16 | UInt32(b3) << 24
    }

    /// Reads the key from four bytes in wire order at `pointer` (no alignment needed).
    @inlinable
    public init(loadingFrom pointer: UnsafeRawPointer) {
        packed = UInt32(littleEndian: pointer.loadUnaligned(as: UInt32.self))
    }
}

/// Masking and unmasking of frame payloads: both XOR the payload with the repeating 4-byte key.
///
/// This runs over every received byte, so it works 32 and then 8 bytes at a time with one 64-bit
/// key pattern; only the last 0–7 bytes go one at a time.
@_spi(RingwireInternal) public enum WebSocketMasking {
    /// XORs `buffer` in place with `key`, the first byte of `buffer` being byte `offset` of the
    /// payload (so a payload that arrives in pieces is unmasked piece by piece with its running
    /// offset). Applying it twice restores the input.
    @inlinable
    public static func apply(key: WebSocketMaskingKey, to buffer: UnsafeMutableRawBufferPointer, offset: Int = 0) {
        guard let base = buffer.baseAddress else { return }
        let count = buffer.count
        // The key byte that lines up with buffer[0] is key[offset % 4]: rotate it to the front.
        let rotated = rotateRight(key.packed, by: UInt32(offset & 3) &* 8)
        // `pattern` is the key laid out over 8 bytes; `.littleEndian` turns it into the native value
        // whose memory bytes are that layout, so it can be XORed with a raw native load.
        let pattern = (UInt64(rotated) | UInt64(rotated) << 32).littleEndian
        var index = 0
        while index + 32 <= count {
            xor8(base + index, pattern)
            xor8(base + index + 8, pattern)
            xor8(base + index + 16, pattern)
            xor8(base + index + 24, pattern)
            index += 32
        }
        while index + 8 <= count {
            xor8(base + index, pattern)
            index += 8
        }
        // Each step consumed a multiple of 4 bytes, so the tail starts again at rotated key byte 0.
        var tailKey = rotated
        while index < count {
            let byte = base.load(fromByteOffset: index, as: UInt8.self)
            base.storeBytes(of: byte ^ UInt8(truncatingIfNeeded: tailKey), toByteOffset: index, as: UInt8.self)
            tailKey = rotateRight(tailKey, by: 8)
            index += 1
        }
    }

    /// XORs the 8 bytes at `pointer` (any alignment) with `pattern`.
    @inlinable @inline(__always)
    static func xor8(_ pointer: UnsafeMutableRawPointer, _ pattern: UInt64) {
        let word = pointer.loadUnaligned(as: UInt64.self)
        pointer.storeBytes(of: word ^ pattern, as: UInt64.self)
    }

    /// Rotates a packed key right by `bits` (0, 8, 16 or 24), i.e. shifts it forward by whole bytes.
    @inlinable @inline(__always)
    static func rotateRight(_ value: UInt32, by bits: UInt32) -> UInt32 {
        // Masking shifts: for `bits == 0` the left shift is by 0 too, giving `value | value`.
        (value &>> bits) | (value &<< (32 &- bits))
    }
}
