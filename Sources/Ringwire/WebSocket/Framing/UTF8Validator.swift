/// Incremental UTF-8 validation (Unicode 15 §3.9, Table 3-7), for text messages that arrive in
/// pieces: the state of a sequence cut at a chunk end carries over to the next chunk.
///
/// It rejects at the first byte that cannot continue any well-formed sequence, so a peer sending
/// bad text is failed as early as possible: overlongs (C0, C1, E0 80–9F, F0 80–8F), UTF-16
/// surrogates (ED A0–BF), code points above U+10FFFF (F4 90–BF, F5–FF), stray continuation bytes.
/// A sequence merely cut short is not an error until the caller asks `isComplete` at the end.
///
/// ASCII, the bulk of real text, is checked 16 bytes at a time.
public struct UTF8Validator: Sendable {
    /// Where the validator stands inside a multi-byte sequence. The `after…` states are lead bytes
    /// whose second byte has a narrower range than the usual 80–BF.
    @usableFromInline
    enum State: UInt8, Sendable {
        /// Between sequences.
        case ready
        /// 1, 2 or 3 continuation bytes (80–BF) still expected.
        case needOne, needTwo, needThree
        /// After E0: A0–BF next (lower would be an overlong 3-byte form).
        case afterE0
        /// After ED: 80–9F next (higher would encode a surrogate).
        case afterED
        /// After F0: 90–BF next (lower would be an overlong 4-byte form).
        case afterF0
        /// After F4: 80–8F next (higher would exceed U+10FFFF).
        case afterF4
        /// An invalid byte was seen; sticky.
        case invalid
    }

    /// The position reached after the bytes validated so far.
    @usableFromInline
    var state: State = .ready

    /// A validator at the start of a text.
    @inlinable
    public init() {}

    /// Whether all bytes so far are valid and no multi-byte sequence is left open.
    @inlinable
    public var isComplete: Bool { state == .ready }

    /// Starts over for a new text.
    @inlinable
    public mutating func reset() { state = .ready }

    /// Whether `bytes` as a whole is valid UTF-8.
    @inlinable
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        // Inline ASCII scan first: most text is all ASCII and never reaches the state machine.
        let firstNonASCII = skipASCII(base, from: 0, count: bytes.count)
        if firstNonASCII == bytes.count { return true }
        var validator = UTF8Validator()
        return validator.validate(UnsafeRawBufferPointer(rebasing: bytes[firstNonASCII...])) && validator.isComplete
    }

    /// Feeds the next chunk of the text. Returns false as soon as the bytes seen so far cannot be
    /// the start of valid UTF-8 (and keeps returning false); true otherwise, even when the chunk
    /// ends inside a sequence.
    @inlinable
    public mutating func validate(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard state != .invalid else { return false }
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var state = self.state
        var index = 0
        while index < count {
            if state == .ready {
                index = Self.skipASCII(base, from: index, count: count)
                guard index < count else { break }
            }
            state = Self.step(state, base.load(fromByteOffset: index, as: UInt8.self))
            if state == .invalid {
                self.state = .invalid
                return false
            }
            index += 1
        }
        self.state = state
        return true
    }

    /// The index of the first non-ASCII byte at or after `index`, or `count`.
    @inlinable @inline(__always)
    static func skipASCII(_ base: UnsafeRawPointer, from start: Int, count: Int) -> Int {
        let highBits: UInt64 = 0x8080_8080_8080_8080
        var index = start
        while index + 16 <= count {
            // Little-endian view: the byte first in memory is the lowest, so the trailing zero
            // count locates the first non-ASCII byte.
            let low = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self)) & highBits
            let high = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self)) & highBits
            if low | high != 0 {
                return index + (low != 0 ? (low.trailingZeroBitCount >> 3) : 8 + (high.trailingZeroBitCount >> 3))
            }
            index += 16
        }
        while index < count, base.load(fromByteOffset: index, as: UInt8.self) < 0x80 {
            index += 1
        }
        return index
    }

    /// The state after `byte`.
    @inlinable @inline(__always)
    static func step(_ state: State, _ byte: UInt8) -> State {
        switch state {
        case .ready:
            switch byte {
            case 0x00...0x7F: return .ready
            case 0xC2...0xDF: return .needOne
            case 0xE0: return .afterE0
            case 0xE1...0xEC, 0xEE...0xEF: return .needTwo
            case 0xED: return .afterED
            case 0xF0: return .afterF0
            case 0xF1...0xF3: return .needThree
            case 0xF4: return .afterF4
            default: return .invalid  // 80–BF stray continuation, C0/C1 overlong, F5–FF out of range
            }
        case .needOne: return (0x80...0xBF).contains(byte) ? .ready : .invalid
        case .needTwo: return (0x80...0xBF).contains(byte) ? .needOne : .invalid
        case .needThree: return (0x80...0xBF).contains(byte) ? .needTwo : .invalid
        case .afterE0: return (0xA0...0xBF).contains(byte) ? .needOne : .invalid
        case .afterED: return (0x80...0x9F).contains(byte) ? .needOne : .invalid
        case .afterF0: return (0x90...0xBF).contains(byte) ? .needTwo : .invalid
        case .afterF4: return (0x80...0x8F).contains(byte) ? .needTwo : .invalid
        case .invalid: return .invalid
        }
    }
}
