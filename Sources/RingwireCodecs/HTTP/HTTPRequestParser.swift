/// An incremental, sans-I/O HTTP/1.1 request parser: one per connection, confined to the worker
/// that owns the connection.
///
/// The caller hands it each received buffer and loops on `next(_:)` until `.needMoreData`:
///
///     while true {
///         switch parser.next(&input) {
///         case .needMoreData: return            // wait for the next recv
///         case .head(let head): ...
///         case .body(let bytes): ...            // copy before the next call
///         case .end: ...                        // input now starts at the next request
///         case .error(let error): ...           // answer error.status, close
///         }
///     }
///
/// It never consumes a byte past the end of the current request, so pipelined requests and
/// bytes of an upgraded protocol stay in `input`. A head that arrives whole is decoded in place
/// in the caller's buffer; only a head split across buffers is copied into `stash`.
@_spi(RingwireInternal) public struct HTTPRequestParser {
    private enum State {
        /// Waiting for (the rest of) a head.
        case head
        /// Inside a Content-Length body with `remaining` bytes to go.
        case fixedBody(remaining: Int)
        case chunkedBody(HTTPChunkedDecoder)
        /// The request is complete; the next call reports `.end` without consuming anything.
        case endOfRequest
        case failed(HTTPParseError)
    }

    private let limits: HTTPLimits
    private var state = State.head
    private var scanner: HTTPHeadScanner
    /// The bytes of a head that began in an earlier input. Invariant: holds exactly the bytes
    /// the scanner has scanned, so scanner offsets index it directly.
    private var stash: [UInt8] = []

    /// Bytes the parser holds between inputs: a head split across them, never more than
    /// `limits.maxHeaderBytes` (the fuzz target checks it after every call).
    var bufferedByteCount: Int { stash.count }

    /// Creates a parser enforcing `limits`.
    public init(limits: HTTPLimits) {
        self.limits = limits
        self.scanner = HTTPHeadScanner(limits: limits)
    }

    /// Parses from the start of `input` and advances it past the bytes consumed.
    public mutating func next(_ input: inout UnsafeRawBufferPointer) -> HTTPParserEvent {
        switch state {
        case .head:
            return nextHead(&input)
        case .fixedBody(let remaining):
            guard !input.isEmpty else { return .needMoreData }
            let length = min(remaining, input.count)
            let slice = UnsafeRawBufferPointer(rebasing: input[..<length])
            input = UnsafeRawBufferPointer(rebasing: input[length...])
            state = length == remaining ? .endOfRequest : .fixedBody(remaining: remaining - length)
            return .body(slice)
        case .chunkedBody(var decoder):
            do {
                let step = try decoder.next(&input)
                switch step {
                case .body(let slice):
                    state = .chunkedBody(decoder)
                    return .body(slice)
                case .needMoreData:
                    state = .chunkedBody(decoder)
                    return .needMoreData
                case .end:
                    state = .head
                    return .end
                }
            } catch {
                return fail(error)
            }
        case .endOfRequest:
            state = .head
            return .end
        case .failed(let error):
            return .error(error)
        }
    }

    private mutating func nextHead(_ input: inout UnsafeRawBufferPointer) -> HTTPParserEvent {
        guard !input.isEmpty else { return .needMoreData }
        let consumed: Int
        switch scanner.scan(input) {
        case .failed(let error):
            return fail(error)
        case .incomplete:
            stash.append(contentsOf: input)
            input = UnsafeRawBufferPointer(rebasing: input[input.count...])
            return .needMoreData
        case .complete(let count):
            consumed = count
        }

        let decoded: Result<HTTPRequestHead, HTTPParseError>
        let headerCount = scanner.headerCount
        if stash.isEmpty {
            // Fast path: the whole head is in this input; decode it where it lies.
            let head = UnsafeRawBufferPointer(rebasing: input[scanner.headStart..<consumed])
            decoded = Result { () throws(HTTPParseError) in
                try HTTPHeadDecoder.decode(head, headerCount: headerCount, limits: limits)
            }
        } else {
            stash.append(contentsOf: input[..<consumed])
            let headStart = scanner.headStart
            decoded = stash.withUnsafeBytes { bytes in
                let head = UnsafeRawBufferPointer(rebasing: bytes[headStart...])
                return Result { () throws(HTTPParseError) in
                    try HTTPHeadDecoder.decode(head, headerCount: headerCount, limits: limits)
                }
            }
            // Released rather than kept: split heads are rare, and an idle connection should not
            // pin up to maxHeaderBytes.
            stash = []
        }
        input = UnsafeRawBufferPointer(rebasing: input[consumed...])
        scanner.reset()

        switch decoded {
        case .failure(let error):
            return fail(error)
        case .success(let head):
            switch head.bodyFraming {
            case .none, .contentLength(0):
                state = .endOfRequest
            case .contentLength(let length):
                state = .fixedBody(remaining: length)
            case .chunked:
                state = .chunkedBody(HTTPChunkedDecoder(limits: limits))
            }
            return .head(head)
        }
    }

    private mutating func fail(_ error: HTTPParseError) -> HTTPParserEvent {
        state = .failed(error)
        stash = []
        return .error(error)
    }
}
