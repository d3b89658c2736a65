import RingwireTestSupport
import Synchronization
import XCTest

@testable import Ringwire

/// What a harness test's handler saw, in order. (A handler must be `Sendable`; the harness calls it
/// on the test's own thread.)
final class SessionEvents: Sendable {
    private let events = Mutex<[String]>([])
    func add(_ event: String) { events.withLock { $0.append(event) } }
    var all: [String] { events.withLock { $0 } }
    /// The close events ("close CODE reason").
    var closes: [String] { all.filter { $0.hasPrefix("close") } }
}

/// Records every handler call, echoes messages, and obeys a few commands:
/// "close:CODE" closes with CODE; "send:COUNT:SIZE" sends COUNT binary messages of SIZE bytes and
/// records the results; "ping:COUNT" sends COUNT pings of 100 bytes and records the results.
struct ScriptedWebSocketHandler: WebSocketHandler {
    let events: SessionEvents

    func onOpen(_ socket: borrowing WebSocket<ScriptedWebSocketHandler>) { events.add("open") }

    func onMessage(_ socket: borrowing WebSocket<ScriptedWebSocketHandler>, _ message: borrowing WebSocketMessage) {
        let words = message.kind == .text ? message.text.split(separator: ":").map(String.init) : []
        switch (words.first, words.count) {
        case ("close", 2):
            socket.close(code: WebSocketCloseCode(rawValue: UInt16(words[1]) ?? 1000), reason: "bye")
        case ("send", 3):
            let payload = [UInt8](repeating: 0x5A, count: Int(words[2]) ?? 0)
            let results = (0..<(Int(words[1]) ?? 0)).map { _ in socket.send(binary: payload) }
            events.add("sent \(Self.summary(results))")
        case ("ping", 2):
            let payload = [UInt8](repeating: 1, count: 100)
            let results = (0..<(Int(words[1]) ?? 0)).map { _ in socket.ping(payload) }
            events.add("pinged \(Self.summary(results))")
        default:
            if message.kind == .text { socket.send(textBytes: message.bytes) } else { socket.send(binary: message.bytes) }
        }
    }

    func onPing(_ socket: borrowing WebSocket<ScriptedWebSocketHandler>, _ payload: UnsafeRawBufferPointer) {
        events.add("ping \(String(decoding: payload, as: UTF8.self))")
    }

    func onPong(_ socket: borrowing WebSocket<ScriptedWebSocketHandler>, _ payload: UnsafeRawBufferPointer) {
        events.add("pong \(String(decoding: payload, as: UTF8.self))")
    }

    func onDrain(_ socket: borrowing WebSocket<ScriptedWebSocketHandler>) { events.add("drain") }

    func onClose(_ socket: borrowing WebSocket<ScriptedWebSocketHandler>, code: WebSocketCloseCode?, reason: String) {
        events.add("close \(code.map { String($0.rawValue) } ?? "none") \(reason)")
    }

    /// "queued N, over limit N, dropped N".
    private static func summary(_ results: [WebSocketSendResult]) -> String {
        let queued = results.filter { $0 == .queued }.count
        let over = results.filter { $0 == .queuedOverLimit }.count
        return "queued \(queued), over limit \(over), dropped \(results.count - queued - over)"
    }
}

extension InMemoryConnection {
    /// A WebSocket connection on the harness: upgraded (the 101 taken), its handler's events recorded.
    static func webSocket(
        _ configure: (inout WebSocketConfiguration) -> Void = { _ in }, file: StaticString = #filePath, line: UInt = #line
    ) -> (InMemoryConnection, SessionEvents) {
        var configuration = WebSocketConfiguration()
        configure(&configuration)
        let events = SessionEvents()
        var listener = Listener(name: "ws", port: 0, kind: .webSocket)
        listener.webSocket("/*", configuration: configuration, ScriptedWebSocketHandler(events: events))
        let connection = InMemoryConnection(serving: listener)
        XCTAssertEqual(connection.upgradeToWebSocket()?.status, 101, file: file, line: line)
        connection.drain()
        XCTAssertEqual(events.all, ["open"], file: file, line: line)
        return (connection, events)
    }
}
