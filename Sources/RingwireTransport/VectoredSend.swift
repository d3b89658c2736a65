internal import CURing
import Glibc

/// One piece of a connection's send queue.
enum OutboundSegment {
    /// Bytes written for this connection alone.
    case owned(OutboundChunk)
    /// A frame shared with other connections.
    case shared(SharedFrame)

    package var bytes: UnsafeRawBufferPointer {
        switch self {
        case .owned(let chunk): UnsafeRawBufferPointer(start: chunk.base, count: chunk.count)
        case .shared(let frame): frame.bytes
        }
    }
}

/// Several segments sent with one `sendmsg`, as an iovec array the kernel reads until the
/// completion; a short send moves the start forward and the rest is sent again.
final class VectoredSend {
    /// Segments sent at most per `sendmsg` (the rest waits for the next one); well under IOV_MAX.
    static let maximumSegments = 256

    package private(set) var segments: [OutboundSegment]
    private let iovecs: UnsafeMutablePointer<iovec>
    package let message: UnsafeMutablePointer<msghdr>
    private var first = 0
    private(set) var remainingBytes: Int

    package init(_ segments: [OutboundSegment]) {
        self.segments = segments
        iovecs = .allocate(capacity: segments.count)
        message = .allocate(capacity: 1)
        message.initialize(to: msghdr())
        var total = 0
        for (index, segment) in segments.enumerated() {
            let bytes = segment.bytes
            iovecs[index] = iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress), iov_len: bytes.count)
            total += bytes.count
        }
        remainingBytes = total
        message.pointee.msg_iov = iovecs
        message.pointee.msg_iovlen = segments.count
    }

    deinit {
        iovecs.deallocate()
        message.deallocate()
    }

    /// Records that the kernel took `count` bytes; true when everything has been sent.
    func advance(by count: Int) -> Bool {
        remainingBytes -= count
        guard remainingBytes > 0 else { return true }
        var left = count
        while left > 0 && first < segments.count {
            let length = iovecs[first].iov_len
            if left >= length {
                left -= length
                first += 1
            } else {
                iovecs[first].iov_base += left
                iovecs[first].iov_len -= left
                left = 0
            }
        }
        message.pointee.msg_iov = iovecs + first
        message.pointee.msg_iovlen = segments.count - first
        return false
    }

    /// Gives the owned chunks back to the pool (shared frames are released with this object).
    package func release(to pool: OutboundBufferPool) {
        for case .owned(let chunk) in segments { pool.give(chunk) }
        segments = []
    }
}
