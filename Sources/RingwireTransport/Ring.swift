internal import CURing
import Glibc

/// One io_uring instance, owned by the single thread that created it.
///
/// Set up with `SINGLE_ISSUER | DEFER_TASKRUN` where the kernel accepts them: only this thread
/// submits, and completions are processed when it enters the kernel to wait, in one batch, instead
/// of interrupting it. Older kernels get `COOP_TASKRUN` (with or without `SINGLE_ISSUER`), or none.
final class Ring {
    /// The liburing state; heap-allocated because the kernel-shared pointers inside must not move.
    /// Private: every request goes through the typed methods below.
    private let raw: UnsafeMutablePointer<io_uring>
    /// The flags the ring was finally created with (after fallbacks).
    let setupFlags: UInt32
    /// `params.features` as reported by the kernel.
    let features: UInt32

    /// Where `io_uring_peek_batch_cqe` lists the ready entries.
    private let cqePointers: UnsafeMutablePointer<UnsafeMutablePointer<io_uring_cqe>?>
    /// The ready entries copied out, so the kernel may reuse their slots before they are handled.
    private let batch: UnsafeMutablePointer<Completion>
    private let batchCapacity: Int
    /// Completions taken out of the queue while submitting (see `deferCompletions`); empty (no
    /// allocation) unless the kernel ran short while the submission queue was full.
    private var deferred: [Completion] = []

    /// Creates a ring with `entries` submission slots and a completion queue four times as large, so
    /// that bursts of multishot completions rarely overflow it.
    package init(entries: UInt32) throws(RingSetupError) {
        raw = .allocate(capacity: 1)
        batchCapacity = Int(entries) * 4
        cqePointers = .allocate(capacity: batchCapacity)
        batch = .allocate(capacity: batchCapacity)
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
                // A registered ring fd spares io_uring_enter an fd lookup on every loop turn (5.18+).
                // Optional: if registering fails, liburing keeps using the plain fd, so the result
                // is deliberately not checked.
                _ = io_uring_register_ring_fd(raw)
                return
            }
            lastError = -result
            // Only an unsupported flag is worth a retry with fewer flags.
            if lastError != EINVAL { break }
        }
        raw.deallocate()
        cqePointers.deallocate()
        batch.deallocate()
        throw RingSetupError.diagnose(errno: lastError)
    }

    deinit {
        io_uring_queue_exit(raw)
        raw.deallocate()
        cqePointers.deallocate()
        batch.deallocate()
    }

    /// The ring's file descriptor, the target of `MSG_RING` messages from other rings.
    package var fd: Int32 { raw.pointee.ring_fd }

    // MARK: Typed submissions
    //
    // Each prepares one SQE, tagged with the `OperationTag` its completion will carry. The SQE goes
    // to the kernel with the next `submitAndWait` (or earlier, if the submission queue fills up).

    /// A multishot recv on `fd` filling buffers of provided-buffer group `group` (Linux 6.0); it
    /// posts a completion per received chunk until one comes without `hasMore`.
    @inline(__always)
    func receiveMultishot(fd: Int32, group: UInt16, tag: OperationTag) {
        let sqe = nextSQE()
        rw_prep_recv_multishot(sqe, fd, group)
        io_uring_sqe_set_data64(sqe, tag.userData)
    }

    /// A send of `bytes`, which must stay valid and unchanged until the completion.
    @inline(__always)
    func send(fd: Int32, bytes: UnsafeRawBufferPointer, flags: Int32, tag: OperationTag) {
        let sqe = nextSQE()
        io_uring_prep_send(sqe, fd, bytes.baseAddress, bytes.count, flags)
        io_uring_sqe_set_data64(sqe, tag.userData)
    }

    /// A `sendmsg` of `message`, which (with the memory it points to) must stay valid until the completion.
    @inline(__always)
    func sendMessage(fd: Int32, message: UnsafeMutablePointer<msghdr>, flags: Int32, tag: OperationTag) {
        let sqe = nextSQE()
        io_uring_prep_sendmsg(sqe, fd, message, UInt32(bitPattern: flags))
        io_uring_sqe_set_data64(sqe, tag.userData)
    }

    /// A read of up to `count` bytes from `fd` into `buffer`, which must stay valid until the completion.
    @inline(__always)
    func read(fd: Int32, into buffer: UnsafeMutableRawPointer, count: UInt32, tag: OperationTag) {
        let sqe = nextSQE()
        io_uring_prep_read(sqe, fd, buffer, count, 0)
        io_uring_sqe_set_data64(sqe, tag.userData)
    }

    /// A multishot accept on the listening socket `fd` (Linux 5.19): one completion per connection,
    /// whose `result` is the new socket, created with `flags` (e.g. `SOCK_CLOEXEC`).
    @inline(__always)
    func acceptMultishot(fd: Int32, flags: Int32, tag: OperationTag) {
        let sqe = nextSQE()
        io_uring_prep_multishot_accept(sqe, fd, nil, nil, flags)
        io_uring_sqe_set_data64(sqe, tag.userData)
    }

    /// Connects the socket `fd` to `address` (`IORING_OP_CONNECT`, Linux 5.5); `address` must stay
    /// valid until the completion, whose `result` is 0 or a negated errno (`-ECONNREFUSED`...).
    @inline(__always)
    func connect(fd: Int32, address: UnsafePointer<sockaddr>, length: socklen_t, tag: OperationTag) {
        let sqe = nextSQE()
        io_uring_prep_connect(sqe, fd, address, length)
        io_uring_sqe_set_data64(sqe, tag.userData)
    }

    /// Cancels the request submitted with tag `target` (it completes with `-ECANCELED`).
    @inline(__always)
    func cancel(_ target: OperationTag, tag: OperationTag) {
        let sqe = nextSQE()
        io_uring_prep_cancel64(sqe, target.userData, 0)
        io_uring_sqe_set_data64(sqe, tag.userData)
    }

    /// Cancels every request on `fd` (Linux 5.19).
    @inline(__always)
    func cancelAll(fd: Int32, tag: OperationTag) {
        let sqe = nextSQE()
        io_uring_prep_cancel_fd(sqe, fd, UInt32(IORING_ASYNC_CANCEL_ALL))
        io_uring_sqe_set_data64(sqe, tag.userData)
    }

    /// Closes `fd` asynchronously; no request may use it after this one is submitted.
    @inline(__always)
    func close(fd: Int32, tag: OperationTag) {
        let sqe = nextSQE()
        io_uring_prep_close(sqe, fd)
        io_uring_sqe_set_data64(sqe, tag.userData)
    }

    /// Posts a completion on the ring `targetFD` (`IORING_OP_MSG_RING`, Linux 5.18) carrying
    /// `targetTag` as its `user_data` and `result` as its `res`. With `skipSuccess`, only a failure
    /// posts a completion here (tagged `tag`).
    @inline(__always)
    func messageRing(targetFD: Int32, result: UInt32, targetTag: OperationTag, tag: OperationTag, skipSuccess: Bool) {
        let sqe = nextSQE()
        io_uring_prep_msg_ring(sqe, targetFD, result, targetTag.userData, 0)
        if skipSuccess { sqe.pointee.flags |= UInt8(1 << IOSQE_CQE_SKIP_SUCCESS_BIT) }
        io_uring_sqe_set_data64(sqe, tag.userData)
    }

    /// A request that does nothing but complete with `result` 0.
    @inline(__always)
    func nop(tag: OperationTag) {
        let sqe = nextSQE()
        io_uring_prep_nop(sqe)
        io_uring_sqe_set_data64(sqe, tag.userData)
    }

    // MARK: Submitting and completing

    /// A free submission entry, submitting what is queued first if the queue is full.
    @inline(__always)
    private func nextSQE() -> UnsafeMutablePointer<io_uring_sqe> {
        if let sqe = io_uring_get_sqe(raw) { return sqe }
        return nextSQEAfterSubmitting()
    }

    /// The slow path of `nextSQE`: the queue is full, so hand it to the kernel to free entries.
    private func nextSQEAfterSubmitting() -> UnsafeMutablePointer<io_uring_sqe> {
        while true {
            let result = io_uring_submit(raw)
            if result < 0 {
                switch -result {
                case EINTR: break
                // The kernel is short of request memory, or its completion backlog is full: take
                // completions out (handled by the next `drainCompletions`) so it can go on.
                case EAGAIN, EBUSY: deferCompletions()
                default: Self.fail("io_uring_submit", error: -result)
                }
            }
            if let sqe = io_uring_get_sqe(raw) { return sqe }
        }
    }

    /// Submits everything queued and waits for at least one completion or until `timeoutNanoseconds`.
    /// One `io_uring_enter` per loop turn.
    func submitAndWait(timeoutNanoseconds: Int64) {
        var timeout = __kernel_timespec(
            tv_sec: timeoutNanoseconds / 1_000_000_000, tv_nsec: timeoutNanoseconds % 1_000_000_000)
        var cqe: UnsafeMutablePointer<io_uring_cqe>?
        let result = io_uring_submit_and_wait_timeout(raw, &cqe, 1, &timeout, nil)
        guard result < 0 else { return }
        switch -result {
        // The timeout passed, or a signal arrived: the loop turn goes on as after a completion.
        case ETIME, EINTR: return
        // Out of request memory, or completions wait in the kernel's overflow list: the caller
        // drains completions next (which flushes that list), and what is still queued is submitted
        // with the next call (the queue keeps it).
        case EAGAIN, EBUSY: return
        default: Self.fail("io_uring_submit_and_wait_timeout", error: -result)
        }
    }

    /// Calls `body` for every completion ready now. Completions the kernel kept aside after a CQ
    /// overflow are flushed into the queue and handled too, as are the ones a full submission queue
    /// made us take out early (`deferCompletions`).
    ///
    /// Each batch is copied out and marked consumed before `body` runs, so a submission made from
    /// `body` that has to make room in the completion queue cannot take (and repeat) those entries.
    func drainCompletions(_ body: (borrowing Completion) -> Void) {
        while true {
            if !deferred.isEmpty {
                var taken: [Completion] = []
                swap(&taken, &deferred)
                for completion in taken { body(completion) }
                continue
            }
            let count = copyCompletions()
            if count == 0 {
                guard io_uring_cq_has_overflow(raw) else { return }
                let result = io_uring_get_events(raw)
                if result < 0 {
                    switch -result {
                    case EINTR: continue
                    // The kernel cannot flush its backlog now; the next loop turn tries again.
                    case EAGAIN, EBUSY: return
                    default: Self.fail("io_uring_get_events", error: -result)
                    }
                }
                continue
            }
            for index in 0..<count { body(batch[index]) }
        }
    }

    /// Copies up to a batch of ready completions into `batch` and marks them consumed; their count.
    private func copyCompletions() -> Int {
        takeCompletions { index, completion in (batch + index).initialize(to: completion) }
    }

    /// Passes up to a batch of ready completions to `store` (with their position in the batch), then
    /// marks them consumed; their count.
    @inline(__always)
    private func takeCompletions(_ store: (Int, Completion) -> Void) -> Int {
        let count = Int(io_uring_peek_batch_cqe(raw, cqePointers, UInt32(batchCapacity)))
        for index in 0..<count {
            let cqe = cqePointers[index].unsafelyUnwrapped
            store(index, Completion(userData: cqe.pointee.user_data, result: cqe.pointee.res, flags: cqe.pointee.flags))
        }
        if count > 0 { io_uring_cq_advance(raw, UInt32(count)) }
        return count
    }

    /// Moves every ready completion into `deferred`, so the kernel has room to post more. If none
    /// is ready, first waits up to a millisecond for one (of a request already submitted, or from
    /// the kernel's overflow backlog), so retrying the submit does not spin. (Internal, not private,
    /// for tests: the kernel's refusals that call it cannot be caused on purpose.)
    func deferCompletions() {
        if io_uring_cq_ready(raw) == 0 {
            var timeout = __kernel_timespec(tv_sec: 0, tv_nsec: 1_000_000)
            var cqe: UnsafeMutablePointer<io_uring_cqe>?
            // Whatever this returns, the submit that follows reports what still goes wrong.
            _ = io_uring_wait_cqe_timeout(raw, &cqe, &timeout)
        }
        // Not through `batch`: this can run inside `drainCompletions`, while `batch` is being handled.
        while takeCompletions({ _, completion in deferred.append(completion) }) > 0 {}
    }

    /// Stops the process: the ring refused a request in a way that leaves no correct way on (a bad
    /// ring fd or argument is a bug; lost completions would leak buffers and connections for good,
    /// and a restart serves clients better than a worker that slowly stops answering).
    private static func fail(_ call: String, error: Int32) -> Never {
        fatalError("\(call) failed: \(String(cString: strerror(error))) (errno \(error))")
    }

    /// Registers a ring of provided buffers (Linux 5.19); 0 or a negated errno.
    func registerBufferRing(_ registration: inout io_uring_buf_reg) -> Int32 {
        io_uring_register_buf_ring(raw, &registration, 0)
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
