import Ringwire
import XCTest

/// Supports chat.v1 and chat.v2; takes the first of the client's offers it supports (the client
/// lists them by preference) and reports the agreed one on every message.
struct InteropChatHandler: WebSocketHandler {
    static let supported: Set<String> = ["chat.v1", "chat.v2"]

    func upgrade(_ request: WebSocketUpgradeRequest) -> WebSocketUpgradeDecision<Void> {
        .accept((), subprotocol: request.subprotocols.first(where: Self.supported.contains))
    }

    func onMessage(_ socket: borrowing WebSocket<InteropChatHandler>, _ message: borrowing WebSocketMessage) {
        socket.send(text: socket.subprotocol ?? "none")
    }
}

/// Needs `token=secret` (query item or cookie); the `user` query item becomes the state.
struct InteropLoginHandler: WebSocketHandler {
    func upgrade(_ request: WebSocketUpgradeRequest) -> WebSocketUpgradeDecision<String> {
        let query = Dictionary(request.queryItems, uniquingKeysWith: { first, _ in first })
        guard (query["token"] ?? request.cookies["token"]) == "secret" else {
            return .reject(HTTPResponse(status: .unauthorized, text: "login first"))
        }
        let user = query["user"] ?? "anonymous"
        return .accept(user, headers: HTTPHeaders([("X-User", user)]))
    }

    func onMessage(_ socket: borrowing WebSocket<InteropLoginHandler>, _ message: borrowing WebSocketMessage) {
        let text = message.text
        if text.hasPrefix("rename ") {
            socket.state = String(text.dropFirst("rename ".count))
            socket.send(text: "\(socket.state): renamed")
        } else {
            socket.send(text: "\(socket.state): \(text)")
        }
    }
}

/// Subprotocols, rejected and stateful upgrades, and malformed handshakes
/// (Tests/Interop/handshake.py).
final class InteropHandshakeTests: XCTestCase {
    private var server: TestServer!

    override func setUpWithError() throws {
        try InteropScript.requireClient()
        server = try TestServer(listeners: [
            .interop { listener in
                listener.webSocket("/chat", InteropChatHandler())
                listener.webSocket("/login", InteropLoginHandler())
                listener.webSocket("/echo", InteropEchoHandler())
            }
        ])
    }

    override func tearDown() {
        server?.stop()
        server = nil
    }

    private func run(_ scenario: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try InteropScript.run("handshake", scenario, port: server.port("ws"), file: file, line: line)
    }

    func testSubprotocolChoice() throws { try run("subprotocols") }
    func testRejectedUpgradeIsReadableByClient() throws { try run("rejected_upgrade") }
    func testStateFromUpgradeReachesOnMessage() throws { try run("accepted_with_state") }
    func testAcceptKeyOfRFCExample() throws { try run("raw_accept") }
    func testVersion12Gets426() throws { try run("raw_version_12") }
    func testMissingVersionGets426() throws { try run("raw_missing_version") }
    func testBadKeysGet400() throws { try run("raw_bad_keys") }
    func testRejectionBodyOverRawHTTP() throws { try run("raw_rejection_body") }
}
