import Ringwire
import XCTest

/// Echoes messages; pings the client on "ping me"; reports pongs and (with `deliversPings`) pings.
struct InteropPingHandler: WebSocketHandler {
    func onMessage(_ socket: borrowing WebSocket<InteropPingHandler>, _ message: borrowing WebSocketMessage) {
        if message.kind == .text && message.text == "ping me" {
            socket.ping(Array("from server".utf8))
        } else {
            socket.send(textBytes: message.bytes)
        }
    }

    func onPing(_ socket: borrowing WebSocket<InteropPingHandler>, _ payload: UnsafeRawBufferPointer) {
        socket.send(text: "ping: " + String(decoding: payload, as: UTF8.self))
    }

    func onPong(_ socket: borrowing WebSocket<InteropPingHandler>, _ payload: UnsafeRawBufferPointer) {
        socket.send(text: "pong: " + String(decoding: payload, as: UTF8.self))
    }
}

/// Pings and pongs both ways (Tests/Interop/pings.py).
final class InteropPingTests: XCTestCase {
    private var server: TestServer!

    override func setUpWithError() throws {
        try InteropScript.requireClient()
        var delivered = WebSocketConfiguration()
        delivered.deliversPings = true
        server = try TestServer(listeners: [
            .interop { listener in
                listener.webSocket("/pings", InteropPingHandler())
                listener.webSocket("/delivered", configuration: delivered, InteropPingHandler())
            }
        ])
    }

    override func tearDown() {
        server?.stop()
        server = nil
    }

    private func run(_ scenario: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try InteropScript.run("pings", scenario, port: server.port("ws"), file: file, line: line)
    }

    func testWebsocketsPingIsAnswered() throws { try run("websockets_ping") }

    func testPongEchoesPingPayload() throws { try run("pong_echoes_payload") }

    func testServerPingReachesClientAndPongReachesHandler() throws { try run("server_ping_reaches_client") }

    func testWebsocketsAnswersServerPing() throws { try run("server_ping_answered_by_websockets") }

    func testDeliversPingsCallsOnPing() throws { try run("delivered_pings") }

    func testDeliversPingsWithWebsockets() throws { try run("delivered_pings_websockets") }
}
