internal import CZlibCrypto

/// Compresses outgoing message payloads for one connection, or for every connection of one worker
/// when the configuration shares a compressor (RFC 7692 section 7.2.1).
///
/// Thread-confined to the worker that owns it (not `Sendable`): zlib streams are not thread-safe.
/// The zlib state is allocated on the first `compress` call, so connections that negotiated the
/// extension but never send a large enough message cost nothing.
@_spi(RingwireInternal) public final class PerMessageCompressor {
    /// Raw deflate (negative) window bits handed to zlib.
    private let zlibWindowBits: Int32
    private let level: Int32
    private let memLevel: Int32
    private let resetsAfterEachMessage: Bool
    /// zlib keeps pointers into its own `z_stream`, so it lives at a fixed heap address; nil
    /// until first use.
    private var stream: UnsafeMutablePointer<z_stream>?

    /// Output is produced through a stack buffer of this size (plus 4 bytes to hold back the
    /// flush marker), so compressing never allocates per message.
    private static let chunkSize = 8192

    /// A compressor for one connection that agreed on `parameters`.
    ///
    /// `server_max_window_bits=8` is compressed with zlib's 9-bit window, because zlib rejects
    /// raw deflate with 8 (it would silently use 9 anyway). This still honours the client's
    /// 256-byte window: zlib never emits a distance beyond the window size minus 262 bytes of
    /// lookahead, which is 250 for a 512-byte window.
    public init(parameters: PerMessageDeflateParameters, configuration: PerMessageDeflateConfiguration) {
        let windowBits = max(PerMessageDeflateConfiguration.clampWindowBits(parameters.serverMaxWindowBits), 9)
        zlibWindowBits = -Int32(windowBits)
        level = Int32(configuration.clampedCompressionLevel)
        memLevel = Int32(configuration.clampedMemLevel)
        resetsAfterEachMessage = parameters.serverNoContextTakeover || configuration.sharedCompressor
    }

    /// The compressor a worker shares among all its connections when `configuration.sharedCompressor`
    /// is set: it uses `serverMaxWindowBits` and resets after every message, which negotiation
    /// guarantees every connection accepted.
    public convenience init(sharedFor configuration: PerMessageDeflateConfiguration) {
        let parameters = PerMessageDeflateParameters(
            serverNoContextTakeover: true,
            serverMaxWindowBits: configuration.clampedServerMaxWindowBits
        )
        self.init(parameters: parameters, configuration: configuration)
    }

    deinit {
        if let stream {
            deflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
    }

    /// Compresses one message payload, writing the RFC 7692 payload (the trailing `00 00 ff ff` of
    /// the sync flush removed) to `writer`. Resets the context after the message when no context
    /// takeover applies.
    ///
    /// The caller decides whether to compress at all (see `minimumSizeToCompress`) and sets RSV1
    /// on the first frame of messages it compressed.
    public func compress(_ message: UnsafeRawBufferPointer, to writer: inout some ByteWriter) {
        guard !message.isEmpty else {
            // An empty stored block's header byte, which the receiver's appended 00 00 ff ff
            // completes (RFC 7692 7.2.3.6). zlib cannot produce it: with the context kept, a
            // second sync flush with no new input writes nothing.
            withUnsafeBytes(of: UInt8(0)) { writer.write($0) }
            return
        }
        let stream = stream ?? makeStream()
        withUnsafeTemporaryAllocation(byteCount: Self.chunkSize + 4, alignment: 1) { scratch in
            guard let base = scratch.baseAddress else { return }
            var output = HeldBackOutput(base: base)
            var remaining = message
            while let start = remaining.baseAddress, !remaining.isEmpty {
                // avail_in is 32-bit: feed huge messages in slices, flushing only after the last.
                let sliceCount = min(remaining.count, Int(UInt32.max))
                let isLast = sliceCount == remaining.count
                stream.pointee.next_in = UnsafeMutablePointer(mutating: start.assumingMemoryBound(to: Bytef.self))
                stream.pointee.avail_in = uInt(sliceCount)
                repeat {
                    stream.pointee.next_out = (base + 4).assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_out = uInt(Self.chunkSize)
                    let status = deflate(stream, isLast ? Z_SYNC_FLUSH : Z_NO_FLUSH)
                    // Z_BUF_ERROR only means "no progress possible", e.g. the flush already ended
                    // exactly at the end of the previous chunk.
                    precondition(status == Z_OK || status == Z_BUF_ERROR, "deflate failed: \(status)")
                    output.emit(count: Self.chunkSize - Int(stream.pointee.avail_out), to: &writer)
                } while stream.pointee.avail_out == 0
                remaining = UnsafeRawBufferPointer(rebasing: remaining[sliceCount...])
            }
            output.assertHeldBackFlushMarker()
        }
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
        if resetsAfterEachMessage { deflateReset(stream) }
    }

    private func makeStream() -> UnsafeMutablePointer<z_stream> {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = rw_deflate_init(stream, level, zlibWindowBits, memLevel)
        // The parameters are clamped to zlib's ranges, so only memory exhaustion fails here, which
        // Swift treats as fatal for its own allocations too.
        precondition(status == Z_OK, "deflateInit2 failed: \(status)")
        self.stream = stream
        return stream
    }
}

/// Writes deflate output while always holding back its last 4 bytes, so the sync flush marker
/// `00 00 ff ff` that ends the message is never written.
///
/// Layout of the scratch buffer: `[0, 4)` holds held-back bytes right-aligned (ending at 4), and
/// zlib writes each chunk at `[4, 4 + chunkSize)`, so held-back bytes and new output are adjacent.
private struct HeldBackOutput {
    package let base: UnsafeMutableRawPointer
    var heldCount = 0

    mutating func emit(count: Int, to writer: inout some ByteWriter) {
        let pendingStart = base + (4 - heldCount)
        let pendingCount = heldCount + count
        let writeCount = max(pendingCount - 4, 0)
        if writeCount > 0 { writer.write(UnsafeRawBufferPointer(start: pendingStart, count: writeCount)) }
        // Keep the last (up to) 4 pending bytes, moved so they end at offset 4. The destination
        // never lies after the source, so a forward byte copy is safe where they overlap.
        let keep = pendingCount - writeCount
        let source = pendingStart + writeCount
        let destination = base + (4 - keep)
        for offset in 0..<keep {
            destination.storeBytes(of: source.load(fromByteOffset: offset, as: UInt8.self), toByteOffset: offset, as: UInt8.self)
        }
        heldCount = keep
    }

    func assertHeldBackFlushMarker() {
        assert(
            heldCount == 4 && base.loadUnaligned(as: UInt32.self).bigEndian == 0x0000_ffff,
            "a sync flush ends with 00 00 ff ff"
        )
    }
}
