/// Server-side settings for the permessage-deflate extension (RFC 7692).
///
/// Memory is the main cost of compression: every connection that negotiates the extension holds a
/// zlib deflate state (for what we send) and an inflate state (for what we receive) once it has
/// used them. `PerMessageDeflateConfiguration.estimatedMemoryPerConnection(for:)` turns
/// these fields into bytes. A server refuses out-of-range values at `start()` (`invalidConfiguration`,
/// naming the field); the compressor and decompressor used on their own clamp them.
public struct PerMessageDeflateConfiguration: Sendable {
    /// Whether the server accepts permessage-deflate at all. Default `false`: compression costs CPU
    /// on every message and hundreds of kilobytes per connection, which only pays off on slow links
    /// or large, repetitive payloads.
    public var isEnabled = false

    /// Whether we reset our compression context after every message even when the client does not
    /// ask for it. Default `false`: keeping the context lets repeated JSON keys compress across
    /// messages. Setting it does not free the deflate state between messages; it only trades
    /// compression ratio for the freedom to share one compressor (see `sharedCompressor`).
    public var serverNoContextTakeover = false

    /// Whether we ask clients to reset their context after every message. Default `false`: clients
    /// get the better ratio. With `true` our inflater is reset per message, so a decompressor
    /// could be shared; its window memory (`1 << clientMaxWindowBits`) is still allocated.
    public var clientNoContextTakeover = false

    /// The largest LZ77 window we compress with, 8...15. Default 15 (32 KiB, zlib's maximum).
    /// Memory: zlib's deflate state is about `(1 << (serverMaxWindowBits + 2)) + (1 << (memLevel + 9))`
    /// bytes, 256 KiB at 15/8 and 32 KiB at 12/5. A client may ask for less; we always honour it.
    public var serverMaxWindowBits = 15

    /// The largest window we ask clients to compress with, 8...15, sent only when the client's
    /// offer carries `client_max_window_bits` (RFC 7692 7.1.2.2 forbids sending it otherwise; such
    /// clients use 15). Default 15. Memory: our inflater holds a `1 << bits` byte window.
    public var clientMaxWindowBits = 15

    /// zlib's memLevel, 1...9: the size of the deflate hash table and pending buffer. Default 8
    /// (zlib's own default): 7 would halve that part of the memory for a slightly worse ratio.
    public var memLevel = 8

    /// zlib's compression level, 0...9. Default 1 (fastest): on JSON-like messages of 100 bytes to
    /// 10 KiB, level 1 already removes about 78% of the bytes at 2.4 times the speed of level 6
    /// (which removes about 83%). A server on few cores runs out of CPU before bandwidth.
    public var compressionLevel = 1

    /// Messages shorter than this many bytes are sent uncompressed (RSV1 clear). Default 64:
    /// below that, deflate's block overhead eats most of the gain and the call costs more than
    /// the bytes it saves.
    public var minimumSizeToCompress = 64

    /// Whether one compressor per worker serves all its connections (as in uWebSockets'
    /// SHARED_COMPRESSOR). Default `false`. When `true`, negotiation always answers
    /// `server_no_context_takeover` (a context cannot be shared across connections) and declines
    /// offers that ask for a smaller window than `serverMaxWindowBits`. Saves the whole deflate
    /// state per connection and lets a broadcast be compressed once for all its recipients.
    public var sharedCompressor = false

    /// A configuration with every field at its default (compression disabled).
    public init() {}
}

extension PerMessageDeflateConfiguration {
    /// `serverMaxWindowBits` within the range RFC 7692 allows.
    var clampedServerMaxWindowBits: Int { Self.clampWindowBits(serverMaxWindowBits) }

    /// `clientMaxWindowBits` within the range RFC 7692 allows.
    var clampedClientMaxWindowBits: Int { Self.clampWindowBits(clientMaxWindowBits) }

    /// `memLevel` within the range zlib accepts.
    var clampedMemLevel: Int { min(max(memLevel, 1), 9) }

    /// `compressionLevel` within the range zlib accepts.
    var clampedCompressionLevel: Int { min(max(compressionLevel, 0), 9) }

    static func clampWindowBits(_ bits: Int) -> Int { min(max(bits, 8), 15) }
}
