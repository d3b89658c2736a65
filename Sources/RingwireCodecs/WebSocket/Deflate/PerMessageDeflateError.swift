/// Why a compressed message from the client could not be inflated.
@_spi(RingwireInternal) public enum PerMessageDeflateError: Error, Sendable, Equatable {
    /// The inflated message would exceed the configured maximum message size (a decompression
    /// bomb, or simply too big). Closes the connection with 1009 (Message Too Big).
    case messageTooBig
    /// The payload is not valid DEFLATE data, or does not end on a block boundary as RFC 7692
    /// section 7.2.1 requires. Closes the connection with 1007 (Invalid Frame Payload Data).
    case invalidData
    /// The payload holds more DEFLATE streams than `PerMessageDecompressor.maximumStreams(inPayloadOf:)`
    /// allows (each BFINAL block ends one; RFC 7692 7.2.3.4 lets the next start in the same
    /// message). Closes with 1009: the data is valid DEFLATE, so 1007 would blame the encoding,
    /// while what is exceeded is how much work we do for one message, as with a decompression bomb.
    case tooManyStreams

    /// The WebSocket close code (RFC 6455 section 7.4.1) this error ends the connection with.
    public var closeCodeValue: UInt16 {
        switch self {
        case .messageTooBig, .tooManyStreams: 1009
        case .invalidData: 1007
        }
    }

    /// The reason sent in the close frame, at most 123 bytes as RFC 6455 section 5.5 requires.
    public var closeReason: String {
        switch self {
        case .messageTooBig: "message too big"
        case .invalidData: "invalid compressed data"
        case .tooManyStreams: "too many deflate streams in one message"
        }
    }
}
