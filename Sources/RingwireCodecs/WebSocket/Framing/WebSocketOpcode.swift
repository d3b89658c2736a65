/// The 4-bit opcode of a WebSocket frame (RFC 6455 §5.2).
///
/// Opcodes 3–7 and 11–15 are reserved; a frame carrying one has no case here and fails the
/// connection with `protocolError`.
@_spi(RingwireInternal) public enum WebSocketOpcode: UInt8, Sendable {
    /// A non-first fragment of a fragmented text or binary message.
    case continuation = 0
    /// The first (or only) frame of a text message, whose payload must be UTF-8.
    case text = 1
    /// The first (or only) frame of a binary message.
    case binary = 2
    /// A close frame: optional 2-byte status code followed by an optional UTF-8 reason.
    case close = 8
    /// A ping; the receiver answers with a pong carrying the same payload.
    case ping = 9
    /// A pong, solicited or unsolicited.
    case pong = 10

    /// Whether this is a control frame opcode (close, ping, pong): at most 125 bytes of payload, never
    /// fragmented, and may arrive between the fragments of a message.
    @inlinable
    public var isControl: Bool { rawValue & 0x08 != 0 }
}
