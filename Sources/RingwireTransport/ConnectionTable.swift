/// The worker's connections, indexed by slot so a completion finds its connection in O(1).
///
/// A slot's generation is bumped when its connection is removed, so completions still in flight for
/// the old connection (their tag carries the old generation) are recognised as stale. Freed slots are
/// reused last-in first-out, which keeps the live part of the table dense.
package struct ConnectionTable {
    private var slots: [Connection?] = []
    private var generations: [UInt32] = []
    private var freeSlots: [UInt32] = []
    package private(set) var count = 0

    /// Slots a table may hold: 24 bits of the operation tag.
    package static let maximumSlots = 1 << 24

    /// A table for up to `capacity` connections (the server caps its per-worker limit at
    /// `maximumSlots`). The arrays are reserved at once: their pages are only touched as slots are
    /// used, and they never grow by copying.
    package init(capacity: Int) {
        precondition(capacity <= Self.maximumSlots, "a worker holds at most \(Self.maximumSlots) connections")
        slots.reserveCapacity(capacity)
        generations.reserveCapacity(capacity)
    }

    package mutating func insert(fd: Int32, worker: Worker) -> Connection? {
        guard count < worker.settings.maxConnections else { return nil }
        let slot: UInt32
        if let reused = freeSlots.popLast() {
            slot = reused
        } else {
            guard slots.count < Self.maximumSlots else { return nil }
            slot = UInt32(slots.count)
            slots.append(nil)
            generations.append(0)
        }
        let connection = Connection(
            slot: slot, generation: generations[Int(slot)], fd: fd, worker: worker)
        slots[Int(slot)] = connection
        count += 1
        return connection
    }

    /// The connection a completion belongs to, or nil if that connection is gone.
    func connection(for tag: OperationTag) -> Connection? {
        connection(slot: tag.slot, generation: tag.generation)
    }

    /// The connection in `slot` if it is still the one of `generation`.
    package func connection(slot: UInt32, generation: UInt32) -> Connection? {
        let index = Int(slot)
        guard index < slots.count, generations[index] == generation else { return nil }
        return slots[index]
    }

    /// Whatever connection is in `slot` now.
    package func connection(inSlot slot: UInt32) -> Connection? {
        let index = Int(slot)
        return index < slots.count ? slots[index] : nil
    }

    /// Removes `connection`; false if it was already removed.
    package mutating func remove(_ connection: Connection) -> Bool {
        let slot = Int(connection.slot)
        guard slot < slots.count, slots[slot] === connection else { return false }
        slots[slot] = nil
        generations[slot] &+= 1
        freeSlots.append(connection.slot)
        count -= 1
        return true
    }

    /// Calls `body` for every live connection; `body` may close connections.
    package func forEach(_ body: (Connection) -> Void) {
        for case let connection? in slots { body(connection) }
    }
}
