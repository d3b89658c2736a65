import Glibc

/// Finds the end of a request head as its bytes arrive in any number of pieces, enforcing the
/// size limits on the way, without ever looking at a byte twice.
///
/// The scanner only sees line boundaries; the syntax of each line is checked afterwards by
/// `HTTPHeadDecoder` on the complete head. Offsets are counted from the first byte of the head,
/// so the state survives between pieces and the outcome for a byte stream is the same however
/// it is split: every check fires at a fixed position of the stream.
struct HTTPHeadScanner {
    package enum Outcome: Equatable {
        /// All bytes of the piece belong to the head, whose end has not arrived yet.
        case incomplete
        /// The head ends `consumed` bytes into the piece (just after the empty line's LF).
        case complete(consumed: Int)
        case failed(HTTPParseError)
    }

    private let limits: HTTPLimits
    /// Bytes of the head seen in earlier pieces (equal to what the parser has stashed).
    private var scanned = 0
    /// Offset where the head proper starts, past leading empty lines (RFC 9112 §2.2 asks servers
    /// to ignore at least one, which clients send after a POST body).
    private(set) var headStart = 0
    /// Header lines completed so far; the decoder uses it to size the header array once.
    private(set) var headerCount = 0
    private var lineStart = 0
    private var sawRequestLine = false
    /// The last byte of the previous piece, to tell whether an LF at the start of a piece ends
    /// a CRLF split across pieces.
    private var lastByte: UInt8 = 0

    package init(limits: HTTPLimits) {
        self.limits = limits
    }

    /// Forgets the previous head; called once it has been decoded.
    package mutating func reset() {
        self = HTTPHeadScanner(limits: limits)
    }

    /// Scans the next piece of the head.
    mutating func scan(_ piece: UnsafeRawBufferPointer) -> Outcome {
        guard let base = piece.baseAddress else { return .incomplete }
        // Bytes past maxHeaderBytes can never be part of an acceptable head, so they are not
        // searched: an LF there would only make the outcome depend on how the input was split.
        let budget = min(piece.count, max(0, limits.maxHeaderBytes - scanned))
        var index = 0
        while index < budget, let found = memchr(base + index, Int32(HTTPByte.lf), budget - index) {
            let lfIndex = base.distance(to: UnsafeRawPointer(found))
            let lfOffset = scanned + lfIndex
            let previous = lfIndex > 0 ? piece[lfIndex - 1] : lastByte
            let hasCR = lfOffset > lineStart && previous == HTTPByte.cr
            let contentLength = lfOffset - lineStart - (hasCR ? 1 : 0)
            index = lfIndex + 1
            if !sawRequestLine {
                // Length first: a too-long line is refused with 414 however it ends, matching
                // what the check on an unterminated line below reports.
                if contentLength > limits.maxRequestLineLength { return .failed(.requestLineTooLong) }
                if !hasCR { return .failed(.bareLineFeed) }
                if contentLength == 0 {
                    headStart = lfOffset + 1
                } else {
                    sawRequestLine = true
                }
            } else {
                if !hasCR { return .failed(.bareLineFeed) }
                if contentLength == 0 { return .complete(consumed: index) }
                headerCount += 1
                if headerCount > limits.maxHeaderCount { return .failed(.tooManyHeaders) }
            }
            lineStart = lfOffset + 1
        }
        if budget > 0 { lastByte = piece[budget - 1] }
        scanned += budget
        if !sawRequestLine {
            // An unterminated request line is already too long when its content (not counting a
            // final CR that may start the CRLF) exceeds the limit: fail now rather than buffer more.
            let pending = scanned - lineStart
            let limit = limits.maxRequestLineLength
            if pending > limit + 1 || (pending == limit + 1 && lastByte != HTTPByte.cr) {
                return .failed(.requestLineTooLong)
            }
        }
        if budget < piece.count { return .failed(.headersTooLarge) }
        return .incomplete
    }
}
