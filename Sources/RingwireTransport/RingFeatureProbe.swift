internal import CURing
import Glibc

/// Checks, on a fresh ring, the kernel features Ringwire relies on that no probe opcode reveals.
enum RingFeatureProbe {
    /// Multishot recv (`IORING_RECV_MULTISHOT`, Linux 6.0): arms one on a socketpair, writes a byte,
    /// and sees whether the kernel accepted the request or refused the flag with EINVAL.
    static func checkMultishotReceive(ring: Ring, buffers: ProvidedBufferRing) throws(RingSetupError) {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            return  // cannot test; the first real recv will tell
        }
        defer {
            close(pair[0])
            close(pair[1])
        }
        let probeTag = OperationTag(.ignored, slot: 1)
        ring.receiveMultishot(fd: pair[0], group: buffers.group, tag: probeTag)
        var byte: UInt8 = 1
        _ = write(pair[1], &byte, 1)
        var result: Int32?
        for _ in 0..<100 where result == nil {
            ring.submitAndWait(timeoutNanoseconds: 10_000_000)
            ring.drainCompletions { completion in
                guard completion.userData == probeTag.userData else { return }
                if let id = completion.bufferID { buffers.give(id) }
                if result == nil { result = completion.result }
            }
        }
        buffers.publish()
        // Cancel the still-armed request; its final completion is ignored by the worker.
        ring.cancel(probeTag, tag: OperationTag(.ignored))
        if result == -EINVAL { throw .missingFeature("multishot recv (IORING_RECV_MULTISHOT, Linux 6.0)") }
    }
}
