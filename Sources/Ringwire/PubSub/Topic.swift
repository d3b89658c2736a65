@_spi(RingwireInternal) import RingwireTransport
import Synchronization

/// A topic's server-wide record: which workers have subscribers to it, so a publish goes to those
/// workers only. Shared by all workers; changed under the registry's lock, read lock-free.
final class Topic: Sendable {
    let name: String
    /// The workers with at least one subscriber.
    let workers = WorkerSet()
    /// Set when the last subscriber anywhere left and the registry dropped this record; whoever
    /// cached it must look the name up again.
    let retired = Atomic<Bool>(false)

    init(name: String) { self.name = name }
}

/// All topics with subscribers, by name.
final class TopicRegistry: Sendable {

    private let topics = Mutex<[String: Topic]>([:])

    /// The topic named `name` (created if needed), with worker `worker` marked as having subscribers.
    func join(_ name: String, worker: Int) -> Topic {
        topics.withLock { topics in
            let topic = topics[name] ?? Topic(name: name)
            topics[name] = topic
            topic.workers.insert(worker)
            return topic
        }
    }

    /// Worker `worker` has no subscribers to `topic` any more; the topic goes when nobody has.
    func leave(_ topic: Topic, worker: Int) {
        topics.withLock { topics in
            if topic.workers.remove(worker), topics[topic.name] === topic {
                topic.retired.store(true, ordering: .releasing)
                topics[topic.name] = nil
            }
        }
    }

    /// The topic named `name` if anyone subscribes to it.
    func lookup(_ name: String) -> Topic? {
        topics.withLock { $0[name] }
    }
}
