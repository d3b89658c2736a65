import Glibc

/// A malloc'd byte run waiting to be sent; `sent` counts what the kernel has taken so far.
struct OutboundChunk {
    var base: UnsafeMutableRawPointer
    var capacity: Int
    var count = 0
    var sent = 0

    var unsent: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base + sent, count: count - sent) }
}

/// The worker's free list of standard-size outbound chunks, so steady-state traffic never mallocs.
/// Confined to the worker thread.
final class OutboundBufferPool {
    /// Large enough for any small frame or typical HTTP response; bigger writes get a bigger chunk.
    static let standardSize = 16 * 1024
    /// Chunks kept for reuse; beyond this, returned chunks are freed so memory follows load.
    private let maximumPooled: Int
    private var free: [UnsafeMutableRawPointer] = []

    init(maximumPooled: Int = 256) {
        self.maximumPooled = maximumPooled
        free.reserveCapacity(maximumPooled)
    }

    deinit {
        for pointer in free { Glibc.free(pointer) }
    }

    func take(minimumCapacity: Int) -> OutboundChunk {
        if minimumCapacity <= Self.standardSize, let pointer = free.popLast() {
            return OutboundChunk(base: pointer, capacity: Self.standardSize)
        }
        let capacity = max(minimumCapacity, Self.standardSize)
        guard let pointer = malloc(capacity) else { fatalError("out of memory allocating \(capacity) bytes") }
        return OutboundChunk(base: pointer, capacity: capacity)
    }

    func give(_ chunk: OutboundChunk) {
        if chunk.capacity == Self.standardSize && free.count < maximumPooled {
            free.append(chunk.base)
        } else {
            Glibc.free(chunk.base)
        }
    }
}

/// Bytes a connection has to send, in order.
///
/// `inFlight` is the chunk the kernel is sending; it is never touched (nor moved by realloc) until
/// its completion arrives. New writes go to `queued`, which becomes the next send. So every loop turn
/// sends at most one gathered run per connection, however many messages were written.
struct OutboundQueue {
    private(set) var inFlight: OutboundChunk?
    private var queued: OutboundChunk?

    /// Bytes accepted but not yet taken by the kernel.
    var bufferedBytes: Int {
        (inFlight.map { $0.count - $0.sent } ?? 0) + (queued?.count ?? 0)
    }

    var isEmpty: Bool { inFlight == nil && queued == nil }
    var hasQueued: Bool { queued != nil }

    /// Whether `count` more bytes fit in the queued chunk without growing it.
    func hasRoom(for count: Int) -> Bool {
        guard let queued else { return false }
        return queued.capacity - queued.count >= count
    }

    /// Makes room for `count` more queued bytes: takes a chunk from the pool or grows the queued one.
    mutating func reserve(_ count: Int, pool: OutboundBufferPool) {
        guard var chunk = queued else {
            queued = pool.take(minimumCapacity: count)
            return
        }
        let capacity = max(chunk.capacity * 2, chunk.count + count)
        guard let grown = realloc(chunk.base, capacity) else { fatalError("out of memory growing a send buffer to \(capacity) bytes") }
        chunk.base = grown
        chunk.capacity = capacity
        queued = chunk
    }

    /// Appends bytes that `reserve`/`hasRoom` made room for.
    mutating func appendWithinCapacity(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty, let source = bytes.baseAddress, var chunk = queued else { return }
        (chunk.base + chunk.count).copyMemory(from: source, byteCount: bytes.count)
        chunk.count += bytes.count
        queued = chunk
    }

    /// Moves the queued bytes in flight and returns them for a send, unless a send is already running.
    mutating func startSend() -> UnsafeRawBufferPointer? {
        guard inFlight == nil, let next = queued else { return nil }
        queued = nil
        inFlight = next
        return next.unsent
    }

    /// Records that the kernel took `count` bytes. Returns the remainder still to send from the same
    /// chunk after a short send, or nil when the chunk is done (and given back to the pool).
    mutating func completeSend(_ count: Int, pool: OutboundBufferPool) -> UnsafeRawBufferPointer? {
        guard var chunk = inFlight else { return nil }
        chunk.sent += count
        if chunk.sent < chunk.count {
            inFlight = chunk
            return chunk.unsent
        }
        inFlight = nil
        pool.give(chunk)
        return nil
    }

    /// Drops what was written but not yet handed to the kernel (the connection is closing).
    mutating func discardQueued(pool: OutboundBufferPool) {
        if let chunk = queued { pool.give(chunk) }
        queued = nil
    }

    /// Drops the chunk whose send has completed for the last time (failed or cancelled).
    mutating func discardInFlight(pool: OutboundBufferPool) {
        if let chunk = inFlight { pool.give(chunk) }
        inFlight = nil
    }
}
