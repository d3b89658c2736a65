/// The bytes a `WebSocketMessageReader` must keep between calls: a message that is fragmented or
/// spans receive buffers, and a control frame that spans receive buffers.
///
/// A class only so `deinit` can free the memory; it belongs to one reader, hence to one worker
/// thread, and is never shared. Created on first need, so connections whose messages always
/// arrive whole in one receive buffer (the common case) never allocate it.
final class WebSocketMessageStorage {
    /// Buffers at most this large are kept for the next message; larger ones are freed once their
    /// message has been consumed, so one big message does not pin memory for the connection's life.
    static let retainedCapacity = 64 * 1024

    /// First allocation for a message, so many small fragments do not reallocate each time.
    static let initialCapacity = 4 * 1024

    /// Message bytes accumulated so far, `nil` until the first allocation.
    private var message: UnsafeMutableRawPointer?
    /// Bytes allocated for `message`.
    private(set) var capacity = 0
    /// How many bytes of `message` are used.
    private(set) var count = 0

    /// Holds one control frame payload (at most 125 bytes) that spans receive buffers. Separate from
    /// `message` because control frames may arrive between the fragments of a message.
    let control = UnsafeMutableRawPointer.allocate(byteCount: 125, alignment: 8)

    init() {}

    deinit {
        message?.deallocate()
        control.deallocate()
    }

    /// The accumulated message.
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: message, count: count)
    }

    /// Appends `chunk`, growing geometrically but never past `limit` unless the message needs it
    /// (the reader has already checked the message against its limit).
    func append(_ chunk: UnsafeRawBufferPointer, limit: Int) {
        guard let source = chunk.baseAddress, !chunk.isEmpty else { return }
        let needed = count + chunk.count
        if needed > capacity {
            let grown = max(needed, min(max(capacity * 2, Self.initialCapacity), limit))
            let newMessage = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 16)
            if let message {
                newMessage.copyMemory(from: message, byteCount: count)
                message.deallocate()
            }
            message = newMessage
            capacity = grown
        }
        // `needed > capacity` above guarantees an allocation, so `message` is set here.
        message?.advanced(by: count).copyMemory(from: source, byteCount: chunk.count)
        count = needed
    }

    /// Forgets the current message once the caller is done with it; frees a large buffer.
    func removeAll() {
        count = 0
        if capacity > Self.retainedCapacity {
            message?.deallocate()
            message = nil
            capacity = 0
        }
    }
}
