import Synchronization

/// Which workers have subscribers to a topic: bit `w % 64` of word `w / 64`. Shared by all
/// threads: changed with atomic bit operations (under the topic registry's lock), read lock-free
/// by publishers.
struct WorkerSet: ~Copyable, Sendable {
    private typealias Words = InlineArray<4, Atomic<UInt64>>

    /// Workers a set can hold, and so workers a server can have.
    static let capacity = Words.count * 64

    private let words: Words

    init() {
        words = Words { _ in Atomic(0) }
    }

    func insert(_ worker: Int) {
        words[worker >> 6].bitwiseOr(1 << UInt64(worker & 63), ordering: .releasing)
    }

    /// Removes `worker`; true when no worker is left.
    func remove(_ worker: Int) -> Bool {
        words[worker >> 6].bitwiseAnd(~(1 << UInt64(worker & 63)), ordering: .releasing)
        for index in 0..<words.count where words[index].load(ordering: .relaxed) != 0 { return false }
        return true
    }

    /// Calls `body` with every worker in the set, in increasing order.
    func forEach(_ body: (Int) -> Void) {
        for index in 0..<words.count {
            var remaining = words[index].load(ordering: .acquiring)
            while remaining != 0 {
                body(index << 6 | remaining.trailingZeroBitCount)
                remaining &= remaining - 1
            }
        }
    }
}
