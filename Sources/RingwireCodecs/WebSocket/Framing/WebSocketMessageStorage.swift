import Glibc

/// The bytes a `WebSocketMessageReader` must keep between calls: a message that is fragmented or
/// spans receive buffers, and a control frame that spans receive buffers.
///
/// A class only so `deinit` can free the memory; it belongs to one reader, hence to one worker
/// thread, and is never shared. Created on first need, so connections whose messages always
/// arrive whole in one receive buffer (the common case) never allocate it.
@usableFromInline
final class WebSocketMessageStorage {
    /// Buffers at most this large are kept for the next message; larger ones are freed once their
    /// message has been consumed, so one big message does not pin memory for the connection's life.
    static let retainedCapacity = 64 * 1024

    /// First allocation for a message, so many small fragments do not reallocate each time.
    static let initialCapacity = 4 * 1024

    /// Buffers from this size up are mapped from the kernel and unmapped when freed, so a large
    /// message's memory goes back to the system at once. From malloc it may not: after freeing a
    /// large block glibc raises its mmap threshold (up to 32 MiB) and serves later ones from arenas
    /// that keep freed memory, so RSS stopped following the worker's budget (Benchmarks/hostile.py).
    static let mappedCapacity = 256 * 1024

    /// Message bytes accumulated so far, `nil` until the first allocation.
    private var message: UnsafeMutableRawPointer?
    /// Bytes allocated for `message`.
    package private(set) var capacity = 0
    /// How many bytes of `message` are used.
    // Unchecked exclusivity: one reader owns the storage on one thread; read per receive.
    @usableFromInline @exclusivity(unchecked) package private(set) var count = 0
    /// Charged with `capacity`; nil for a reader without one (tests, tools).
    private let budget: MessageBufferBudget?

    /// Holds one control frame payload (at most 125 bytes) that spans receive buffers. Separate from
    /// `message` because control frames may arrive between the fragments of a message.
    package let control = UnsafeMutableRawPointer.allocate(byteCount: 125, alignment: 8)

    package init(budget: MessageBufferBudget?) {
        self.budget = budget
    }

    deinit {
        budget?.release(capacity)
        if let message { free(message, capacity: capacity) }
        control.deallocate()
    }

    /// The accumulated message.
    package var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: message, count: count)
    }

    /// Appends `chunk`, growing geometrically but never past `limit` unless the message needs it
    /// (the reader has already checked the message against its limit). False, with nothing
    /// appended, when the budget (or the system) cannot cover the growth.
    package func append(_ chunk: UnsafeRawBufferPointer, limit: Int) -> Bool {
        guard let source = chunk.baseAddress, !chunk.isEmpty else { return true }
        let needed = count + chunk.count
        if needed > capacity {
            let preferred = max(needed, min(max(capacity * 2, Self.initialCapacity), limit))
            // Geometric growth is a convenience: settle for exactly what the message needs.
            guard grow(to: preferred) || grow(to: needed) else { return false }
        }
        // `needed > capacity` above guarantees an allocation, so `message` is set here.
        message?.advanced(by: count).copyMemory(from: source, byteCount: chunk.count)
        count = needed
        return true
    }

    /// Moves the message into a buffer of at least `requested` bytes; false, with nothing changed,
    /// when the budget or the system cannot give that much.
    private func grow(to requested: Int) -> Bool {
        let mapped = requested >= Self.mappedCapacity
        let newCapacity = mapped ? (requested + Self.pageMask) & ~Self.pageMask : requested
        if let budget, !budget.reserve(newCapacity - capacity) { return false }
        let newMessage: UnsafeMutableRawPointer
        if mapped {
            guard let region = mmap(nil, newCapacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
                region != UnsafeMutableRawPointer(bitPattern: -1)
            else {
                budget?.release(newCapacity - capacity)
                return false
            }
            newMessage = region
        } else {
            newMessage = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        }
        if let message {
            newMessage.copyMemory(from: message, byteCount: count)
            free(message, capacity: capacity)
        }
        message = newMessage
        capacity = newCapacity
        return true
    }

    private static let pageMask = Int(getpagesize()) - 1

    /// Frees a buffer made by `grow`: mapped ones by their size, as they were made.
    private func free(_ buffer: UnsafeMutableRawPointer, capacity: Int) {
        if capacity >= Self.mappedCapacity {
            munmap(buffer, capacity)
        } else {
            buffer.deallocate()
        }
    }

    /// Forgets the current message once the caller is done with it; frees a large buffer, and any
    /// buffer while the worker's budget is under pressure.
    package func removeAll() {
        count = 0
        if capacity > Self.retainedCapacity || budget?.allowsRetaining == false {
            budget?.release(capacity)
            if let message { free(message, capacity: capacity) }
            message = nil
            capacity = 0
        }
    }
}
