import Synchronization

/// Messages for one worker from any thread: a lock-free multi-producer, single-consumer queue.
///
/// Producers push onto an atomic singly linked list with a compare-and-swap; the owning worker takes
/// the whole list with one exchange and reverses it, so messages come out in push order — hence in
/// order per producer thread. Nodes are only ever taken all at once, so there is no ABA problem.
/// `@unchecked Sendable`: the only shared state is the atomic head; raw node pointers are handed
/// over through it with release/acquire ordering.
package final class WorkerMailbox<Message: Sendable>: @unchecked Sendable {
    private final class Node: @unchecked Sendable {
        package let message: Message
        // Written by the producer before the node is published, read by the consumer after taking it.
        package var next: UnsafeMutableRawPointer?
        package init(_ message: Message) { self.message = message }
    }

    private let head = Atomic<UnsafeMutableRawPointer?>(nil)

    /// Adds `message`; safe from any thread.
    package func push(_ message: Message) {
        let node = Unmanaged.passRetained(Node(message))
        let pointer = node.toOpaque()
        var current = head.load(ordering: .relaxed)
        while true {
            node.takeUnretainedValue().next = current
            let (exchanged, original) = head.compareExchange(
                expected: current, desired: pointer, successOrdering: .releasing, failureOrdering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    /// Takes every message pushed so far, oldest first. Only the owning worker calls this.
    package func drain(_ body: (Message) -> Void) {
        var pointer = head.exchange(nil, ordering: .acquiring)
        var reversed: UnsafeMutableRawPointer?
        while let current = pointer {
            let node = Unmanaged<Node>.fromOpaque(current).takeUnretainedValue()
            pointer = node.next
            node.next = reversed
            reversed = current
        }
        while let current = reversed {
            let node = Unmanaged<Node>.fromOpaque(current).takeRetainedValue()
            reversed = node.next
            body(node.message)
        }
    }

    package init() {}

    deinit { drain { _ in } }
}
