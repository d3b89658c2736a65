/// What `HTTPRequestParser.next(_:)` found in the input.
@_spi(RingwireInternal) public enum HTTPParserEvent {
    /// All of the input was consumed (a partial head is kept by the parser); feed more bytes.
    case needMoreData
    /// A complete, validated request head. For a request without a body, `.end` follows.
    case head(HTTPRequestHead)
    /// Body bytes: a slice of the caller's input, valid only until the next call. Chunked
    /// framing is already removed.
    case body(UnsafeRawBufferPointer)
    /// The request is complete; the rest of the input belongs to the next request (or, after
    /// an upgrade, to another protocol).
    case end
    /// The request is invalid; the parser returns this same error forever after. Answer with
    /// `error.status` and close the connection.
    case error(HTTPParseError)
}
