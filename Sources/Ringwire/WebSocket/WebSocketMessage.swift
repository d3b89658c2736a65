/// A complete message received on a WebSocket, lent to the handler call that receives it: `bytes`
/// usually points into the receive buffer (no copy was made) and is valid only during that call.
/// Non-copyable, like the `WebSocket` handle, so the message itself cannot be kept by mistake;
/// keep what you need with `text` or `copyBytes()`.
public struct WebSocketMessage: ~Copyable {
    /// Text (already validated as UTF-8) or binary.
    public let kind: WebSocketMessageKind
    /// The payload, unmasked and (with permessage-deflate) inflated.
    public let bytes: UnsafeRawBufferPointer

    /// An owned copy of a text message (or of binary bytes as UTF-8, with invalid bytes replaced).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// An owned copy of the payload.
    public func copyBytes() -> [UInt8] { Array(bytes) }
}

/// The outcome of a `send`.
public enum WebSocketSendResult: Sendable, Equatable {
    /// Queued; the send queue is under `maxBackpressure`.
    case queued
    /// Queued, but the send queue is now over `maxBackpressure`: stop sending until `onDrain`.
    case queuedOverLimit
    /// Not sent: the connection is closing or closed, or the backpressure policy refused it.
    case dropped
}
