import Ringwire

/// Sends every message back as it came: text as text, binary as binary.
struct InteropEchoHandler: WebSocketHandler {
    func onMessage(_ socket: borrowing WebSocket<InteropEchoHandler>, _ message: borrowing WebSocketMessage) {
        switch message.kind {
        case .text: socket.send(textBytes: message.bytes)
        case .binary: socket.send(binary: message.bytes)
        }
    }
}

extension Listener {
    /// An HTTP listener named "ws" for the interop tests.
    static func interop(_ configure: (inout Listener) -> Void) -> Listener {
        var listener = Listener(name: "ws", port: 0)
        configure(&listener)
        return listener
    }
}
