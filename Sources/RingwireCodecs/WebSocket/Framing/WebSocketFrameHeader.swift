/// The decoded header of one client frame (RFC 6455 §5.2):
///
///     byte 0: FIN RSV1 RSV2 RSV3 opcode(4)
///     byte 1: MASK length(7)         126 → 16-bit length follows, 127 → 64-bit length follows
///     [2 or 8 bytes extended length, big-endian] [4 bytes masking key]
///
/// Client frames are always masked, so a valid header is 6, 8 or 14 bytes.
struct WebSocketFrameHeader: Sendable {
    // Largest fields first: the reader keeps a header in every connection's state, packed.
    /// Payload length in bytes, at most 2^63 - 1.
    package var payloadLength: Int
    /// The key the payload is masked with.
    var maskingKey: WebSocketMaskingKey
    /// Whether this is the last frame of its message.
    package var fin: Bool
    /// RSV1: set on the first frame of a compressed message (permessage-deflate).
    package var rsv1: Bool
    /// The frame's opcode.
    package var opcode: WebSocketOpcode

    /// The most bytes a client frame header can take.
    static let maxSize = 14

    /// What `parse` made of the bytes available.
    enum ParseResult {
        /// The bytes seen so far are a valid header prefix; more are needed.
        case incomplete
        /// A complete header occupying the first `size` bytes.
        case complete(WebSocketFrameHeader, size: Int)
        /// The header breaks the protocol.
        case violation(WebSocketFrameViolation)
    }

    /// Parses a header from the first `count` bytes at `bytes`. Every rule that depends only on
    /// the bytes already present is checked before asking for more, so a bad first byte fails at
    /// once instead of after the whole header has trickled in.
    @inline(__always)
    package static func parse(_ bytes: UnsafeRawPointer, count: Int, allowsRSV1: Bool) -> ParseResult {
        guard count >= 1 else { return .incomplete }
        let first = bytes.load(as: UInt8.self)
        let fin = first & 0x80 != 0
        let rsv1 = first & 0x40 != 0
        if first & 0x30 != 0 { return .violation(.reservedBitSet) }
        guard let opcode = decodeOpcode(first & 0x0F) else { return .violation(.reservedOpcode(first & 0x0F)) }
        if rsv1 {
            if !allowsRSV1 { return .violation(.reservedBitSet) }
            if opcode == .continuation || opcode.isControl { return .violation(.compressedContinuationOrControl) }
        }
        if opcode.isControl && !fin { return .violation(.fragmentedControlFrame) }

        guard count >= 2 else { return .incomplete }
        let second = bytes.load(fromByteOffset: 1, as: UInt8.self)
        if second & 0x80 == 0 { return .violation(.unmaskedFrame) }
        let shortLength = Int(second & 0x7F)
        if opcode.isControl && shortLength > 125 { return .violation(.controlFrameTooLong) }

        let payloadLength: Int
        let keyOffset: Int
        switch shortLength {
        case 126:
            guard count >= 4 else { return .incomplete }
            payloadLength = Int(UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
            keyOffset = 4
        case 127:
            guard count >= 10 else { return .incomplete }
            let length = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 2, as: UInt64.self))
            guard length & (1 << 63) == 0, let exact = Int(exactly: length) else {
                return .violation(.invalidPayloadLength)
            }
            payloadLength = exact
            keyOffset = 10
        default:
            payloadLength = shortLength
            keyOffset = 2
        }
        // Non-minimal length encodings (e.g. 5 in a 16-bit field) are accepted: RFC 6455 asks
        // senders for the minimal form but gives receivers no reason to reject, and it is harmless.
        guard count >= keyOffset + 4 else { return .incomplete }
        let header = WebSocketFrameHeader(
            payloadLength: payloadLength, maskingKey: WebSocketMaskingKey(loadingFrom: bytes + keyOffset),
            fin: fin, rsv1: rsv1, opcode: opcode)
        return .complete(header, size: keyOffset + 4)
    }

    /// The opcode for the low 4 bits of byte 0, nil when reserved. A switch the optimizer inlines,
    /// where the synthesized `init(rawValue:)` stays an out-of-line call on this hot path.
    @inline(__always)
    private static func decodeOpcode(_ bits: UInt8) -> WebSocketOpcode? {
        switch bits {
        case 0: return .continuation
        case 1: return .text
        case 2: return .binary
        case 8: return .close
        case 9: return .ping
        case 10: return .pong
        default: return nil
        }
    }
}
