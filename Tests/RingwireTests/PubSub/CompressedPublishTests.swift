import RingwireTestSupport
import XCTest

@testable import Ringwire

/// Publishes to subscribers that agreed to permessage-deflate without server context takeover are
/// compressed once and shared; others get the plain frame.
private struct JoinHandler: WebSocketHandler {
    func onOpen(_ socket: borrowing WebSocket<JoinHandler>) {
        socket.subscribe("news")
        socket.send(text: "ready")
    }

    func onMessage(_ socket: borrowing WebSocket<JoinHandler>, _ message: borrowing WebSocketMessage) {
        socket.publish("news", text: message.text)
    }
}

final class CompressedPublishTests: XCTestCase {
    func testSharedCompressorSubscribersGetOneCompressedFramePlainSubscribersThePlainOne() throws {
        var configuration = WebSocketConfiguration()
        configuration.deflate.isEnabled = true
        configuration.deflate.sharedCompressor = true
        var listener = Listener(name: "ws", port: 0, kind: .webSocket)
        listener.webSocket("/*", configuration: configuration, JoinHandler())
        let server = try TestServer(workers: 2, listeners: [listener])
        let offer = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
        let compressing = try (0..<6).map { _ in try TestWebSocket(port: server.port("ws"), headers: offer) }
        let plain = try (0..<2).map { _ in try TestWebSocket(port: server.port("ws")) }
        for client in compressing + plain { XCTAssertEqual(try client.readFrame().opcode, 0x1) }

        let text = String(repeating: "all the news that fits, ", count: 40)
        try plain[0].send(text: text)
        for client in compressing {
            let frame = try client.readFrame()
            XCTAssertTrue(frame.rsv1, "compressed for a subscriber that agreed to it")
            XCTAssertLessThan(frame.payload.count, text.utf8.count / 4)
            XCTAssertEqual(IndependentZlib(.inflate).decompressMessage(frame.payload), Array(text.utf8))
        }
        for client in plain {
            let frame = try client.readFrame()
            XCTAssertFalse(frame.rsv1)
            XCTAssertEqual(frame.text, text)
        }
        // Short messages stay uncompressed for everyone.
        try plain[1].send(text: "tiny")
        for client in compressing + plain {
            let frame = try client.readFrame()
            XCTAssertFalse(frame.rsv1)
            XCTAssertEqual(frame.text, "tiny")
        }
    }
}
