@_spi(RingwireInternal) @testable import RingwireCodecs

/// http-request: `HTTPRequestParser` with its chunked decoder.
///
/// Input: options byte (bit 0: small limits, from the next byte), then the request stream.
/// Properties: the stream fed whole and fed in random pieces gives the same heads, bodies, ends
/// and errors; no call leaves input unconsumed on `.needMoreData`; the bytes held between calls
/// never pass `maxHeaderBytes`; every head and body is within its limits, and a Content-Length
/// body that ended has exactly that length.
@_cdecl("LLVMFuzzerTestOneInput")
public func httpRequestFuzzTarget(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    var input = FuzzInput(bytes, count: count)
    let limits = input.option(0) ? smallLimits(input.data.first ?? 0) : HTTPLimits()
    let whole = HTTPParseRun(limits: limits)
    whole.feed([input.data])
    let split = HTTPParseRun(limits: limits)
    split.feed(Pieces.split(input.data, using: &input.random))
    fuzzRequire(whole.records == split.records, "whole \(whole.records) != split \(split.records)")
    return 0
}

/// Limits small enough that short inputs reach every one of them.
private func smallLimits(_ byte: UInt8) -> HTTPLimits {
    let value = Int(byte)
    return HTTPLimits(
        maxRequestLineLength: 14 + value % 32,
        maxHeaderBytes: 18 + value * 2,
        maxHeaderCount: 1 + value % 6,
        maxBodySize: value % 64,
        maxChunkLineLength: 1 + value % 12
    )
}

/// What the parser reported, with body slices joined per request so that runs over different
/// splits compare equal.
private enum HTTPRecord: Equatable {
    case head(HTTPRequestHead)
    case body([UInt8])
    case end
    case error(HTTPParseError)
}

/// One parser fed a sequence of pieces, checking the per-call properties as it goes.
private final class HTTPParseRun {
    let limits: HTTPLimits
    var parser: HTTPRequestParser
    var records: [HTTPRecord] = []
    private var failed = false
    /// The framing of the request whose body is being read, and its body bytes so far.
    private var framing = HTTPBodyFraming.none
    private var bodyCount = 0

    init(limits: HTTPLimits) {
        self.limits = limits
        parser = HTTPRequestParser(limits: limits)
    }

    func feed(_ pieces: [[UInt8]]) {
        for piece in pieces where !failed {
            piece.withUnsafeBytes { buffer in
                var rest = buffer
                // Each event consumes a byte, or is the `.end` after a head or body, or the last.
                for _ in 0...(3 * buffer.count + 3) {
                    guard record(parser.next(&rest), rest: rest) else { return }
                }
                fuzzFail("parser made no progress on \(buffer.count) bytes")
            }
        }
    }

    /// Records one event; false when the piece is done (needs more data, or failed).
    private func record(_ event: HTTPParserEvent, rest: UnsafeRawBufferPointer) -> Bool {
        fuzzRequire(parser.bufferedByteCount <= limits.maxHeaderBytes, "parser holds \(parser.bufferedByteCount) bytes")
        switch event {
        case .needMoreData:
            fuzzRequire(rest.isEmpty, "needMoreData with \(rest.count) bytes unconsumed")
            return false
        case .head(let head):
            fuzzRequire(head.target.utf8.count <= limits.maxRequestLineLength, "target longer than the request line limit")
            fuzzRequire(head.headers.count <= limits.maxHeaderCount, "\(head.headers.count) headers")
            framing = head.bodyFraming
            bodyCount = 0
            records.append(.head(head))
        case .body(let slice):
            fuzzRequire(!slice.isEmpty, "empty body event")
            bodyCount += slice.count
            fuzzRequire(bodyCount <= limits.maxBodySize, "body of \(bodyCount) bytes")
            if case .body(let earlier) = records.last {
                records[records.count - 1] = .body(earlier + Array(slice))
            } else {
                records.append(.body(Array(slice)))
            }
        case .end:
            if case .contentLength(let length) = framing {
                fuzzRequire(bodyCount == length, "body of \(bodyCount) bytes for Content-Length \(length)")
            }
            framing = .none
            records.append(.end)
        case .error(let error):
            records.append(.error(error))
            failed = true
            return false
        }
        return true
    }
}
