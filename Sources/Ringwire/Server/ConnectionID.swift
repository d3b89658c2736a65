/// Identifies one connection for its whole life: which worker owns it, its slot there, and the slot's
/// generation, so an id never refers to a later connection that reuses the slot.
public struct ConnectionID: Hashable, Sendable, CustomStringConvertible {
    /// Index of the owning worker.
    public let worker: UInt16
    /// Slot in the owning worker's connection table.
    public let slot: UInt32
    /// Bumped every time the slot is reused.
    public let generation: UInt32

    /// Creates an id from its parts.
    public init(worker: UInt16, slot: UInt32, generation: UInt32) {
        self.worker = worker
        self.slot = slot
        self.generation = generation
    }

    public var description: String { "\(worker).\(slot).\(generation)" }
}
