/// The kind of a complete WebSocket data message.
public enum WebSocketMessageKind: Sendable {
    /// A text message (its payload is UTF-8).
    case text
    /// A binary message.
    case binary
}

/// What `WebSocketMessageReader.next(_:)` found in the bytes received so far.
///
/// Buffers carried by the cases point either into the caller's receive buffer or into the reader's
/// own storage, and are valid only until the next call to `next(_:)` (or until the receive buffer
/// is reused, whichever comes first).
@_spi(RingwireInternal) public enum WebSocketReadEvent {
    /// The input was consumed entirely without completing an event; call again with more bytes.
    case needMoreData
    /// A complete, unmasked data message. Text is already UTF-8 validated unless `compressed` is
    /// true (RSV1 set under permessage-deflate): then the layer above validates after inflating.
    case message(WebSocketMessageKind, UnsafeRawBufferPointer, compressed: Bool)
    /// A ping with its (at most 125-byte) payload; answer with a pong echoing it.
    case ping(UnsafeRawBufferPointer)
    /// A pong with its (at most 125-byte) payload.
    case pong(UnsafeRawBufferPointer)
    /// The peer's close frame, validated: `nil` code when its payload was empty. Reply with a close
    /// frame; the reader discards whatever the peer sends afterwards.
    case close(WebSocketCloseCode?, reason: String)
    /// The peer violated the protocol: send a close frame with this code and close the connection.
    /// The reader is dead afterwards and keeps returning this failure.
    case failure(WebSocketCloseCode, reason: String)
}
