@_spi(RingwireInternal) import RingwireCodecs
@_spi(RingwireInternal) import RingwireTransport

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
    private var local: [String: LocalTopic] = [:]
    /// Topics this worker publishes to without subscribing (checked for retirement on use).
    private var publishCache: [String: Topic] = [:]
    /// Compressors for shared compressed frames, by window bits (no context: reset per message).
    private var compressors: [Int: PerMessageCompressor] = [:]
    private var compressionScratch: [UInt8] = []
    /// This worker's open WebSocket connections by slot, so a push or close addressed by id finds
    /// its session, typed: the transport's table knows connections, not what they speak. 16 bytes
    /// per slot up to the highest slot used.
    private var recipients: [(any FrameRecipient)?] = []

    init(index: Int, messenger: Messenger) {
        self.index = index
        self.messenger = messenger
    }

    // MARK: Reachability by id

    /// Makes an open connection reachable by its id (pushes, closes, subscriptions from elsewhere).
    func register(_ recipient: any FrameRecipient) {
        let slot = Int(recipient.connectionID.slot)
        if slot >= recipients.count { recipients.append(contentsOf: repeatElement(nil, count: slot + 1 - recipients.count)) }
        recipients[slot] = recipient
    }

    /// The connection is closing: nothing addressed to it is delivered any more.
    func unregister(_ recipient: any FrameRecipient) {
        let slot = Int(recipient.connectionID.slot)
        if slot < recipients.count, recipients[slot] === recipient { recipients[slot] = nil }
    }

    // MARK: Subscriptions

    func subscribe(_ recipient: any FrameRecipient, to name: String) {
        guard !recipient.topics.contains(name) else { return }
        recipient.topics.insert(name)
        let topic =
            local[name]
            ?? {
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
        let compressor =
            compressors[windowBits]
            ?? PerMessageCompressor(
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
        let slot = Int(id.slot)
        guard slot < recipients.count, let recipient = recipients[slot], recipient.connectionID == id else { return nil }
        return recipient
    }
}
