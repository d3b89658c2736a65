@_spi(RingwireInternal) @testable import RingwireCodecs

/// websocket-reader: `WebSocketMessageReader` (framing, unmasking, UTF-8) and, read back through
/// it, `WebSocketFrameEncoder`.
///
/// Input: options byte (bit 0: permessage-deflate negotiated, so RSV1 is allowed; bit 1: small
/// limits, bits 2–7 sizing them), then the client's byte stream.
/// Properties: whole and split streams give the same events; message storage never passes
/// `maxMessageSize`; delivered messages are within the limits, uncompressed text is UTF-8,
/// control payloads are at most 125 bytes; every message, ping, pong and close read is encoded
/// again (masked as a client would, fragmented at random, with pings between fragments) and
/// reading that back gives the same events.
@_cdecl("LLVMFuzzerTestOneInput")
public func webSocketReaderFuzzTarget(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    var input = FuzzInput(bytes, count: count)
    let allowsRSV1 = input.option(0)
    var limits = WebSocketReaderLimits()
    if input.option(1) {
        limits.maxMessageSize = Int(input.options >> 2) * 8
        limits.maxFrameSize = limits.maxMessageSize / 2 + 1
    }
    let whole = WebSocketReadRun(limits: limits, allowsRSV1: allowsRSV1)
    whole.feed([input.data])
    let split = WebSocketReadRun(limits: limits, allowsRSV1: allowsRSV1)
    split.feed(Pieces.split(input.data, using: &input.random))
    fuzzRequire(whole.records == split.records, "whole \(whole.records) != split \(split.records)")

    var encoded = WebSocketClientEncoding(random: input.random)
    for record in whole.records { encoded.append(record) }
    // Room for any fragment of a message read above, and for the pings put between fragments.
    let readBackLimits = WebSocketReaderLimits(
        maxFrameSize: max(limits.maxMessageSize, 125), maxMessageSize: limits.maxMessageSize)
    let readBack = WebSocketReadRun(limits: readBackLimits, allowsRSV1: allowsRSV1)
    readBack.feed(Pieces.split(encoded.bytes, using: &encoded.random))
    fuzzRequire(readBack.records == encoded.expected, "read back \(readBack.records) != \(encoded.expected)")
    return 0
}

/// One event of the reader, copied out of the buffers it points into.
private enum WebSocketRecord: Equatable {
    case message(WebSocketMessageKind, [UInt8], compressed: Bool)
    case ping([UInt8])
    case pong([UInt8])
    case close(code: UInt16?, reason: String)
    case failure(code: UInt16, reason: String)
}

/// One reader fed a sequence of pieces, checking the per-call properties as it goes.
private final class WebSocketReadRun {
    let limits: WebSocketReaderLimits
    let allowsRSV1: Bool
    var reader: WebSocketMessageReader
    var records: [WebSocketRecord] = []
    private var failed = false

    init(limits: WebSocketReaderLimits, allowsRSV1: Bool) {
        self.limits = limits
        self.allowsRSV1 = allowsRSV1
        reader = WebSocketMessageReader(limits: limits, allowsRSV1: allowsRSV1)
    }

    func feed(_ pieces: [[UInt8]]) {
        for var piece in pieces where !failed {
            piece.withUnsafeMutableBytes { buffer in
                var rest = buffer
                // Every event but the last of a piece consumes at least a byte.
                for _ in 0...(buffer.count + 1) {
                    let event = reader.next(&rest)
                    fuzzRequire(reader.bufferedCapacity <= limits.maxMessageSize, "reader holds \(reader.bufferedCapacity) bytes")
                    guard record(event, rest: rest) else { return }
                }
                fuzzFail("reader made no progress on \(buffer.count) bytes")
            }
        }
    }

    /// Records one event; false when the piece is done (needs more data, or failed).
    private func record(_ event: WebSocketReadEvent, rest: UnsafeMutableRawBufferPointer) -> Bool {
        switch event {
        case .needMoreData:
            fuzzRequire(rest.isEmpty, "needMoreData with \(rest.count) bytes unconsumed")
            return false
        case .message(let kind, let payload, let compressed):
            fuzzRequire(payload.count <= limits.maxMessageSize, "message of \(payload.count) bytes")
            fuzzRequire(!compressed || allowsRSV1, "compressed message without permessage-deflate")
            if kind == .text && !compressed {
                fuzzRequire(String(validating: payload, as: UTF8.self) != nil, "text message is not UTF-8")
            }
            records.append(.message(kind, Array(payload), compressed: compressed))
        case .ping(let payload):
            fuzzRequire(payload.count <= 125, "ping of \(payload.count) bytes")
            records.append(.ping(Array(payload)))
        case .pong(let payload):
            fuzzRequire(payload.count <= 125, "pong of \(payload.count) bytes")
            records.append(.pong(Array(payload)))
        case .close(let code, let reason):
            fuzzRequire(code.map(\.isValidOnWire) ?? true, "close code \(code?.rawValue ?? 0) is not valid on the wire")
            records.append(.close(code: code?.rawValue, reason: reason))
        case .failure(let code, let reason):
            records.append(.failure(code: code.rawValue, reason: reason))
            failed = true
            return false
        }
        return true
    }
}

/// Client frames for a list of events: `WebSocketFrameEncoder`'s server frames with a mask added,
/// messages cut into fragments, and the events reading them back must give.
private struct WebSocketClientEncoding {
    var random: SplitMix64
    var bytes: [UInt8] = []
    var expected: [WebSocketRecord] = []

    mutating func append(_ record: WebSocketRecord) {
        switch record {
        case .message(let kind, let payload, let compressed):
            appendFragments(of: payload, opcode: kind == .text ? .text : .binary, compressed: compressed)
            expected.append(record)
        case .ping(let payload):
            appendFrame(opcode: .ping, payload: payload)
            expected.append(record)
        case .pong(let payload):
            appendFrame(opcode: .pong, payload: payload)
            expected.append(record)
        case .close(let code, let reason):
            var frame: [UInt8] = []
            WebSocketFrameEncoder.writeClose(code: code.map(WebSocketCloseCode.init(rawValue:)), reason: reason, to: &frame)
            bytes += masked(frame)
            // A reason that was read fits a control frame, so the encoder keeps all of it.
            expected.append(record)
        case .failure:
            break
        }
    }

    /// The message in 1–4 fragments, with a ping between two of them now and then.
    private mutating func appendFragments(of payload: [UInt8], opcode: WebSocketOpcode, compressed: Bool) {
        let fragmentCount = Int.random(in: 1...4, using: &random)
        var cuts = (1..<fragmentCount).map { _ in Int.random(in: 0...payload.count, using: &random) }.sorted()
        cuts.append(payload.count)
        var start = 0
        for (index, end) in cuts.enumerated() {
            let isFirst = index == 0
            let isLast = index == cuts.count - 1
            appendFrame(
                opcode: isFirst ? opcode : .continuation, payload: Array(payload[start..<end]),
                fin: isLast, rsv1: isFirst && compressed)
            start = end
            if !isLast && random.next() % 4 == 0 {
                let ping = [UInt8](repeating: UInt8(index), count: index)
                appendFrame(opcode: .ping, payload: ping)
                expected.append(.ping(ping))
            }
        }
    }

    private mutating func appendFrame(opcode: WebSocketOpcode, payload: [UInt8], fin: Bool = true, rsv1: Bool = false) {
        var frame: [UInt8] = []
        payload.withUnsafeBytes {
            WebSocketFrameEncoder.writeFrame(opcode: opcode, payload: $0, fin: fin, rsv1: rsv1, to: &frame)
        }
        bytes += masked(frame)
    }

    /// A server frame turned into the client frame a reader accepts: MASK bit, key, masked payload.
    private mutating func masked(_ frame: [UInt8]) -> [UInt8] {
        let headerSize: Int
        switch frame[1] & 0x7F {
        case 126: headerSize = 4
        case 127: headerSize = 10
        default: headerSize = 2
        }
        var header = Array(frame[..<headerSize])
        header[1] |= 0x80
        let key = (0..<4).map { _ in UInt8.random(in: 0...255, using: &random) }
        var payload = Array(frame[headerSize...])
        payload.withUnsafeMutableBytes {
            WebSocketMasking.apply(key: WebSocketMaskingKey(key[0], key[1], key[2], key[3]), to: $0)
        }
        return header + key + payload
    }
}
