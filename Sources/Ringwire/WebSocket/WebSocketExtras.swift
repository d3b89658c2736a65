@_spi(RingwireInternal) import RingwireCodecs

/// What a WebSocket connection has beyond the plain case: a subprotocol and permessage-deflate
/// agreed in the handshake, topics it subscribed to, a ping waiting for its pong, the progress of a partial message. Boxed apart from the session, and created only
/// when needed, so a plain idle connection does not carry these fields.
final class WebSocketExtras {
    /// Topics the connection subscribes to.
    @exclusivity(unchecked) var topics: Set<String> = []
    /// The latest ping's payload, answered when the send queue drains (see `WebSocketSession.pongsQueued`).
    @exclusivity(unchecked) var pendingPong: [UInt8] = []
    @exclusivity(unchecked) var hasPendingPong = false
    /// While a message is incomplete (`minimumMessageProgress`): when its progress is next checked
    /// (`.max` while none is), its buffered size at the last check, and when the peer was last heard
    /// from (the idle deadline the check's own deadline stands in front of).
    @exclusivity(unchecked) var progressCheckAt = Int64.max
    @exclusivity(unchecked) var progressMark = 0
    @exclusivity(unchecked) var lastHeard: Int64 = 0
    let subprotocol: String?
    let compressor: PerMessageCompressor?
    let decompressor: PerMessageDecompressor?
    /// How published messages may reach the connection compressed (see `SharedCompression`).
    let sharedCompression: SharedCompression?

    init(subprotocol: String?, deflate: PerMessageDeflateParameters?, settings: WebSocketRouteSettings, context: WorkerContext) {
        self.subprotocol = subprotocol
        let configuration = settings.configuration.deflate
        guard let deflate else {
            compressor = nil
            decompressor = nil
            sharedCompression = nil
            return
        }
        compressor =
            configuration.sharedCompressor
            ? context.sharedCompressor(for: settings)
            : PerMessageCompressor(parameters: deflate, configuration: configuration)
        decompressor = PerMessageDecompressor(parameters: deflate)
        sharedCompression =
            deflate.serverNoContextTakeover
            ? SharedCompression(windowBits: deflate.serverMaxWindowBits, minimumSize: settings.minimumSizeToCompress) : nil
    }
}
