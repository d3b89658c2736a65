internal import CURing
import Glibc

/// A ring of receive buffers the kernel picks from for multishot recv (one group per worker).
///
/// Layout: one page-aligned region holds the ring of `io_uring_buf` descriptors the kernel reads,
/// followed by `count` buffers of `size` bytes. A connection owns a buffer only between its recv
/// completion and the end of that completion's handling; the bytes are parsed (or copied into the
/// connection's own partial-message storage) and the buffer goes straight back. So an idle connection
/// holds no read buffer, and the whole group's memory is `count * size` per worker, whatever the
/// number of connections. Confined to the worker thread that owns the ring.
final class ProvidedBufferRing {
    package let group: UInt16
    package let count: Int
    package let size: Int
    private let ring: UnsafeMutablePointer<io_uring_buf_ring>
    private let ringBytes: Int
    private let storage: UnsafeMutableRawPointer
    private let mask: Int32
    /// Buffers given back since the last `publish()`; the kernel sees them only after the tail moves.
    @exclusivity(unchecked) private var returned: Int32 = 0

    /// Registers `count` (a power of two) buffers of `size` bytes as group `group` on `ring`.
    package init(on owner: Ring, group: UInt16, count: Int, size: Int) throws(RingSetupError) {
        precondition(count > 0 && count & (count - 1) == 0 && count <= 32768, "buffer count must be a power of two ≤ 32768")
        self.group = group
        self.count = count
        self.size = size
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        ringBytes = (count * MemoryLayout<io_uring_buf>.stride + pageSize - 1) / pageSize * pageSize
        guard let ringMemory = mmap(nil, ringBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            ringMemory != MAP_FAILED
        else { throw .outOfMemory }
        ring = ringMemory.bindMemory(to: io_uring_buf_ring.self, capacity: 1)
        guard let bufferMemory = mmap(nil, count * size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            bufferMemory != MAP_FAILED
        else {
            munmap(ringMemory, ringBytes)
            throw .outOfMemory
        }
        storage = bufferMemory
        mask = io_uring_buf_ring_mask(UInt32(count))

        var registration = io_uring_buf_reg()
        registration.ring_addr = UInt64(UInt(bitPattern: ringMemory))
        registration.ring_entries = UInt32(count)
        registration.bgid = group
        let result = owner.registerBufferRing(&registration)
        guard result == 0 else {
            munmap(ringMemory, ringBytes)
            munmap(bufferMemory, count * size)
            throw result == -EINVAL ? .missingFeature("provided buffer rings (Linux 5.19)") : .other(-result)
        }
        io_uring_buf_ring_init(ring)
        for id in 0..<count {
            give(UInt16(id))
        }
        publish()
    }

    deinit {
        munmap(UnsafeMutableRawPointer(ring), ringBytes)
        munmap(storage, count * size)
    }

    /// The bytes of buffer `id` that a completion reported as filled.
    package func bytes(_ id: UInt16, length: Int) -> UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: storage + Int(id) * size, count: length)
    }

    /// Hands buffer `id` back to the kernel (visible after the next `publish()`).
    func give(_ id: UInt16) {
        io_uring_buf_ring_add(ring, storage + Int(id) * size, UInt32(size), id, mask, returned)
        returned += 1
    }

    /// Gives the buffers' pages back to the system (they read as zeros and are faulted in again on
    /// the next recv). Only while no recv can be writing into them: with `DEFER_TASKRUN` the kernel
    /// fills buffers only inside this thread's `io_uring_enter`.
    func releaseMemory() {
        madvise(storage, count * size, MADV_DONTNEED)
    }

    /// Makes every buffer given back since the last call visible to the kernel, with one tail update.
    package func publish() {
        guard returned > 0 else { return }
        io_uring_buf_ring_advance(ring, returned)
        returned = 0
    }
}
