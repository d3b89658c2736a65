import RingwireTestSupport
import XCTest

@testable import Ringwire

/// A raw WebSocket client over `TestSocket`: it sends exactly the frames a test asks for (masked or
/// not, fragmented, invalid) and reads frames back one by one.
final class TestWebSocket {
    typealias Frame = ServerFrame

    let socket: TestSocket

    /// Connects and completes the handshake for `path`; `extra` bytes are sent in the same write as
    /// the request (to test frames that arrive together with the handshake).
    init(
        port: Int, path: String = "/", headers: String = "", extra: [UInt8] = [], timeout: Double = 5,
        receiveBufferSize: Int32? = nil
    ) throws {
        socket = try TestSocket(port: port, timeout: timeout, receiveBufferSize: receiveBufferSize)
        let request =
            "GET \(path) HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\(headers)\r\n"
        try socket.send(Array(request.utf8) + extra)
        let response = try socket.readResponse()
        guard response.status == 101 else { throw TestWebSocketError.refused(response) }
        XCTAssertEqual(response.header("sec-websocket-accept"), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    /// Builds a client frame (masked unless told otherwise).
    static func frame(_ opcode: UInt8, _ payload: [UInt8], fin: Bool = true, masked: Bool = true, rsv1: Bool = false) -> [UInt8] {
        clientFrame(opcode, payload, fin: fin, rsv: rsv1 ? 0x4 : 0, masked: masked)
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
        let frame = try socket.readFrame()
        XCTAssertFalse(frame.masked, "server frames must not be masked")
        return frame
    }
}

enum TestWebSocketError: Error {
    case refused(TestResponse)
}
