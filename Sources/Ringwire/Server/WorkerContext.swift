@_spi(RingwireInternal) import RingwireCodecs
@_spi(RingwireInternal) import RingwireTransport

/// Per-worker state that sessions share: confined to the worker thread.
package final class WorkerContext {
    var dateCache = HTTPDateCache()
    /// This worker's topics and its end of cross-worker messaging.
    let pubsub: WorkerPubSub
    /// Where a compressed outgoing message is built before it is framed (reused, never shrunk).
    var deflateScratch: [UInt8] = []
    /// Where an incoming compressed message is inflated before the handler sees it.
    var inflateScratch: [UInt8] = []
    /// What this worker's connections may hold in partial incoming messages, together.
    let messageBufferBudget: MessageBufferBudget
    /// One compressor per route for routes that share one (no context takeover), keyed by route.
    private var sharedCompressors: [ObjectIdentifier: PerMessageCompressor] = [:]

    init(pubsub: WorkerPubSub, messageBufferBudget: MessageBufferBudget) {
        self.pubsub = pubsub
        self.messageBufferBudget = messageBufferBudget
    }

    /// A context for a worker of its own, without a server or a ring: a one-worker messenger, so
    /// publishes reach this context's subscribers. What the embedded harness gives its sessions.
    package static func standalone(
        messageBufferBudget: Int = ServerConfiguration(listeners: []).messageBufferBudgetPerWorker
    ) -> WorkerContext {
        let messenger = Messenger(handles: [WorkerHandle(index: 0, maxConnections: ConnectionTable.maximumSlots)])
        return WorkerContext(
            pubsub: WorkerPubSub(index: 0, messenger: messenger), messageBufferBudget: MessageBufferBudget(limit: messageBufferBudget))
    }

    func sharedCompressor(for route: WebSocketRouteSettings) -> PerMessageCompressor {
        let key = ObjectIdentifier(route)
        if let existing = sharedCompressors[key] { return existing }
        let compressor = PerMessageCompressor(sharedFor: route.configuration.deflate)
        sharedCompressors[key] = compressor
        return compressor
    }
}
