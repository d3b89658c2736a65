import RingwireTransport
@_spi(RingwireInternal) import RingwireCodecs
/// One worker's part of pub/sub and cross-worker delivery: its local subscribers per topic, and the
/// handling of messages other threads sent it. Confined to the worker thread.
final class WorkerPubSub {
    /// A topic's subscribers on this worker.
    private final class LocalTopic {
        let record: Topic
        var members: [ObjectIdentifier: any FrameRecipient] = [:]
        init(record: Topic) { self.record = record }
    }

    let index: Int
    let messenger: Messenger
    /// The worker this belongs to, attached once it exists.
    unowned(unsafe) var worker: Worker?
    private var local: [String: LocalTopic] = [:]
    /// Topics this worker publishes to without subscribing (checked for retirement on use).
    private var publishCache: [String: Topic] = [:]
    /// Compressors for shared compressed frames, by window bits (no context: reset per message).
    private var compressors: [Int: PerMessageCompressor] = [:]
    private var compressionScratch: [UInt8] = []

    /// The pub/sub state of the worker running on this thread, if any.
    static var current: WorkerPubSub? { Worker.current?.attachment as? WorkerPubSub }

    init(index: Int, messenger: Messenger) {
        self.index = index
        self.messenger = messenger
    }

    // MARK: Subscriptions

    func subscribe(_ recipient: any FrameRecipient, to name: String) {
        guard !recipient.topics.contains(name) else { return }
        recipient.topics.insert(name)
        let topic = local[name] ?? {
            let created = LocalTopic(record: messenger.topics.join(name, worker: index))
            local[name] = created
            return created
        }()
        topic.members[ObjectIdentifier(recipient)] = recipient
    }

    func unsubscribe(_ recipient: any FrameRecipient, from name: String) {
        guard recipient.topics.remove(name) != nil, let topic = local[name] else { return }
        topic.members[ObjectIdentifier(recipient)] = nil
        if topic.members.isEmpty {
            local[name] = nil
            messenger.topics.leave(topic.record, worker: index)
        }
    }

    /// A closing connection leaves all its topics.
    func unsubscribeAll(_ recipient: any FrameRecipient) {
        for name in recipient.topics { unsubscribe(recipient, from: name) }
    }

    // MARK: Publishing

    /// Sends `message` to every subscriber of `name`: directly to this worker's, through the mailboxes
    /// of the other workers that have any.
    func publish(_ message: PublishedMessage, to name: String, excluding: ConnectionID?) {
        guard let record = topicRecord(name) else { return }
        record.workers.forEach { worker in
            if worker == index {
                deliverLocally(message, to: name, excluding: excluding)
            } else {
                messenger.post(.publish(topic: name, message, excluding: excluding), to: worker)
            }
        }
    }

    private func topicRecord(_ name: String) -> Topic? {
        if let topic = local[name] { return topic.record }
        if let cached = publishCache[name], !cached.retired.load(ordering: .acquiring) { return cached }
        guard let found = messenger.topics.lookup(name) else {
            publishCache[name] = nil
            return nil
        }
        publishCache[name] = found
        return found
    }

    /// Every local subscriber gets the same bytes: the uncompressed frame, or one compressed frame
    /// per window size, compressed once here for all subscribers that take it.
    private func deliverLocally(_ message: PublishedMessage, to name: String, excluding: ConnectionID?) {
        guard let topic = local[name] else { return }
        var compressed: [Int: SharedFrame] = [:]
        // Iterating a copy: a recipient closed by its backpressure policy may leave the topic meanwhile.
        for recipient in topic.members.values where recipient.connectionID != excluding {
            guard let compression = recipient.sharedCompression, message.payload.count >= compression.minimumSize else {
                recipient.deliver(message.frame)
                continue
            }
            let frame = compressed[compression.windowBits] ?? compress(message, windowBits: compression.windowBits)
            compressed[compression.windowBits] = frame
            recipient.deliver(frame)
        }
    }

    /// `message` compressed on its own (no history) with a `windowBits` window, framed with RSV1.
    private func compress(_ message: PublishedMessage, windowBits: Int) -> SharedFrame {
        let compressor = compressors[windowBits] ?? PerMessageCompressor(
            parameters: PerMessageDeflateParameters(serverNoContextTakeover: true, serverMaxWindowBits: windowBits),
            configuration: PerMessageDeflateConfiguration())
        compressors[windowBits] = compressor
        compressionScratch.removeAll(keepingCapacity: true)
        compressor.compress(message.payload, to: &compressionScratch)
        return compressionScratch.withUnsafeBytes { payload in
            let headerSize = WebSocketFrameEncoder.headerSize(payloadLength: payload.count)
            return SharedFrame(count: headerSize + payload.count) { bytes in
                guard let base = bytes.baseAddress, let source = payload.baseAddress else { return }
                _ = WebSocketFrameEncoder.encodeHeader(
                    opcode: message.opcode, payloadLength: payload.count, fin: true, rsv1: true, into: base)
                (base + headerSize).copyMemory(from: source, byteCount: payload.count)
            }
        }
    }

    // MARK: Messages from other threads

    /// Handles everything other threads posted since the last look.
    func drainMailbox() {
        messenger.mailboxes[index].drain { handle($0) }
    }

    func handle(_ message: WorkerMessage) {
        switch message {
        case .push(let id, let message):
            recipient(id)?.deliver(message)
        case .close(let id, let code, let reason):
            recipient(id)?.close(code: code, reason: reason)
        case .publish(let topic, let message, let excluding):
            deliverLocally(message, to: topic, excluding: excluding)
        case .subscribe(let id, let topic):
            if let recipient = recipient(id) { subscribe(recipient, to: topic) }
        case .unsubscribe(let id, let topic):
            if let recipient = recipient(id) { unsubscribe(recipient, from: topic) }
        }
    }

    /// The open WebSocket connection `id` on this worker, if it still exists.
    private func recipient(_ id: ConnectionID) -> (any FrameRecipient)? {
        guard let connection = worker?.table.connection(slot: id.slot, generation: id.generation), connection.isOpen
        else { return nil }
        return connection.session as? any FrameRecipient
    }
}
