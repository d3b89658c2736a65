import Glibc
@_spi(RingwireInternal) import RingwireCodecs

/// The bytes a load-generator thread sends, built once and shared read-only by all its connections
/// (sends point straight into these buffers: nothing is copied per message).
struct ClientMessages {
    /// `inFlight` copies of one echo message back to back: masked binary frames in WebSocket mode,
    /// plain payloads in raw mode. A connection owing n messages sends the first n of them.
    let echoBlock: UnsafeMutableRawBufferPointer
    /// Bytes of one echo message on the wire (frame header included in WebSocket mode).
    let echoMessageLength: Int
    /// The HTTP upgrade request.
    let upgradeRequest: UnsafeMutableRawBufferPointer
    /// A masked close frame with code 1000.
    let closeFrame: UnsafeMutableRawBufferPointer

    /// The masking key of every client frame. Non-zero, so the server really unmasks.
    static let maskingKey: (UInt8, UInt8, UInt8, UInt8) = (0x37, 0xFA, 0x21, 0x3D)

    init(messageSize: Int, inFlight: Int, raw: Bool, host: String, port: Int, path: String) {
        let payload = UnsafeMutableRawBufferPointer.allocate(byteCount: messageSize, alignment: 16)
        defer { payload.deallocate() }
        for index in 0..<messageSize { payload[index] = UInt8(truncatingIfNeeded: 0x41 + index % 26) }

        var message: [UInt8] = []
        if raw {
            message = Array(payload)
        } else {
            message = Self.maskedFrame(opcode: .binary, payload: UnsafeRawBufferPointer(payload))
        }
        echoMessageLength = message.count
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: message.count * max(inFlight, 1), alignment: 16)
        for copy in 0..<max(inFlight, 1) {
            message.withUnsafeBytes { bytes in
                UnsafeMutableRawBufferPointer(rebasing: block[(copy * message.count)...]).copyMemory(from: bytes)
            }
        }
        echoBlock = block

        let request =
            "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        upgradeRequest = Self.copy(Array(request.utf8))

        var code: [UInt8] = [0x03, 0xE8]  // 1000, normal closure
        let close = code.withUnsafeMutableBytes { Self.maskedFrame(opcode: .close, payload: UnsafeRawBufferPointer($0)) }
        closeFrame = Self.copy(close)
        code.removeAll()
    }

    /// A complete client frame: header with the mask bit, the key, then the masked payload.
    static func maskedFrame(opcode: WebSocketOpcode, payload: UnsafeRawBufferPointer) -> [UInt8] {
        let headerSize = WebSocketFrameEncoder.headerSize(payloadLength: payload.count)
        var frame = [UInt8](repeating: 0, count: headerSize + 4 + payload.count)
        frame.withUnsafeMutableBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            WebSocketFrameEncoder.encodeHeader(opcode: opcode, payloadLength: payload.count, fin: true, rsv1: false, into: base)
            bytes[1] |= 0x80
            let key = maskingKey
            bytes[headerSize] = key.0
            bytes[headerSize + 1] = key.1
            bytes[headerSize + 2] = key.2
            bytes[headerSize + 3] = key.3
            let body = UnsafeMutableRawBufferPointer(rebasing: bytes[(headerSize + 4)...])
            body.copyMemory(from: payload)
            WebSocketMasking.apply(key: WebSocketMaskingKey(key.0, key.1, key.2, key.3), to: body)
        }
        return frame
    }

    private static func copy(_ bytes: [UInt8]) -> UnsafeMutableRawBufferPointer {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
        return buffer
    }
}
