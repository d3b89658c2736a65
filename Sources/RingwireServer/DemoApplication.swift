import Ringwire
import Synchronization

/// The handlers `ringwire` serves with no code of its own. HTTP listeners: the chat page at `/`
/// (its WebSocket at `/chat`), `/health`, `/stats`, a WebSocket echo at `/ws` and a relay room at
/// `/broadcast`. WebSocket listeners: the relay room at `/broadcast`, an echo on every other path.
enum DemoApplication {
    /// Installs the demo handlers on every listener, according to its protocol; `/stats` reports the
    /// connections per worker of `server` (set once it exists).
    static func install(on configuration: inout ServerConfiguration, webSocket: WebSocketConfiguration, stats: ServerStats) {
        let rooms = ChatRooms()
        var chat = webSocket
        chat.limits.maxMessageSize = 16 * 1024
        chat.limits.maxFrameSize = 16 * 1024
        for index in configuration.listeners.indices {
            switch configuration.listeners[index].kind {
            case .http:
                configuration.listeners[index].get("/") { _ in
                    var headers = HTTPHeaders()
                    headers.add(name: "Content-Type", value: "text/html; charset=utf-8")
                    return HTTPResponse(headers: headers, body: Array(ChatPage.html.utf8))
                }
                configuration.listeners[index].get("/health") { _ in HTTPResponse(text: "ok\n") }
                configuration.listeners[index].get("/stats") { _ in
                    var headers = HTTPHeaders()
                    headers.add(name: "Content-Type", value: "application/json")
                    return HTTPResponse(headers: headers, body: Array(stats.json.utf8))
                }
                configuration.listeners[index].webSocket("/chat", configuration: chat, ChatHandler(rooms: rooms))
                configuration.listeners[index].webSocket("/ws", configuration: webSocket, EchoHandler())
                configuration.listeners[index].webSocket("/broadcast", configuration: webSocket, BroadcastHandler())
            case .webSocket:
                configuration.listeners[index].webSocket("/", configuration: webSocket, EchoHandler())
                configuration.listeners[index].webSocket("/*", configuration: webSocket, EchoHandler())
                configuration.listeners[index].webSocket("/broadcast", configuration: webSocket, BroadcastHandler())
            }
        }
    }
}

/// Everyone connected to `/broadcast` is in one room: each message is relayed to all the others
/// (the benchmark's broadcast scenario).
struct BroadcastHandler: WebSocketHandler {
    static let room = "broadcast"

    func onOpen(_ socket: borrowing WebSocket<BroadcastHandler>) { socket.subscribe(Self.room) }

    func onMessage(_ socket: borrowing WebSocket<BroadcastHandler>, _ message: borrowing WebSocketMessage) {
        switch message.kind {
        case .text: socket.publish(Self.room, text: message.text, excludingSelf: true)
        case .binary: socket.publish(Self.room, binary: message.bytes, excludingSelf: true)
        }
    }
}

/// Sends every message back as it came: text as text, binary as binary.
struct EchoHandler: WebSocketHandler {
    func onMessage(_ socket: borrowing WebSocket<EchoHandler>, _ message: borrowing WebSocketMessage) {
        switch message.kind {
        case .text: socket.send(textBytes: message.bytes)
        case .binary: socket.send(binary: message.bytes)
        }
    }
}

/// Lets `/stats` reach the server, which is created after its handlers.
final class ServerStats: Sendable {
    private let server = Mutex<Server?>(nil)

    func attach(_ server: Server) { self.server.withLock { $0 = server } }

    /// `{"connections": N, "workers": [n0, n1, ...]}`
    var json: String {
        let counts = server.withLock { $0?.connectionCounts() } ?? []
        return "{\"connections\":\(counts.reduce(0, +)),\"workers\":[\(counts.map(String.init).joined(separator: ","))]}"
    }
}
