/// Decodes a `Transfer-Encoding: chunked` body (RFC 9112 §7.1) incrementally: framing bytes are
/// consumed one at a time without buffering, chunk data is handed out as slices of the input.
///
/// Chunk extensions are skipped and trailer fields are checked then discarded, so no state but a
/// few counters survives between inputs. The last byte consumed is the LF that ends the trailer
/// section; whatever follows belongs to the next request.
struct HTTPChunkedDecoder {
    enum Step {
        case body(UnsafeRawBufferPointer)
        case end
        case needMoreData
    }

    private enum State {
        /// Between chunks: reading size lines, CRLFs and trailers byte by byte.
        case framing(Framing)
        /// Inside chunk data with `remaining` bytes to go, handed out as slices.
        case data(remaining: Int)
    }

    private enum Framing {
        /// Reading the hex chunk size; `digits` distinguishes an empty size from a zero.
        case size(value: Int, digits: Int)
        /// Skipping `;name=value` extensions up to the CR.
        case sizeExtension(value: Int)
        /// Saw the CR ending the size line.
        case sizeLineFeed(value: Int)
        /// Expecting the CRLF that follows chunk data.
        case dataCR
        case dataLF
        /// Inside a trailer line `length` bytes long (0: at the start of a line).
        case trailer(length: Int)
        case trailerLineFeed(length: Int)
    }

    private let limits: HTTPLimits
    private var state = State.framing(.size(value: 0, digits: 0))
    /// Bytes of the current size line, bounded by `maxChunkLineLength`.
    private var lineLength = 0
    /// Body bytes announced by chunks so far, bounded by `maxBodySize`.
    private var received = 0
    /// Bytes of the trailer section, bounded by `maxHeaderBytes`.
    private var trailerBytes = 0

    package init(limits: HTTPLimits) {
        self.limits = limits
    }

    /// Consumes framing bytes from `input` until it can return a data slice, the end of the body,
    /// or has consumed all of `input`.
    package mutating func next(_ input: inout UnsafeRawBufferPointer) throws(HTTPParseError) -> Step {
        var index = 0
        while index < input.count {
            switch state {
            case .data(let remaining):
                let length = min(remaining, input.count - index)
                let slice = UnsafeRawBufferPointer(rebasing: input[index..<(index + length)])
                state = length == remaining ? .framing(.dataCR) : .data(remaining: remaining - length)
                input = UnsafeRawBufferPointer(rebasing: input[(index + length)...])
                return .body(slice)
            case .framing(let framing):
                let byte = input[index]
                index += 1
                if try consume(byte, in: framing) {
                    input = UnsafeRawBufferPointer(rebasing: input[index...])
                    return .end
                }
            }
        }
        input = UnsafeRawBufferPointer(rebasing: input[index...])
        return .needMoreData
    }

    /// Advances over one framing byte; returns true when it was the last byte of the body.
    private mutating func consume(_ byte: UInt8, in framing: Framing) throws(HTTPParseError) -> Bool {
        switch framing {
        case .size(let value, let digits):
            if let digit = HTTPByte.hexValue(byte).map(Int.init) {
                try countSizeLineByte()
                // Checked per digit, so an absurd size fails as soon as it is certain.
                let (shifted, overflow) = value.multipliedReportingOverflow(by: 16)
                guard !overflow, shifted + digit <= limits.maxBodySize - received else { throw .bodyTooLarge }
                state = .framing(.size(value: shifted + digit, digits: digits + 1))
            } else if digits == 0 {
                throw .invalidChunkSize
            } else if byte == HTTPByte.cr {
                state = .framing(.sizeLineFeed(value: value))
            } else if byte == UInt8(ascii: ";") || HTTPByte.isWhitespace(byte) {
                try countSizeLineByte()
                state = .framing(.sizeExtension(value: value))
            } else {
                throw byte == HTTPByte.lf ? .bareLineFeed : .invalidChunkSize
            }
        case .sizeExtension(let value):
            if byte == HTTPByte.cr {
                state = .framing(.sizeLineFeed(value: value))
            } else if HTTPByte.isFieldValue(byte) {
                try countSizeLineByte()
            } else {
                throw byte == HTTPByte.lf ? .bareLineFeed : .invalidChunkSize
            }
        case .sizeLineFeed(let value):
            guard byte == HTTPByte.lf else { throw .invalidChunkSize }
            lineLength = 0
            received += value
            state = value == 0 ? .framing(.trailer(length: 0)) : .data(remaining: value)
        case .dataCR:
            guard byte == HTTPByte.cr else { throw .invalidChunkFraming }
            state = .framing(.dataLF)
        case .dataLF:
            guard byte == HTTPByte.lf else { throw .invalidChunkFraming }
            state = .framing(.size(value: 0, digits: 0))
        case .trailer(let length):
            trailerBytes += 1
            guard trailerBytes <= limits.maxHeaderBytes else { throw .headersTooLarge }
            if byte == HTTPByte.cr {
                state = .framing(.trailerLineFeed(length: length))
            } else if HTTPByte.isFieldValue(byte) {
                state = .framing(.trailer(length: length + 1))
            } else {
                throw byte == HTTPByte.lf ? .bareLineFeed : .invalidTrailer
            }
        case .trailerLineFeed(let length):
            trailerBytes += 1
            guard trailerBytes <= limits.maxHeaderBytes else { throw .headersTooLarge }
            guard byte == HTTPByte.lf else { throw .invalidTrailer }
            if length == 0 { return true }
            state = .framing(.trailer(length: 0))
        }
        return false
    }

    private mutating func countSizeLineByte() throws(HTTPParseError) {
        lineLength += 1
        guard lineLength <= limits.maxChunkLineLength else { throw .invalidChunkSize }
    }

}
