/// Why a request could not be parsed. Each case maps to the status the server answers with
/// before closing the connection (the parser is dead after an error, so the stream cannot be
/// resynchronised).
@_spi(RingwireInternal) public enum HTTPParseError: Error, Equatable, Sendable {
    /// The request line is not `method SP target SP HTTP/d.d`, or the method is not a token. → 400
    case malformedRequestLine
    /// The target has bytes outside visible ASCII or is in a form not allowed for the method. → 400
    case invalidTarget
    /// The method is a valid token but not one Ringwire implements. → 501
    case unknownMethod
    /// `HTTP/d.d` other than 1.0 and 1.1. → 505
    case unsupportedVersion
    /// The request line is longer than `HTTPLimits.maxRequestLineLength`. → 414
    case requestLineTooLong
    /// The head (or a chunked trailer section) is longer than `HTTPLimits.maxHeaderBytes`. → 431
    case headersTooLarge
    /// More header lines than `HTTPLimits.maxHeaderCount`. → 431
    case tooManyHeaders
    /// A line ends in LF without CR. RFC 9112 §2.2 lets a recipient accept it; Ringwire refuses,
    /// because parsers that disagree on line ends are a request-smuggling vector. → 400
    case bareLineFeed
    /// A header line starts with whitespace (obsolete line folding, RFC 9112 §5.2). → 400
    case obsoleteLineFolding
    /// A header name is empty, has a non-token byte, or the line has no colon. → 400
    case invalidHeaderName
    /// Whitespace between a header name and its colon (RFC 9112 §5.1). → 400
    case whitespaceBeforeColon
    /// A header value holds a control character (including a bare CR or NUL). → 400
    case invalidHeaderValue
    /// An HTTP/1.1 request without Host (RFC 9112 §3.2). → 400
    case missingHost
    /// More than one Host header (RFC 9112 §3.2). → 400
    case multipleHost
    /// A Content-Length that is not a decimal number. → 400
    case invalidContentLength
    /// Several Content-Length values that differ (RFC 9112 §6.3). → 400
    case conflictingContentLength
    /// Both Content-Length and Transfer-Encoding: a classic smuggling vector, refused. → 400
    case contentLengthWithTransferEncoding
    /// Transfer-Encoding where chunked is not last or appears twice, an empty list, or any
    /// Transfer-Encoding on an HTTP/1.0 request (RFC 9112 §6.1). → 400
    case invalidTransferEncoding
    /// A transfer coding other than chunked (e.g. gzip). → 501
    case unsupportedTransferEncoding
    /// A chunk-size line that is not hex digits optionally followed by extensions, or longer than
    /// `HTTPLimits.maxChunkLineLength`. → 400
    case invalidChunkSize
    /// Chunk data not followed by CRLF. → 400
    case invalidChunkFraming
    /// A trailer line with a control character. → 400
    case invalidTrailer
    /// The body exceeds `HTTPLimits.maxBodySize` (announced by Content-Length or by chunks). → 413
    case bodyTooLarge

    /// The status the server should answer with.
    public var status: HTTPStatus {
        switch self {
        case .malformedRequestLine, .invalidTarget, .bareLineFeed, .obsoleteLineFolding,
            .invalidHeaderName, .whitespaceBeforeColon, .invalidHeaderValue, .missingHost,
            .multipleHost, .invalidContentLength, .conflictingContentLength,
            .contentLengthWithTransferEncoding, .invalidTransferEncoding, .invalidChunkSize,
            .invalidChunkFraming, .invalidTrailer:
            .badRequest
        case .unknownMethod, .unsupportedTransferEncoding:
            .notImplemented
        case .unsupportedVersion:
            .httpVersionNotSupported
        case .requestLineTooLong:
            .uriTooLong
        case .headersTooLarge, .tooManyHeaders:
            .requestHeaderFieldsTooLarge
        case .bodyTooLarge:
            .contentTooLarge
        }
    }
}
