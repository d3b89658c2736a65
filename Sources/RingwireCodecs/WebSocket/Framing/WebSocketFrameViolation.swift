/// A way a peer's frames can break RFC 6455, each mapped to the close code the server must send.
///
/// The reader reports it as `WebSocketReadEvent.failure(closeCode, reason:)`; `reason` is short
/// ASCII, so it fits a close frame as is.
enum WebSocketFrameViolation: Error, Hashable, Sendable {
    /// A client frame without the mask bit (§5.1: servers must fail such connections).
    case unmaskedFrame
    /// RSV2 or RSV3 set, or RSV1 set without permessage-deflate negotiated.
    case reservedBitSet
    /// RSV1 on a continuation or control frame: only a message's first frame carries it (RFC 7692 §6).
    case compressedContinuationOrControl
    /// Opcode 3–7 or 11–15.
    case reservedOpcode(UInt8)
    /// A control frame without FIN.
    case fragmentedControlFrame
    /// A control frame declaring more than 125 bytes of payload.
    case controlFrameTooLong
    /// A 64-bit payload length with its most significant bit set.
    case invalidPayloadLength
    /// A continuation frame with no fragmented message in progress.
    case unexpectedContinuation
    /// A text or binary frame while a fragmented message is still open.
    case interruptedFragmentedMessage
    /// Text (or a close reason) that is not UTF-8.
    case invalidUTF8
    /// A frame declaring more than `maxFrameSize` bytes.
    case frameTooBig
    /// A message growing past `maxMessageSize` bytes.
    case messageTooBig
    /// The worker's `MessageBufferBudget` cannot hold more of this message: 1013 (Try Again Later),
    /// since the message itself is within its limits and may succeed when the server is less busy.
    case messageBuffersExhausted
    /// A close payload of exactly one byte: too short for a status code.
    case truncatedCloseCode
    /// A close status code that may not appear on the wire (see `WebSocketCloseCode.isValidOnWire`).
    case invalidCloseCode(UInt16)

    /// The close code to fail the connection with.
    package var closeCode: WebSocketCloseCode {
        switch self {
        case .invalidUTF8: return .invalidPayloadData
        case .frameTooBig, .messageTooBig: return .messageTooBig
        case .messageBuffersExhausted: return .tryAgainLater
        case .unmaskedFrame, .reservedBitSet, .compressedContinuationOrControl, .reservedOpcode,
            .fragmentedControlFrame, .controlFrameTooLong, .invalidPayloadLength, .unexpectedContinuation,
            .interruptedFragmentedMessage, .truncatedCloseCode, .invalidCloseCode:
            return .protocolError
        }
    }

    /// A short explanation for the close frame and the logs.
    package var reason: String {
        switch self {
        case .unmaskedFrame: return "client frame not masked"
        case .reservedBitSet: return "reserved bit set"
        case .compressedContinuationOrControl: return "RSV1 on continuation or control frame"
        case .reservedOpcode(let opcode): return "reserved opcode \(opcode)"
        case .fragmentedControlFrame: return "fragmented control frame"
        case .controlFrameTooLong: return "control frame payload over 125 bytes"
        case .invalidPayloadLength: return "payload length has its top bit set"
        case .unexpectedContinuation: return "continuation frame without a message to continue"
        case .interruptedFragmentedMessage: return "new message before the fragmented one ended"
        case .invalidUTF8: return "invalid UTF-8"
        case .frameTooBig: return "frame too big"
        case .messageTooBig: return "message too big"
        case .messageBuffersExhausted: return "server busy: buffers for partial messages are full"
        case .truncatedCloseCode: return "close payload of 1 byte"
        case .invalidCloseCode(let code): return "invalid close code \(code)"
        }
    }
}
