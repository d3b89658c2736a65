import Glibc

/// A malloc'd byte run waiting to be sent; `sent` counts what the kernel has taken so far.
struct OutboundChunk {
    package var base: UnsafeMutableRawPointer
    package var capacity: Int
    package var count = 0
    package var sent = 0

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
    package mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }
}

/// The worker's free list of outbound chunks, so steady-state traffic never mallocs.
///
/// Chunks come back in whatever size they grew to (a turn's worth of 4 KiB frames outgrows the
/// standard size), and are kept as they are, up to a total, so a connection's next turn finds one
/// big enough.
/// Confined to the worker thread.
final class OutboundBufferPool {
    /// The size of a new chunk: a handshake response or a few small frames; chunks grow (and stay
    /// grown in the pool) where a connection writes more per turn.
    static let standardSize = 4 * 1024
    /// Chunks larger than this are freed when done rather than kept (a 16 MiB message's buffer).
    static let largestPooled = 1024 * 1024
    /// Bytes kept for reuse at most; beyond this, returned chunks are freed so memory follows load.
    private let maximumPooledBytes: Int
    @exclusivity(unchecked) private var pooledBytes = 0
    @exclusivity(unchecked) private var free: [OutboundChunk] = []

    package init(maximumPooledBytes: Int = 2 * 1024 * 1024) {
        self.maximumPooledBytes = maximumPooledBytes
    }

    deinit {
        for chunk in free { Glibc.free(chunk.base) }
    }

    package func take(minimumCapacity: Int) -> OutboundChunk {
        if var chunk = free.popLast() {
            pooledBytes -= chunk.capacity
            chunk.count = 0
            chunk.sent = 0
            chunk.ensureRoom(for: minimumCapacity)
            return chunk
        }
        let capacity = max(minimumCapacity, Self.standardSize)
        guard let pointer = malloc(capacity) else { fatalError("out of memory allocating \(capacity) bytes") }
        return OutboundChunk(base: pointer, capacity: capacity)
    }

    /// Frees every pooled chunk (the worker has gone idle).
    package func trim() {
        for chunk in free { Glibc.free(chunk.base) }
        free.removeAll()
        pooledBytes = 0
    }

    func give(_ chunk: OutboundChunk) {
        if chunk.capacity <= Self.largestPooled && pooledBytes + chunk.capacity <= maximumPooledBytes {
            free.append(chunk)
            pooledBytes += chunk.capacity
        } else {
            Glibc.free(chunk.base)
        }
    }
}
