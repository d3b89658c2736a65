internal import CZlibCrypto

/// Inflates the compressed messages one client sends (RFC 7692 section 7.2.2).
///
/// Thread-confined to the worker that owns the connection (not `Sendable`). The zlib state is
/// allocated on the first compressed message; zlib allocates the window (`1 << clientMaxWindowBits`
/// bytes) on the first inflate that needs it.
@_spi(RingwireInternal) public final class PerMessageDecompressor {
    /// log2 of the window the client compresses with, 8...15.
    private let windowBits: Int
    private let resetsAfterEachMessage: Bool
    /// zlib keeps pointers into its own `z_stream`, so it lives at a fixed heap address; nil
    /// until first use.
    private var stream: UnsafeMutablePointer<z_stream>?

    /// A decompressor for one connection that agreed on `parameters`.
    ///
    /// The inflater uses exactly the client's agreed window, so a client that refers further back
    /// than it promised gets `.invalidData` instead of silently costing more memory.
    public init(parameters: PerMessageDeflateParameters) {
        windowBits = PerMessageDeflateConfiguration.clampWindowBits(parameters.clientMaxWindowBits)
        resetsAfterEachMessage = parameters.clientNoContextTakeover
    }

    deinit {
        if let stream {
            inflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
    }

    /// Inflates one complete compressed message (all its frames' payloads joined), appending the
    /// result to `buffer`. The `00 00 ff ff` RFC 7692 removes is appended internally.
    ///
    /// Never writes more than `maxMessageSize` inflated bytes: throws `.messageTooBig` (close 1009)
    /// as soon as the limit would be passed, with `buffer` having grown by at most that limit plus
    /// one byte, so a decompression bomb cannot allocate past it. Throws `.invalidData` (close 1007)
    /// on corrupt input, or input that does not end on a DEFLATE block boundary. On error `buffer`
    /// is restored to its previous contents. Resets the context after the message when
    /// `client_no_context_takeover` was agreed.
    ///
    /// A payload may also end its DEFLATE stream with a BFINAL block (RFC 7692 7.2.3.4); data after
    /// it starts a new stream that keeps the LZ77 window. A payload holding more streams than
    /// `maximumStreams(inPayloadOf:)` throws `.tooManyStreams` (close 1009). An empty payload
    /// inflates to an empty message, as some senders emit it for empty messages.
    public func decompress(
        _ payload: UnsafeRawBufferPointer,
        maxMessageSize: Int,
        into buffer: inout [UInt8]
    ) throws(PerMessageDeflateError) {
        guard !payload.isEmpty else { return }
        let stream = stream ?? makeStream()
        var inflation = MessageInflation(
            stream: stream,
            outputStart: buffer.count,
            limit: max(maxMessageSize, 0),
            expectedSize: payload.count,
            streamLimit: Self.maximumStreams(inPayloadOf: payload.count)
        )
        do {
            let endedWithFinalBlock = try inflation.run(payload, into: &buffer)
            if endedWithFinalBlock && !resetsAfterEachMessage {
                inflation.restartKeepingWindow()
            } else if endedWithFinalBlock || resetsAfterEachMessage {
                inflateReset(stream)
            }
            buffer.removeLast(buffer.count - inflation.outputEnd)
        } catch {
            buffer.removeLast(buffer.count - inflation.outputStart)
            // The connection is being closed, but leave the object in a usable state.
            inflateReset(stream)
            throw error
        }
    }

    /// The most DEFLATE streams a payload of `size` bytes may hold: 16, plus one per 256 bytes.
    ///
    /// Senders start one stream per message, or end each message's stream with BFINAL (RFC 7692
    /// 7.2.3.4); one that finished its stream per fragment would still need fragments under 256
    /// compressed bytes to come near the limit. A message made of empty streams (`03 00`, two
    /// bytes each, as a hostile client sends) is refused after 1/128 of its bytes. Restarting a
    /// stream costs about as much as inflating two payload bytes (`Benchmarks/inflate-cost`), so
    /// the bound is not what keeps the cost linear; it stops spending a worker's CPU on input that
    /// is no real message, and keeps that true should restarts ever cost more.
    static func maximumStreams(inPayloadOf size: Int) -> Int {
        16 + size / 256
    }

    private func makeStream() -> UnsafeMutablePointer<z_stream> {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = rw_inflate_init(stream, -Int32(windowBits))
        // The window bits are clamped to zlib's range, so only memory exhaustion fails here, which
        // Swift treats as fatal for its own allocations too.
        precondition(status == Z_OK, "inflateInit2 failed: \(status)")
        self.stream = stream
        return stream
    }
}

/// The inflation of one message: feeds zlib the payload and then the flush marker, writing
/// straight into the caller's buffer, which grows only as output arrives and never past the
/// limit plus one byte (the byte that proves the limit was passed).
private struct MessageInflation {
    package let stream: UnsafeMutablePointer<z_stream>
    /// Where this message's output starts in the buffer.
    let outputStart: Int
    package let limit: Int
    /// How much the buffer grows next time zlib runs out of room; doubles each time.
    package var growth: Int
    var produced = 0
    /// How many more DEFLATE streams may start after the current one.
    var restartsLeft: Int

    var outputEnd: Int { outputStart + produced }

    package init(stream: UnsafeMutablePointer<z_stream>, outputStart: Int, limit: Int, expectedSize: Int, streamLimit: Int) {
        self.stream = stream
        self.outputStart = outputStart
        self.limit = limit
        restartsLeft = streamLimit - 1
        // Text usually inflates to a few times its compressed size.
        growth = max(min(expectedSize, 1 << 20) * 4, 512)
    }

    /// The bytes RFC 7692 7.2.1 strips from the end of every compressed message: the LEN/NLEN of
    /// the empty stored block a sync flush ends with.
    private static let flushMarker: (UInt8, UInt8, UInt8, UInt8) = (0x00, 0x00, 0xff, 0xff)

    /// Inflates `payload` then the marker; returns whether the DEFLATE stream ended (BFINAL).
    package mutating func run(_ payload: UnsafeRawBufferPointer, into buffer: inout [UInt8]) throws(PerMessageDeflateError) -> Bool {
        var rest = payload
        var endedWithFinalBlock = false
        while !rest.isEmpty {
            if endedWithFinalBlock { try startNextStream() }
            // avail_in is 32-bit: feed huge payloads in slices.
            let sliceCount = min(rest.count, Int(UInt32.max))
            endedWithFinalBlock = try inflate(UnsafeRawBufferPointer(rebasing: rest[..<sliceCount]), isMarker: false, into: &buffer)
            rest = UnsafeRawBufferPointer(rebasing: rest[sliceCount...])
        }
        if endedWithFinalBlock { return true }
        let markerEndedStream = try withUnsafeBytes(of: Self.flushMarker) { (marker) throws(PerMessageDeflateError) -> Bool in
            try inflate(marker, isMarker: true, into: &buffer)
        }
        // zlib adds 128 to data_type when it stopped between blocks. Anywhere else means the
        // sender cut a block short, which would corrupt the next message if we went on.
        guard markerEndedStream || stream.pointee.data_type & 128 != 0 else { throw .invalidData }
        return markerEndedStream
    }

    /// Inflates all of `input`; returns whether the DEFLATE stream ended exactly at its end (or,
    /// for the marker, anywhere in it: marker bytes after a final block are padding).
    private mutating func inflate(_ input: UnsafeRawBufferPointer, isMarker: Bool, into buffer: inout [UInt8])
        throws(PerMessageDeflateError) -> Bool
    {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        defer { stream.pointee.next_in = nil }
        while true {
            let status = inflateIntoBuffer(&buffer)
            if produced > limit { throw .messageTooBig }
            switch status {
            case Z_STREAM_END:
                if stream.pointee.avail_in == 0 || isMarker { return true }
                // RFC 7692 7.2.3.4: more data after a BFINAL block is a new DEFLATE stream that
                // still refers back into the same window.
                try startNextStream()
            case Z_OK, Z_BUF_ERROR:
                // inflate stops with room left only once the input is used up.
                if stream.pointee.avail_out > 0 { return false }
            case Z_DATA_ERROR, Z_NEED_DICT:
                throw .invalidData
            default:
                // Z_MEM_ERROR (allocating the window) is fatal like any Swift allocation failure;
                // Z_STREAM_ERROR would be a bug here.
                preconditionFailure("inflate failed: \(status)")
            }
        }
    }

    /// Runs zlib once into the free tail of `buffer`, growing it first if it is full.
    private mutating func inflateIntoBuffer(_ buffer: inout [UInt8]) -> Int32 {
        if buffer.count == outputEnd {
            // produced <= limit here, so this allows at least one byte.
            let count = min(growth, limit - produced + 1)
            Self.appendZeros(count, to: &buffer)
            growth = min(growth * 2, 1 << 30)
        }
        let start = outputEnd
        return buffer.withUnsafeMutableBytes { raw in
            let room = min(raw.count - start, Int(UInt32.max))
            // The buffer is non-empty: it has at least `room` >= 1 free bytes.
            stream.pointee.next_out = (raw.baseAddress! + start).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(room)
            let status = CZlibCrypto.inflate(stream, Z_SYNC_FLUSH)
            produced += room - Int(stream.pointee.avail_out)
            stream.pointee.next_out = nil
            return status
        }
    }

    /// Zero bytes to grow the buffer from in bulk copies.
    private static let zeros = [UInt8](repeating: 0, count: 64 * 1024)

    /// Grows `buffer` by `count` zero bytes, 64 KiB per copy: appending them one by one costs about
    /// a second per 16 MiB in debug builds (the element-wise generic path), which a 16 MiB
    /// decompression bomb then spends on one worker.
    private static func appendZeros(_ count: Int, to buffer: inout [UInt8]) {
        buffer.reserveCapacity(buffer.count + count)
        zeros.withUnsafeBytes { zeros in
            var left = count
            while left > 0 {
                let chunk = min(left, zeros.count)
                buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: zeros[..<chunk]))
                left -= chunk
            }
        }
    }

    /// Starts the next DEFLATE stream of this message, if the message may hold one more.
    private mutating func startNextStream() throws(PerMessageDeflateError) {
        guard restartsLeft > 0 else { throw .tooManyStreams }
        restartsLeft -= 1
        restartKeepingWindow()
    }

    /// Starts a new DEFLATE stream on the same window, in constant time. zlib's `inflateReset` is
    /// "forget the window, then `inflateResetKeep`"; calling the second alone (exported and declared
    /// in zlib.h since 1.2.5.2) keeps the window in place, where copying it out and back in as a
    /// dictionary would cost up to 64 KiB of memcpy for every stream a message starts.
    func restartKeepingWindow() {
        inflateResetKeep(stream)
    }
}
