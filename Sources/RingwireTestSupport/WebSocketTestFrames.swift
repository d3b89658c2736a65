/// How a test frame encodes its payload length; non-minimal forms exercise the 16/64-bit header
/// paths with small payloads.
package enum TestLengthForm { case minimal, sixteenBit, sixtyFourBit }

/// A client frame as a client would send it, masked with `key` unless `masked` is false.
/// Built bytewise here so the server is checked against an encoding independent of its own code.
package func clientFrame(
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

package func clientFrame(_ opcode: UInt8, _ text: String, fin: Bool = true, length: TestLengthForm = .minimal) -> [UInt8] {
    clientFrame(opcode, Array(text.utf8), fin: fin, length: length)
}

/// A close frame payload: big-endian code then reason bytes.
package func closePayload(_ code: UInt16, _ reason: [UInt8] = []) -> [UInt8] {
    [UInt8(code >> 8), UInt8(code & 0xFF)] + reason
}

/// One frame as the server sent it (server frames are never masked), parsed bytewise.
package struct ServerFrame: Equatable, CustomStringConvertible {
    package var fin: Bool
    package var rsv1: Bool
    package var opcode: UInt8
    package var payload: [UInt8]
    /// Whether the mask bit was set (a server must never set it).
    package var masked = false

    package init(fin: Bool = true, rsv1: Bool = false, opcode: UInt8, payload: [UInt8]) {
        self.fin = fin
        self.rsv1 = rsv1
        self.opcode = opcode
        self.payload = payload
    }

    package var text: String { String(decoding: payload, as: UTF8.self) }
    /// The close code of a close frame, if it has one.
    package var closeCode: UInt16? { payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil }
    /// The close reason of a close frame.
    package var closeReason: String { String(decoding: payload.dropFirst(2), as: UTF8.self) }

    package var description: String {
        let name = [0x0: "continuation", 0x1: "text", 0x2: "binary", 0x8: "close", 0x9: "ping", 0xA: "pong"][opcode] ?? "opcode \(opcode)"
        return opcode == 0x8 ? "close(\(closeCode.map(String.init) ?? "none"), \(closeReason))" : "\(name)(\(payload.count) bytes)"
    }

    /// Takes the first complete frame off the front of `bytes`; nil (and `bytes` untouched) while it is incomplete.
    package static func parse(_ bytes: inout [UInt8]) -> ServerFrame? {
        guard bytes.count >= 2 else { return nil }
        var offset = 2
        var length = Int(bytes[1] & 0x7F)
        let extra = length == 126 ? 2 : length == 127 ? 8 : 0
        guard bytes.count >= offset + extra else { return nil }
        if extra > 0 {
            length = bytes[offset..<offset + extra].reduce(0) { $0 << 8 | Int($1) }
            offset += extra
        }
        guard bytes.count >= offset + length else { return nil }
        var frame = ServerFrame(
            fin: bytes[0] & 0x80 != 0, rsv1: bytes[0] & 0x40 != 0, opcode: bytes[0] & 0x0F,
            payload: Array(bytes[offset..<offset + length]))
        frame.masked = bytes[1] & 0x80 != 0
        bytes.removeFirst(offset + length)
        return frame
    }
}
