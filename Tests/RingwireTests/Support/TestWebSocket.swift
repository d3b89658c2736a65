import XCTest
@testable import Ringwire

/// A raw WebSocket client over `TestSocket`: it sends exactly the frames a test asks for (masked or
/// not, fragmented, invalid) and reads frames back one by one.
final class TestWebSocket {
    struct Frame: Equatable {
        var fin: Bool
        var rsv1: Bool
        var opcode: UInt8
        var payload: [UInt8]

        var text: String { String(decoding: payload, as: UTF8.self) }
        /// The close code of a close frame, if it has one.
        var closeCode: UInt16? { payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil }
    }

    let socket: TestSocket

    /// Connects and completes the handshake for `path`; `extra` bytes are sent in the same write as
    /// the request (to test frames that arrive together with the handshake).
    init(port: Int, path: String = "/", headers: String = "", extra: [UInt8] = [], timeout: Double = 5,
         receiveBufferSize: Int32? = nil) throws {
        socket = try TestSocket(port: port, timeout: timeout, receiveBufferSize: receiveBufferSize)
        let request = "GET \(path) HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\(headers)\r\n"
        try socket.send(Array(request.utf8) + extra)
        let response = try socket.readResponse()
        guard response.status == 101 else { throw TestWebSocketError.refused(response) }
        XCTAssertEqual(response.header("sec-websocket-accept"), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    /// Builds a client frame (masked unless told otherwise).
    static func frame(_ opcode: UInt8, _ payload: [UInt8], fin: Bool = true, masked: Bool = true, rsv1: Bool = false) -> [UInt8] {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode]
        let maskBit: UInt8 = masked ? 0x80 : 0
        if payload.count < 126 {
            bytes.append(maskBit | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            bytes.append(maskBit | 126)
            bytes += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            bytes.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8((payload.count >> shift) & 0xFF)) }
        }
        guard masked else { return bytes + payload }
        let key: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
        bytes += key
        bytes += payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
        return bytes
    }

    func send(_ opcode: UInt8, _ payload: [UInt8], fin: Bool = true, masked: Bool = true) throws {
        try socket.send(Self.frame(opcode, payload, fin: fin, masked: masked))
    }

    func send(text: String) throws { try send(0x1, Array(text.utf8)) }

    /// Sends a close frame with `code` and `reason`.
    func sendClose(_ code: UInt16, reason: String = "") throws {
        try send(0x8, [UInt8(code >> 8), UInt8(code & 0xFF)] + Array(reason.utf8))
    }

    /// Reads one server frame (server frames are never masked).
    func readFrame() throws -> Frame {
        let head = try socket.read(exactly: 2)
        XCTAssertEqual(head[1] & 0x80, 0, "server frames must not be masked")
        var length = Int(head[1] & 0x7F)
        if length == 126 {
            let extended = try socket.read(exactly: 2)
            length = Int(extended[0]) << 8 | Int(extended[1])
        } else if length == 127 {
            length = try socket.read(exactly: 8).reduce(0) { $0 << 8 | Int($1) }
        }
        return Frame(fin: head[0] & 0x80 != 0, rsv1: head[0] & 0x40 != 0, opcode: head[0] & 0x0F,
                     payload: try socket.read(exactly: length))
    }
}

enum TestWebSocketError: Error {
    case refused(TestResponse)
}
