import Ringwire

extension InMemoryConnection {
    /// Sends the handshake for `path` and takes the server's answer (101 when the upgrade succeeded).
    @discardableResult
    package func upgradeToWebSocket(path: String = "/", headers: String = "") -> TestResponse? {
        feed(
            "GET \(path) HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\(headers)\r\n")
        return takeResponses().first
    }

    /// The peer sends one frame (masked, as clients must).
    package func feedFrame(_ opcode: UInt8, _ payload: [UInt8] = [], fin: Bool = true) {
        feed(clientFrame(opcode, payload, fin: fin))
    }

    /// The peer sends a text message.
    package func feedText(_ text: String) {
        feedFrame(0x1, Array(text.utf8))
    }

    /// The peer sends a close frame.
    package func feedClose(_ code: UInt16, reason: String = "") {
        feedFrame(0x8, closePayload(code, Array(reason.utf8)))
    }
}
