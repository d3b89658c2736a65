internal import CURing
import Glibc

/// One io_uring instance, owned by the single thread that created it.
///
/// Set up with `SINGLE_ISSUER | DEFER_TASKRUN` where the kernel accepts them: only this thread
/// submits, and completions are processed when it enters the kernel to wait, in one batch, instead
/// of interrupting it. Older kernels get `COOP_TASKRUN` (with or without `SINGLE_ISSUER`), or none.
final class Ring {
    /// The liburing state; heap-allocated because the kernel-shared pointers inside must not move.
    package let raw: UnsafeMutablePointer<io_uring>
    /// The flags the ring was finally created with (after fallbacks).
    let setupFlags: UInt32
    /// `params.features` as reported by the kernel.
    let features: UInt32

    private var cqeBatch: UnsafeMutablePointer<UnsafeMutablePointer<io_uring_cqe>?>
    private let cqeBatchCapacity: Int

    /// Creates a ring with `entries` submission slots and a completion queue four times as large, so
    /// that bursts of multishot completions rarely overflow it.
    package init(entries: UInt32) throws(RingSetupError) {
        raw = .allocate(capacity: 1)
        cqeBatchCapacity = Int(entries) * 4
        cqeBatch = .allocate(capacity: cqeBatchCapacity)
        let preferred: [UInt32] = [
            UInt32(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN),
            UInt32(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_COOP_TASKRUN),
            UInt32(IORING_SETUP_COOP_TASKRUN),
            0,
        ]
        var lastError: Int32 = 0
        for flags in preferred {
            var params = io_uring_params()
            params.flags = flags | UInt32(IORING_SETUP_CQSIZE) | UInt32(IORING_SETUP_SUBMIT_ALL)
            params.cq_entries = entries * 4
            let result = io_uring_queue_init_params(entries, raw, &params)
            if result == 0 {
                setupFlags = params.flags
                features = params.features
                // A registered ring fd spares io_uring_enter an fd lookup on every loop turn (5.18+;
                // without it the plain fd is used).
                _ = io_uring_register_ring_fd(raw)
                return
            }
            lastError = -result
            // Only an unsupported flag is worth a retry with fewer flags.
            if lastError != EINVAL { break }
        }
        raw.deallocate()
        cqeBatch.deallocate()
        throw RingSetupError.diagnose(errno: lastError)
    }

    deinit {
        io_uring_queue_exit(raw)
        raw.deallocate()
        cqeBatch.deallocate()
    }

    /// The ring's file descriptor, the target of `MSG_RING` messages from other rings.
    package var fd: Int32 { raw.pointee.ring_fd }

    /// A free submission entry, submitting what is queued first if the queue is full.
    func nextSQE() -> UnsafeMutablePointer<io_uring_sqe> {
        while true {
            if let sqe = io_uring_get_sqe(raw) { return sqe }
            _ = io_uring_submit(raw)
        }
    }

    /// Submits everything queued and waits for at least one completion or until `timeoutNanoseconds`.
    /// One `io_uring_enter` per loop turn.
    func submitAndWait(timeoutNanoseconds: Int64) {
        var timeout = __kernel_timespec(
            tv_sec: timeoutNanoseconds / 1_000_000_000, tv_nsec: timeoutNanoseconds % 1_000_000_000)
        var cqe: UnsafeMutablePointer<io_uring_cqe>?
        _ = io_uring_submit_and_wait_timeout(raw, &cqe, 1, &timeout, nil)
    }

    /// Calls `body` for every completion ready now, then marks them consumed. Completions the kernel
    /// kept aside after a CQ overflow are flushed into the queue and handled too.
    func drainCompletions(_ body: (borrowing Completion) -> Void) {
        while true {
            let count = Int(io_uring_peek_batch_cqe(raw, cqeBatch, UInt32(cqeBatchCapacity)))
            if count == 0 {
                if io_uring_cq_has_overflow(raw) {
                    _ = io_uring_get_events(raw)
                    continue
                }
                return
            }
            for index in 0..<count {
                guard let cqe = cqeBatch[index] else { continue }
                body(Completion(userData: cqe.pointee.user_data, result: cqe.pointee.res, flags: cqe.pointee.flags))
            }
            io_uring_cq_advance(raw, UInt32(count))
        }
    }

    /// Whether the kernel supports `opcode`, asked once at startup through the probe interface.
    package func supports(_ opcode: io_uring_op) -> Bool {
        guard let probe = io_uring_get_probe_ring(raw) else { return false }
        defer { io_uring_free_probe(probe) }
        return io_uring_opcode_supported(probe, Int32(opcode.rawValue)) != 0
    }
}

/// One completion queue entry, copied out of the shared ring.
struct Completion {
    let userData: UInt64
    package let result: Int32
    package let flags: UInt32

    /// The request will post more completions (multishot still armed).
    var hasMore: Bool { flags & UInt32(IORING_CQE_F_MORE) != 0 }
    /// The provided buffer this completion filled, if any.
    var bufferID: UInt16? {
        flags & UInt32(IORING_CQE_F_BUFFER) != 0 ? UInt16(truncatingIfNeeded: flags >> IORING_CQE_BUFFER_SHIFT) : nil
    }
}
