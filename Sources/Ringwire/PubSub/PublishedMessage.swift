@_spi(RingwireInternal) import RingwireCodecs
@_spi(RingwireInternal) import RingwireTransport

/// A message on its way to connections other than the sender's own: its opcode and payload, framed
/// once as an uncompressed server frame that every recipient can share. Immutable, so any thread may
/// read it.
final class PublishedMessage: Sendable {
    let opcode: WebSocketOpcode
    /// Header and payload, ready to send.
    let frame: SharedFrame
    private let headerSize: Int

    init(_ opcode: WebSocketOpcode, _ payload: UnsafeRawBufferPointer) {
        self.opcode = opcode
        let headerSize = WebSocketFrameEncoder.headerSize(payloadLength: payload.count)
        self.headerSize = headerSize
        frame = SharedFrame(count: headerSize + payload.count) { bytes in
            guard let base = bytes.baseAddress else { return }
            _ = WebSocketFrameEncoder.encodeHeader(opcode: opcode, payloadLength: payload.count, fin: true, rsv1: false, into: base)
            if let source = payload.baseAddress { (base + headerSize).copyMemory(from: source, byteCount: payload.count) }
        }
    }

    /// A message carrying the UTF-8 of `text`.
    static func text(_ text: String) -> PublishedMessage {
        var text = text
        return text.withUTF8 { PublishedMessage(.text, UnsafeRawBufferPointer($0)) }
    }

    /// The payload inside `frame`.
    var payload: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: frame.bytes[headerSize...]) }

    var kind: WebSocketMessageKind { opcode == .text ? .text : .binary }
}
