@_spi(RingwireInternal) @testable import RingwireCodecs

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
