@_spi(RingwireInternal) import RingwireTransport

/// The server-wide side of cooperation between workers: every worker's mailbox and handle, and the
/// topic registry. Any thread may use it.
final class Messenger: Sendable {
    let handles: [WorkerHandle]
    let mailboxes: [WorkerMailbox<WorkerMessage>]
    let topics = TopicRegistry()
    /// Each worker's pub/sub state, opened only on that worker's thread.
    let localPubSub: [WorkerLocal<WorkerPubSub>]

    init(handles: [WorkerHandle]) {
        self.handles = handles
        mailboxes = handles.map { _ in WorkerMailbox<WorkerMessage>() }
        localPubSub = handles.map { _ in WorkerLocal<WorkerPubSub>() }
    }

    /// Hands `message` to worker `worker` and makes sure it wakes up to read it.
    func post(_ message: WorkerMessage, to worker: Int) {
        mailboxes[worker].push(message)
        handles[worker].signalMailbox()
    }

    /// Whether connection `id` is open, from any thread.
    func isOpen(_ id: ConnectionID) -> Bool {
        guard Int(id.worker) < handles.count else { return false }
        return handles[Int(id.worker)].isOpen(slot: id.slot, generation: id.generation)
    }

    /// Delivers `message` to the worker that owns `id`: at once when called on that worker's thread
    /// (so order with the caller's own writes is kept), otherwise through its mailbox.
    func route(_ message: WorkerMessage, to id: ConnectionID) {
        if Int(id.worker) < localPubSub.count, let pubsub = localPubSub[Int(id.worker)].onCurrentThread {
            pubsub.handle(message)
        } else {
            post(message, to: Int(id.worker))
        }
    }

    /// Publishes `message` to `topic` on every worker with subscribers; from a worker thread its own
    /// subscribers get it at once.
    func publish(_ message: PublishedMessage, to topic: String, excluding: ConnectionID?) {
        if let pubsub = currentWorkerPubSub {
            pubsub.publish(message, to: topic, excluding: excluding)
            return
        }
        guard let record = topics.lookup(topic) else { return }
        record.workers.forEach { worker in
            post(.publish(topic: topic, message, excluding: excluding), to: worker)
        }
    }

    /// The pub/sub state of this server's worker running on the current thread, if any.
    var currentWorkerPubSub: WorkerPubSub? {
        guard let index = Worker.currentIndex, index < localPubSub.count else { return nil }
        return localPubSub[index].onCurrentThread
    }
}
