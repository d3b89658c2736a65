/// What a submission was for, packed into its 64-bit `user_data` so a completion finds its owner
/// without a lookup table: `[kind: 8 bits][slot: 24 bits][generation: 32 bits]`.
///
/// `slot` is a connection slot (or a listener index for accepts); `generation` tells a completion
/// for an earlier connection in the same slot from one for the current connection.
struct OperationTag: Equatable {
    package enum Kind: UInt8 {
        case accept = 1
        case receive
        case send
        case cancel
        case close
        /// A socket handed over by the acceptor worker through `MSG_RING` (`result` is the fd).
        case handOff
        /// A hand-off `MSG_RING` failed (`slot` is the fd, `generation` the listener index); only
        /// failures post a completion.
        case handOffFailed
        /// The worker's wake-up eventfd became readable.
        case wakeUp
        /// Another worker's `MSG_RING` saying the mailbox has messages (handled every loop turn).
        case mailbox
        /// Our `MSG_RING` to worker `slot` failed (only failures post a completion): use its eventfd.
        case wakeFailed
        /// A completion we do not need.
        case ignored
        /// An outbound connect finished (`slot` and `generation` name the pending connect).
        case connect
    }

    package let kind: Kind
    package let slot: UInt32
    package let generation: UInt32

    package init(_ kind: Kind, slot: UInt32 = 0, generation: UInt32 = 0) {
        precondition(slot < 1 << 24)
        self.kind = kind
        self.slot = slot
        self.generation = generation
    }

    package init?(userData: UInt64) {
        guard let kind = Kind(rawValue: UInt8(truncatingIfNeeded: userData >> 56)) else { return nil }
        self.kind = kind
        slot = UInt32(truncatingIfNeeded: (userData >> 32) & 0xFF_FFFF)
        generation = UInt32(truncatingIfNeeded: userData)
    }

    var userData: UInt64 {
        UInt64(kind.rawValue) << 56 | UInt64(slot) << 32 | UInt64(generation)
    }
}
