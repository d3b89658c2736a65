import Glibc

/// A malloc'd byte run waiting to be sent; `sent` counts what the kernel has taken so far.
struct OutboundChunk {
    var base: UnsafeMutableRawPointer
    var capacity: Int
    var count = 0
    var sent = 0

    var unsent: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base + sent, count: count - sent) }

    /// Grows the chunk (realloc) if `extra` more bytes do not fit; never while it is in flight.
    mutating func ensureRoom(for extra: Int) {
        guard count + extra > capacity else { return }
        let grownCapacity = max(capacity * 2, count + extra)
        guard let grown = realloc(base, grownCapacity) else {
            fatalError("out of memory growing a send buffer to \(grownCapacity) bytes")
        }
        base = grown
        capacity = grownCapacity
    }

    /// Appends bytes that fit (see `ensureRoom`).
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }
}

/// The worker's free list of standard-size outbound chunks, so steady-state traffic never mallocs.
/// Confined to the worker thread.
final class OutboundBufferPool {
    /// Large enough for any small frame or typical HTTP response; bigger writes get a bigger chunk.
    static let standardSize = 16 * 1024
    /// Chunks kept for reuse; beyond this, returned chunks are freed so memory follows load.
    private let maximumPooled: Int
    @exclusivity(unchecked) private var free: [UnsafeMutableRawPointer] = []

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
