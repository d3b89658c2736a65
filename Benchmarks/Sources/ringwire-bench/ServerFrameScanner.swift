/// Finds message boundaries in what a server sends back, without keeping any payload: the load
/// generator only needs to know when each echoed message has arrived (and its opcode).
///
/// WebSocket mode parses server frame headers (RFC 6455 §5.2), which may be split anywhere across
/// receives, and skips payloads. Raw mode counts bytes: every `rawMessageSize` bytes is a message.
struct ServerFrameScanner {
    /// The opcode reported for each message in raw mode (binary).
    static let rawOpcode: UInt8 = 2

    private let rawMessageSize: Int
    private var remaining: Int
    private var inPayload = false
    private var opcode: UInt8 = 0
    /// Header bytes of a header that spans receives (at most 14).
    private var staged: (UInt64, UInt64) = (0, 0)
    private var stagedCount = 0

    /// A scanner for WebSocket frames (`rawMessageSize == 0`) or raw messages of that many bytes.
    init(rawMessageSize: Int) {
        self.rawMessageSize = rawMessageSize
        remaining = rawMessageSize
    }

    /// Header length implied by the second header byte: 2, plus 2 or 8 extended-length bytes, plus 4
    /// if masked (servers must not mask, but a masked frame is still skipped correctly).
    @inline(__always)
    private static func headerLength(_ second: UInt8) -> Int {
        let length7 = second & 0x7F
        let extended = length7 == 126 ? 2 : (length7 == 127 ? 8 : 0)
        return 2 + extended + (second & 0x80 != 0 ? 4 : 0)
    }

    @inline(__always)
    private static func payloadLength(_ header: UnsafeRawPointer) -> Int {
        let length7 = header.load(fromByteOffset: 1, as: UInt8.self) & 0x7F
        switch length7 {
        case 126: return Int(UInt16(bigEndian: header.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
        case 127: return Int(truncatingIfNeeded: UInt64(bigEndian: header.loadUnaligned(fromByteOffset: 2, as: UInt64.self)))
        default: return Int(length7)
        }
    }

    /// Consumes `count` bytes at `base`, calling `onMessage(opcode)` for each message completed.
    @inline(__always)
    mutating func feed(_ base: UnsafeRawPointer, _ count: Int, _ onMessage: (UInt8) -> Void) {
        if rawMessageSize > 0 {
            var left = count
            while left > 0 {
                let taken = min(left, remaining)
                left -= taken
                remaining -= taken
                if remaining == 0 {
                    remaining = rawMessageSize
                    onMessage(Self.rawOpcode)
                }
            }
            return
        }
        var index = 0
        while index < count {
            if inPayload {
                let taken = min(remaining, count - index)
                remaining -= taken
                index += taken
                if remaining == 0 {
                    inPayload = false
                    onMessage(opcode)
                }
                continue
            }
            if stagedCount == 0, count - index >= 2 {
                let header = base + index
                let needed = Self.headerLength(header.load(fromByteOffset: 1, as: UInt8.self))
                if count - index >= needed {
                    index += needed
                    begin(opcode: header.load(as: UInt8.self) & 0x0F, length: Self.payloadLength(header), onMessage)
                    continue
                }
            }
            // Slow path: the header continues in the next receive; stage it byte by byte.
            let byte = base.load(fromByteOffset: index, as: UInt8.self)
            index += 1
            let stagedIndex = stagedCount
            withUnsafeMutableBytes(of: &staged) { $0[stagedIndex] = byte }
            stagedCount += 1
            if stagedCount >= 2 {
                let (needed, first, length) = withUnsafeBytes(of: &staged) { bytes in
                    (Self.headerLength(bytes[1]), bytes[0], Self.payloadLength(bytes.baseAddress.unsafelyUnwrapped))
                }
                if stagedCount == needed {
                    stagedCount = 0
                    begin(opcode: first & 0x0F, length: length, onMessage)
                }
            }
        }
    }

    @inline(__always)
    private mutating func begin(opcode: UInt8, length: Int, _ onMessage: (UInt8) -> Void) {
        if length == 0 {
            onMessage(opcode)
        } else {
            self.opcode = opcode
            remaining = length
            inPayload = true
        }
    }
}
