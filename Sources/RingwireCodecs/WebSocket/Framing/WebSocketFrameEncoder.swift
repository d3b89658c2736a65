/// Serializes server-to-client frames (RFC 6455 §5.2). Server frames are never masked.
///
/// Headers are built on the stack and written with one `write` call, so sending a message costs
/// two writes (header, payload) and no allocation.
@_spi(RingwireInternal) public enum WebSocketFrameEncoder {
    /// Largest header a server frame can have: 2 bytes plus an 8-byte extended length.
    public static let maxHeaderSize = 10

    /// Largest close reason in bytes: a control payload is at most 125 bytes, 2 of them the code.
    public static let maxCloseReasonSize = 123

    /// The header size for a payload of `payloadLength` bytes: 2, 4 (16-bit length) or 10 (64-bit).
    @inlinable
    public static func headerSize(payloadLength: Int) -> Int {
        payloadLength <= 125 ? 2 : (payloadLength <= 0xFFFF ? 4 : 10)
    }

    /// Writes a frame header into `destination`, which must have room for
    /// `headerSize(payloadLength:)` bytes, and returns the number of bytes written. For callers
    /// that place the header directly in front of a payload in their own send buffer.
    @inlinable
    @discardableResult
    public static func encodeHeader(
        opcode: WebSocketOpcode, payloadLength: Int, fin: Bool, rsv1: Bool,
        into destination: UnsafeMutableRawPointer
    ) -> Int {
        precondition(payloadLength >= 0, "negative payload length")
        var first = opcode.rawValue
        if fin { first |= 0x80 }
        if rsv1 { first |= 0x40 }
        destination.storeBytes(of: first, as: UInt8.self)
        switch payloadLength {
        case 0...125:
            destination.storeBytes(of: UInt8(payloadLength), toByteOffset: 1, as: UInt8.self)
            return 2
        case 126...0xFFFF:
            destination.storeBytes(of: 126, toByteOffset: 1, as: UInt8.self)
            destination.storeBytes(of: UInt16(payloadLength).bigEndian, toByteOffset: 2, as: UInt16.self)
            return 4
        default:
            destination.storeBytes(of: 127, toByteOffset: 1, as: UInt8.self)
            destination.storeBytes(of: UInt64(payloadLength).bigEndian, toByteOffset: 2, as: UInt64.self)
            return 10
        }
    }

    /// Writes the header of a frame carrying `payloadLength` bytes; the caller writes the payload.
    @inlinable
    public static func writeHeader(
        opcode: WebSocketOpcode, payloadLength: Int, fin: Bool = true, rsv1: Bool = false,
        to writer: inout some ByteWriter
    ) {
        var header: (UInt64, UInt64) = (0, 0)  // 16 bytes of stack, enough for the 10-byte maximum
        withUnsafeMutableBytes(of: &header) { buffer in
            guard let base = buffer.baseAddress else { return }
            let size = encodeHeader(opcode: opcode, payloadLength: payloadLength, fin: fin, rsv1: rsv1, into: base)
            writer.write(UnsafeRawBufferPointer(rebasing: buffer[..<size]))
        }
    }

    /// Writes a complete frame: header then `payload`.
    @inlinable
    public static func writeFrame(
        opcode: WebSocketOpcode, payload: UnsafeRawBufferPointer, fin: Bool = true, rsv1: Bool = false,
        to writer: inout some ByteWriter
    ) {
        writeHeader(opcode: opcode, payloadLength: payload.count, fin: fin, rsv1: rsv1, to: &writer)
        if !payload.isEmpty { writer.write(payload) }
    }

    /// Writes a close frame. With a `nil` code, or a code that may not be sent (`isValidOnWire` is
    /// false, e.g. 1005/1006), the payload is empty and `reason` is dropped, since RFC 6455 only
    /// allows a reason after a code. A reason longer than 123 bytes is cut at the last UTF-8
    /// character boundary that fits, so the peer never sees a truncated (invalid) sequence.
    public static func writeClose(code: WebSocketCloseCode?, reason: String = "", to writer: inout some ByteWriter) {
        guard let code, code.isValidOnWire else {
            writeHeader(opcode: .close, payloadLength: 0, to: &writer)
            return
        }
        var reason = reason
        reason.withUTF8 { utf8 in
            let reasonLength = closeReasonLength(UnsafeRawBufferPointer(utf8))
            writeHeader(opcode: .close, payloadLength: 2 + reasonLength, to: &writer)
            withUnsafeBytes(of: code.rawValue.bigEndian) { writer.write($0) }
            if reasonLength > 0 { writer.write(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[..<reasonLength])) }
        }
    }

    /// How many leading bytes of `reason` fit in a close frame without splitting a character.
    static func closeReasonLength(_ reason: UnsafeRawBufferPointer) -> Int {
        guard reason.count > maxCloseReasonSize else { return reason.count }
        var end = maxCloseReasonSize
        // Back off while the first dropped byte is a continuation byte (10xxxxxx): the cut would
        // otherwise fall inside a character.
        while end > 0, reason[end] & 0xC0 == 0x80 { end -= 1 }
        return end
    }
}
