import Synchronization
import XCTest

@testable import Ringwire
@_spi(RingwireInternal) @testable import RingwireTransport

/// A handler that records what happens to its connections and echoes messages; a message
/// "close:CODE" makes it close with that code, "ping" makes it ping.
private struct RecordingHandler: WebSocketHandler {
    let log: EventLog

    func onOpen(_ socket: borrowing WebSocket<RecordingHandler>) { log.add("open") }

    func onMessage(_ socket: borrowing WebSocket<RecordingHandler>, _ message: borrowing WebSocketMessage) {
        let text = message.text
        if text.hasPrefix("close:"), let code = UInt16(text.dropFirst(6)) {
            socket.close(code: WebSocketCloseCode(rawValue: code), reason: "bye")
        } else if text == "ping" {
            socket.ping(Array("hi".utf8))
        } else if message.kind == .text {
            socket.send(textBytes: message.bytes)
        } else {
            socket.send(binary: message.bytes)
        }
    }

    func onPong(_ socket: borrowing WebSocket<RecordingHandler>, _ payload: UnsafeRawBufferPointer) {
        log.add("pong \(String(decoding: payload, as: UTF8.self))")
    }

    func onClose(_ socket: borrowing WebSocket<RecordingHandler>, code: WebSocketCloseCode?, reason: String) {
        log.add("close \(code.map { String($0.rawValue) } ?? "none")")
    }
}

/// Thread-safe list of events, written on worker threads and read by the test.
final class EventLog: Sendable {
    private let events = Mutex<[String]>([])
    func add(_ event: String) { events.withLock { $0.append(event) } }
    var all: [String] { events.withLock { $0 } }

    /// Waits (bounded) until `event` was logged.
    func waitFor(_ event: String, timeout: Double = 3) -> Bool {
        let deadline = MonotonicClock.now() + Int64(timeout * 1000)
        while MonotonicClock.now() < deadline {
            if all.contains(event) { return true }
            usleep(5_000)
        }
        return false
    }
}

private struct ClosingRejectionHandler: WebSocketHandler {
    func upgrade(_ request: WebSocketUpgradeRequest) -> WebSocketUpgradeDecision<Void> {
        .reject(HTTPResponse(status: .forbidden, headers: HTTPHeaders([("Connection", "close")]), text: "no\n"))
    }

    func onMessage(_ socket: borrowing WebSocket<ClosingRejectionHandler>, _ message: borrowing WebSocketMessage) {}
}

final class WebSocketServerTests: XCTestCase {
    private func makeServer(
        log: EventLog, configure: (inout WebSocketConfiguration) -> Void = { _ in },
        http: (inout Listener) -> Void = { _ in }
    ) throws -> TestServer {
        var configuration = WebSocketConfiguration()
        configure(&configuration)
        var ws = Listener(name: "ws", port: 0, kind: .webSocket)
        ws.webSocket("/*", configuration: configuration, RecordingHandler(log: log))
        var web = Listener(name: "http", port: 0)
        web.get("/ws") { _ in HTTPResponse(text: "plain") }
        web.webSocket("/ws", configuration: configuration, RecordingHandler(log: log))
        http(&web)
        return try TestServer(listeners: [ws, web])
    }

    func testEchoOnBothListenerKinds() throws {
        let log = EventLog()
        let server = try makeServer(log: log)
        for (port, path) in [(server.port("ws"), "/any/path"), (server.port("http"), "/ws")] {
            let client = try TestWebSocket(port: port, path: path)
            try client.send(text: "héllo")
            XCTAssertEqual(try client.readFrame(), .init(fin: true, rsv1: false, opcode: 1, payload: Array("héllo".utf8)))
            let binary = [UInt8](repeating: 7, count: 70_000)
            try client.send(0x2, binary)
            XCTAssertEqual(try client.readFrame().payload, binary)
        }
    }

    /// Echoes of large messages go out from the receive buffer itself (their frame header written
    /// over the client's); mixed with small copied ones, all must come back intact and in order.
    func testPipelinedEchoesMixingInPlaceAndCopiedMessages() throws {
        let server = try makeServer(log: EventLog())
        let client = try TestWebSocket(port: server.port("ws"))
        let messages: [[UInt8]] = (0..<60).map { index in
            let size = index % 3 == 0 ? 20 : (index % 3 == 1 ? 1500 : 5000)
            return (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
        }
        try client.socket.send(messages.flatMap { TestWebSocket.frame(0x2, $0) })
        for (index, message) in messages.enumerated() {
            XCTAssertEqual(try client.readFrame().payload, message, "message \(index)")
        }
    }

    func testFrameSentTogetherWithTheHandshakeIsServed() throws {
        let server = try makeServer(log: EventLog())
        let client = try TestWebSocket(port: server.port("ws"), extra: TestWebSocket.frame(0x1, Array("early".utf8)))
        XCTAssertEqual(try client.readFrame().text, "early")
    }

    func testClientCloseIsEchoedAndTheConnectionCloses() throws {
        let log = EventLog()
        let server = try makeServer(log: log)
        let client = try TestWebSocket(port: server.port("ws"))
        try client.sendClose(3000, reason: "done")
        let frame = try client.readFrame()
        XCTAssertEqual(frame.opcode, 0x8)
        XCTAssertEqual(frame.closeCode, 3000)
        XCTAssertTrue(client.socket.waitForClose())
        XCTAssertTrue(log.waitFor("close 3000"))
        XCTAssertEqual(log.all.filter { $0.hasPrefix("close") }.count, 1)
    }

    func testServerInitiatedCloseWaitsForThePeerThenTimesOut() throws {
        let log = EventLog()
        let server = try makeServer(log: log) { $0.closeTimeout = .milliseconds(300) }
        let client = try TestWebSocket(port: server.port("ws"))
        let start = MonotonicClock.now()
        try client.send(text: "close:4001")
        let frame = try client.readFrame()
        XCTAssertEqual(frame.closeCode, 4001)
        XCTAssertEqual(Array(frame.payload.dropFirst(2)), Array("bye".utf8))
        // No answer from us: the server gives up after the close timeout, not before.
        XCTAssertTrue(client.socket.waitForClose())
        XCTAssertGreaterThanOrEqual(MonotonicClock.now() - start, 300, "closed before the close timeout")
        XCTAssertTrue(log.waitFor("close 1006"))
    }

    func testServerInitiatedCloseCompletesWhenThePeerAnswers() throws {
        let log = EventLog()
        let server = try makeServer(log: log)
        let client = try TestWebSocket(port: server.port("ws"))
        try client.send(text: "close:1000")
        XCTAssertEqual(try client.readFrame().closeCode, 1000)
        try client.sendClose(1000)
        XCTAssertTrue(client.socket.waitForClose())
        XCTAssertTrue(log.waitFor("close 1000"))
    }

    func testProtocolViolationClosesWithItsCode() throws {
        let server = try makeServer(log: EventLog())
        let cases: [([UInt8], UInt16)] = [
            (TestWebSocket.frame(0x1, Array("x".utf8), masked: false), 1002),
            (TestWebSocket.frame(0x3, []), 1002),
            (TestWebSocket.frame(0x1, [0xC0, 0xAF]), 1007),
            (TestWebSocket.frame(0x8, [0x03]), 1002),
            (TestWebSocket.frame(0x8, [0x03, 0xED]), 1002),
            (TestWebSocket.frame(0x9, [UInt8](repeating: 0, count: 126)), 1002),
            (TestWebSocket.frame(0x0, Array("orphan".utf8)), 1002),
        ]
        for (bytes, code) in cases {
            let client = try TestWebSocket(port: server.port("ws"))
            try client.socket.send(bytes)
            let frame = try client.readFrame()
            XCTAssertEqual(frame.opcode, 0x8)
            XCTAssertEqual(frame.closeCode, code, "\(bytes.prefix(4))")
            XCTAssertTrue(client.socket.waitForClose())
        }
    }

    func testPingIsAnsweredAndHandlerPingsReachTheClient() throws {
        let log = EventLog()
        let server = try makeServer(log: log)
        let client = try TestWebSocket(port: server.port("ws"))
        try client.send(0x9, Array("abc".utf8))
        XCTAssertEqual(try client.readFrame(), .init(fin: true, rsv1: false, opcode: 0xA, payload: Array("abc".utf8)))
        try client.send(text: "ping")
        XCTAssertEqual(try client.readFrame(), .init(fin: true, rsv1: false, opcode: 0x9, payload: Array("hi".utf8)))
        try client.send(0xA, Array("hi".utf8))
        XCTAssertTrue(log.waitFor("pong hi"))
    }

    func testFragmentedMessageWithInterleavedPing() throws {
        let server = try makeServer(log: EventLog())
        let client = try TestWebSocket(port: server.port("ws"))
        try client.send(0x1, Array("frag".utf8), fin: false)
        try client.send(0x9, [])
        try client.send(0x0, Array("ment".utf8), fin: false)
        try client.send(0x0, Array("ed".utf8))
        XCTAssertEqual(try client.readFrame().opcode, 0xA)
        XCTAssertEqual(try client.readFrame().text, "fragmented")
    }

    func testIdlePeerIsPingedThenClosed() throws {
        let log = EventLog()
        let server = try makeServer(log: log) { $0.idleTimeout = .milliseconds(200) }
        let client = try TestWebSocket(port: server.port("ws"))
        XCTAssertEqual(try client.readFrame().opcode, 0x9)
        let close = try client.readFrame()
        XCTAssertEqual(close.opcode, 0x8)
        XCTAssertEqual(close.closeCode, 1001)
    }

    /// Timeouts of `.seconds(.max)` mean "never": the deadline arithmetic must not overflow.
    func testEndlessTimeoutsServe() throws {
        let server = try makeServer(log: EventLog()) {
            $0.idleTimeout = .seconds(Int64.max)
            $0.closeTimeout = .seconds(Int64.max)
        }
        let client = try TestWebSocket(port: server.port("ws"))
        try client.send(text: "still here")
        XCTAssertEqual(try client.readFrame().text, "still here")
    }

    /// A rejection goes out like any HTTP response: a handler's `Connection: close` closes the
    /// connection after it, where it used to stay open as keep-alive.
    func testRejectionAskingToCloseClosesTheConnection() throws {
        var listener = Listener(name: "ws", port: 0, kind: .webSocket)
        listener.webSocket("/*", ClosingRejectionHandler())
        let server = try TestServer(listeners: [listener])
        let client = try TestSocket(port: server.port("ws"))
        try client.send(
            "GET /x HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        let response = try client.readResponse()
        XCTAssertEqual(response.status, 403)
        XCTAssertEqual(response.header("connection"), "close")
        XCTAssertTrue(client.waitForClose())
    }

    func testGracefulStopSendsGoingAway() throws {
        let log = EventLog()
        let server = try makeServer(log: log)
        let client = try TestWebSocket(port: server.port("ws"))
        server.server.stop()
        let frame = try client.readFrame()
        XCTAssertEqual(frame.closeCode, 1001)
        try client.sendClose(1001)
        XCTAssertTrue(client.socket.waitForClose())
        server.server.wait()
    }

    func testUpgradesCanBeSwitchedOffPerListener() throws {
        let server = try makeServer(log: EventLog(), http: { $0.acceptsWebSocketUpgrades = false })
        XCTAssertThrowsError(try TestWebSocket(port: server.port("http"), path: "/ws")) { error in
            guard case TestWebSocketError.refused(let response) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.text, "plain")
        }
    }

    func testWebSocketListenerAnswersPlainRequestsWith426() throws {
        let server = try makeServer(log: EventLog())
        let client = try TestSocket(port: server.port("ws"))
        try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()
        XCTAssertEqual(response.status, 426)
        XCTAssertEqual(response.header("upgrade"), "websocket")
    }

    func testPlainRequestsForAnUpgradeRouteGet426AndMalformedUpgrades400() throws {
        let server = try makeServer(log: EventLog(), http: { $0.webSocket("/only-ws", RecordingHandler(log: EventLog())) })
        let cases: [(String, Int)] = [
            ("GET /only-ws HTTP/1.1\r\nHost: x\r\n\r\n", 426),
            ("POST /only-ws HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 426),
            ("GET /only-ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n\r\n", 400),
            ("POST /only-ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nContent-Length: 0\r\n\r\n", 400),
            ("GET /ws HTTP/1.1\r\nHost: x\r\n\r\n", 200),  // an HTTP route on the same path serves plain requests
            ("GET /elsewhere HTTP/1.1\r\nHost: x\r\n\r\n", 404),
        ]
        for (request, status) in cases {
            let client = try TestSocket(port: server.port("http"))
            try client.send(request)
            let response = try client.readResponse()
            XCTAssertEqual(response.status, status, request)
            if status == 426 { XCTAssertEqual(response.header("upgrade"), "websocket", request) }
        }
    }

    func testHandshakeRefusals() throws {
        let server = try makeServer(log: EventLog(), configure: { $0.allowedOrigins = ["https://good.example"] })
        let cases: [(String, Int)] = [
            ("Sec-WebSocket-Version: 12\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: https://good.example\r\n", 426),
            ("Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: c2hvcnQ=\r\nOrigin: https://good.example\r\n", 400),
            ("Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: https://evil.example\r\n", 403),
        ]
        for (headers, status) in cases {
            let client = try TestSocket(port: server.port("ws"))
            try client.send("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\(headers)\r\n")
            let response = try client.readResponse()
            XCTAssertEqual(response.status, status, headers)
            if status == 426 { XCTAssertEqual(response.header("sec-websocket-version"), "13") }
        }
        let allowed = try TestWebSocket(port: server.port("ws"), headers: "Origin: https://GOOD.example\r\n")
        try allowed.send(text: "ok")
        XCTAssertEqual(try allowed.readFrame().text, "ok")
    }
}
