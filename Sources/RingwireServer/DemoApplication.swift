import Ringwire

/// The handlers `ringwire` serves with no code of its own: a text page, a health check and a
/// WebSocket echo at `/ws` on HTTP listeners; a WebSocket echo on every path of WebSocket listeners.
enum DemoApplication {
    static let homePage = """
        Ringwire: a WebSocket server on io_uring.

        This port speaks HTTP/1.1 and WebSocket (an echo at /ws). Try:
          curl http://localhost:9501/health
          python3 -m websockets ws://localhost:9502/

        """

    /// Installs the demo handlers on every listener, according to its protocol.
    static func install(on configuration: inout ServerConfiguration, webSocket: WebSocketConfiguration) {
        for index in configuration.listeners.indices {
            switch configuration.listeners[index].kind {
            case .http:
                configuration.listeners[index].get("/") { _ in HTTPResponse(text: homePage) }
                configuration.listeners[index].get("/health") { _ in HTTPResponse(text: "ok\n") }
                configuration.listeners[index].webSocket("/ws", configuration: webSocket, EchoHandler())
            case .webSocket:
                configuration.listeners[index].webSocket("/", configuration: webSocket, EchoHandler())
                configuration.listeners[index].webSocket("/*", configuration: webSocket, EchoHandler())
            }
        }
    }
}

/// Sends every message back as it came: text as text, binary as binary.
struct EchoHandler: WebSocketHandler {
    func onMessage(_ socket: WebSocket<EchoHandler>, _ message: WebSocketMessage) {
        switch message.kind {
        case .text: socket.send(textBytes: message.bytes)
        case .binary: socket.send(binary: message.bytes)
        }
    }
}
