@_spi(RingwireInternal) @testable import RingwireCodecs

/// How a test frame encodes its payload length; non-minimal forms exercise the 16/64-bit header
/// paths with small payloads.
enum TestLengthForm { case minimal, sixteenBit, sixtyFourBit }

/// A client frame as a client would send it, masked with `key` unless `masked` is false.
/// Built bytewise here so the reader is checked against an encoding independent of its own code.
func clientFrame(
    _ opcode: UInt8, _ payload: [UInt8], fin: Bool = true, rsv: UInt8 = 0, masked: Bool = true,
    key: [UInt8] = [0x37, 0xFA, 0x21, 0x3D], length: TestLengthForm = .minimal
) -> [UInt8] {
    var frame: [UInt8] = [(fin ? 0x80 : 0) | (rsv << 4) | opcode]
    let maskBit: UInt8 = masked ? 0x80 : 0
    let count = payload.count
    let form: TestLengthForm = length == .minimal ? (count <= 125 ? .minimal : (count <= 0xFFFF ? .sixteenBit : .sixtyFourBit)) : length
    switch form {
    case .minimal: frame.append(maskBit | UInt8(count))
    case .sixteenBit: frame += [maskBit | 126, UInt8(count >> 8), UInt8(count & 0xFF)]
    case .sixtyFourBit: frame += [maskBit | 127] + (0..<8).reversed().map { UInt8((UInt64(count) >> (8 * UInt64($0))) & 0xFF) }
    }
    if masked {
        frame += key
        frame += payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
    } else {
        frame += payload
    }
    return frame
}

func clientFrame(_ opcode: UInt8, _ text: String, fin: Bool = true, length: TestLengthForm = .minimal) -> [UInt8] {
    clientFrame(opcode, Array(text.utf8), fin: fin, length: length)
}

/// A close frame payload: big-endian code then reason bytes.
func closePayload(_ code: UInt16, _ reason: [UInt8] = []) -> [UInt8] {
    [UInt8(code >> 8), UInt8(code & 0xFF)] + reason
}

/// A `WebSocketReadEvent` with its buffers copied out, so events can be compared after the
/// buffers they pointed into are gone.
enum RecordedEvent: Equatable, CustomStringConvertible {
    case message(WebSocketMessageKind, [UInt8], compressed: Bool)
    case ping([UInt8])
    case pong([UInt8])
    case close(UInt16?, String)
    case failure(UInt16, String)

    init?(_ event: WebSocketReadEvent) {
        switch event {
        case .needMoreData: return nil
        case .message(let kind, let payload, let compressed): self = .message(kind, Array(payload), compressed: compressed)
        case .ping(let payload): self = .ping(Array(payload))
        case .pong(let payload): self = .pong(Array(payload))
        case .close(let code, let reason): self = .close(code?.rawValue, reason)
        case .failure(let code, let reason): self = .failure(code.rawValue, reason)
        }
    }

    var description: String {
        switch self {
        case .message(let kind, let payload, let compressed):
            return "message(\(kind), \(payload.count) bytes \(payload.prefix(12))\(compressed ? ", compressed" : ""))"
        case .ping(let payload): return "ping(\(payload))"
        case .pong(let payload): return "pong(\(payload))"
        case .close(let code, let reason): return "close(\(code.map(String.init) ?? "nil"), \(reason))"
        case .failure(let code, let reason): return "failure(\(code), \(reason))"
        }
    }

    /// The close code of a failure, nil for other events.
    var failureCode: UInt16? {
        if case .failure(let code, _) = self { return code }
        return nil
    }
}

/// Feeds `bytes` to a fresh reader in pieces cut at `cuts` (sorted offsets), each piece in its own
/// receive buffer that is scribbled over once the reader is done with it (so a reader keeping a
/// pointer into an old buffer is caught), and records every event up to the first failure.
func readEvents(
    _ bytes: [UInt8], cuts: [Int] = [], limits: WebSocketReaderLimits = WebSocketReaderLimits(),
    allowsRSV1: Bool = false
) -> [RecordedEvent] {
    var reader = WebSocketMessageReader(limits: limits, allowsRSV1: allowsRSV1)
    var events: [RecordedEvent] = []
    let bounds = [0] + cuts + [bytes.count]
    for (start, end) in zip(bounds, bounds.dropFirst()) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: end - start, alignment: 1)
        defer {
            buffer.initializeMemory(as: UInt8.self, repeating: 0xEE)
            buffer.deallocate()
        }
        buffer.copyBytes(from: bytes[start..<end])
        var input = buffer
        while true {
            let event = reader.next(&input)
            guard let recorded = RecordedEvent(event) else {
                precondition(input.isEmpty, "needMoreData with \(input.count) bytes left")
                break
            }
            events.append(recorded)
            if case .failure = recorded { return events }
        }
    }
    return events
}
