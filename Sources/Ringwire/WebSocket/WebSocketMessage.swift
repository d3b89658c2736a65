/// A complete message received on a WebSocket, borrowed: `bytes` is valid only during the handler
/// call that receives it (it usually points into the receive buffer, so no copy was made).
/// Keep what you need with `text`, `copyBytes()` or by copying `bytes` yourself.
public struct WebSocketMessage {
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
