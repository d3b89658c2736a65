import Glibc

/// What to hand the kernel next for a connection.
enum SendRequest {
    /// One contiguous run: `IORING_OP_SEND`.
    case bytes(UnsafeRawBufferPointer)
    /// Several segments: `IORING_OP_SENDMSG` with this message header.
    case message(UnsafeMutablePointer<msghdr>)
}

/// Bytes a connection has to send, in order.
///
/// The common case is one owned chunk: writes are appended to `queued`, and each loop turn hands
/// the kernel one contiguous send per connection, however many messages were written. Frames shared
/// with other connections (publishes) are queued by reference as segments after `queued`, and owned
/// writes that come after them go into owned segments, so order is kept; such a queue leaves with one
/// `sendmsg`. What the kernel is sending (`inFlight`) is never touched, moved or freed until its
/// completion arrives.
@usableFromInline
struct OutboundQueue {
    private enum InFlight {
        case chunk(OutboundChunk)
        /// A lone shared frame (the common case of a publish): sent as it is, no iovec array.
        case frame(SharedFrame, sent: Int)
        case vector(VectoredSend)
    }

    private var inFlight: InFlight?
    private var queued: OutboundChunk?
    /// Queued after `queued`; empty (no allocation) unless shared frames are waiting.
    private var segments: [OutboundSegment] = []
    /// Bytes accepted but not yet taken by the kernel. Kept as a count (not summed from the parts)
    /// because backpressure checks read it twice per message sent.
    @usableFromInline private(set) var bufferedBytes = 0

    package var isEmpty: Bool { inFlight == nil && queued == nil && segments.isEmpty }
    var isSending: Bool { inFlight != nil }

    /// Appends two runs of bytes to the queued chunk if they fit without growing it or a new chunk
    /// (the common case within a loop turn, which needs no pool); false otherwise.
    @inline(__always)
    mutating func appendIfRoom(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> Bool {
        guard segments.isEmpty, var chunk = queued, chunk.capacity - chunk.count >= first.count + second.count else {
            return false
        }
        chunk.append(first)
        chunk.append(second)
        queued = chunk
        bufferedBytes += first.count + second.count
        return true
    }

    /// Appends two runs of bytes back to back (e.g. a frame header and its payload).
    package mutating func write(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, pool: OutboundBufferPool) {
        let count = first.count + second.count
        guard count > 0 else { return }
        bufferedBytes += count
        guard segments.isEmpty else {
            appendOwnedSegment(first, second, pool: pool)
            return
        }
        var chunk = queued ?? pool.take(minimumCapacity: count)
        chunk.ensureRoom(for: count)
        chunk.append(first)
        chunk.append(second)
        queued = chunk
    }

    /// Queues a shared frame by reference.
    package mutating func append(_ frame: SharedFrame) {
        segments.append(.shared(frame))
        bufferedBytes += frame.bytes.count
    }

    /// Hands what is queued to the kernel, unless a send is already running.
    mutating func startSend() -> SendRequest? {
        guard inFlight == nil else { return nil }
        if segments.isEmpty {
            guard let next = queued else { return nil }
            queued = nil
            inFlight = .chunk(next)
            return .bytes(next.unsent)
        }
        if queued == nil, segments.count == 1, case .shared(let frame) = segments[0] {
            segments.removeAll(keepingCapacity: true)
            inFlight = .frame(frame, sent: 0)
            return .bytes(frame.bytes)
        }
        var batch: [OutboundSegment] = []
        if let head = queued {
            batch.append(.owned(head))
            queued = nil
        }
        let taken = min(segments.count, VectoredSend.maximumSegments - batch.count)
        batch.append(contentsOf: segments[..<taken])
        segments.removeFirst(taken)
        let send = VectoredSend(batch)
        inFlight = .vector(send)
        return .message(send.message)
    }

    /// Records that the kernel took `count` bytes. Returns what is left of the same send after a
    /// short send, or nil when it is done (its memory given back).
    mutating func completeSend(_ count: Int, pool: OutboundBufferPool) -> SendRequest? {
        guard let sending = inFlight else { return nil }
        bufferedBytes -= count
        switch sending {
        case .chunk(var chunk):
            chunk.sent += count
            if chunk.sent < chunk.count {
                inFlight = .chunk(chunk)
                return .bytes(chunk.unsent)
            }
            pool.give(chunk)
        case .frame(let frame, let sent):
            if sent + count < frame.bytes.count {
                inFlight = .frame(frame, sent: sent + count)
                return .bytes(UnsafeRawBufferPointer(rebasing: frame.bytes[(sent + count)...]))
            }
        case .vector(let send):
            if !send.advance(by: count) { return .message(send.message) }
            send.release(to: pool)
        }
        inFlight = nil
        return nil
    }

    /// Drops what was written but not yet handed to the kernel (the connection is closing).
    mutating func discardQueued(pool: OutboundBufferPool) {
        if let chunk = queued {
            bufferedBytes -= chunk.count
            pool.give(chunk)
        }
        queued = nil
        for segment in segments {
            bufferedBytes -= segment.bytes.count
            if case .owned(let chunk) = segment { pool.give(chunk) }
        }
        segments.removeAll(keepingCapacity: true)
    }

    /// Drops the send whose completion has arrived for the last time (failed or cancelled).
    mutating func discardInFlight(pool: OutboundBufferPool) {
        switch inFlight {
        case .chunk(let chunk):
            bufferedBytes -= chunk.count - chunk.sent
            pool.give(chunk)
        case .vector(let send):
            bufferedBytes -= send.remainingBytes
            send.release(to: pool)
        case .frame(let frame, let sent):
            bufferedBytes -= frame.bytes.count - sent
        case nil:
            break
        }
        inFlight = nil
    }

    private mutating func appendOwnedSegment(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer, pool: OutboundBufferPool) {
        let count = first.count + second.count
        var chunk: OutboundChunk
        if case .owned(let last)? = segments.last, last.capacity - last.count >= count {
            chunk = last
            segments.removeLast()
        } else {
            chunk = pool.take(minimumCapacity: count)
        }
        chunk.append(first)
        chunk.append(second)
        segments.append(.owned(chunk))
    }
}

/// A connection's `OutboundQueue` while it has bytes queued or in flight. Boxed so an idle
/// connection holds one pointer instead of the queue (memory per idle connection is a headline
/// figure); the worker keeps spare boxes, so busy connections do not allocate per turn.
@usableFromInline
final class SendQueue {
    @usableFromInline @exclusivity(unchecked) package var queue = OutboundQueue()
}
