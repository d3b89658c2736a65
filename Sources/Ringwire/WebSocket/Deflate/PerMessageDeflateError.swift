/// Why a compressed message from the client could not be inflated.
public enum PerMessageDeflateError: Error, Sendable, Equatable {
    /// The inflated message would exceed the configured maximum message size (a decompression
    /// bomb, or simply too big). Closes the connection with 1009 (Message Too Big).
    case messageTooBig
    /// The payload is not valid DEFLATE data, or does not end on a block boundary as RFC 7692
    /// section 7.2.1 requires. Closes the connection with 1007 (Invalid Frame Payload Data).
    case invalidData

    /// The WebSocket close code (RFC 6455 section 7.4.1) this error ends the connection with.
    public var closeCodeValue: UInt16 {
        switch self {
        case .messageTooBig: 1009
        case .invalidData: 1007
        }
    }
}
