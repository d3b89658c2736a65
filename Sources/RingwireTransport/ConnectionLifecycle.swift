/// Where a connection is in its life, and what its multishot recv is doing: the one place that
/// decides when the recv is armed, cancelled or left alone, and when the connection may go.
///
/// A value type without I/O: each event method changes the state and returns the `Actions` the
/// worker must carry out (in `Worker.perform`). A method that returns `.armReceive` has already
/// counted the recv as armed, so the worker must submit it. Four bytes, stored in `Connection`
/// (where the enum and three flags it replaces took the same four).
@usableFromInline
struct ConnectionLifecycle: Equatable {
    /// The phases, in order: transitions only go down this list.
    @usableFromInline
    enum Phase: UInt8 {
        /// Reading and writing.
        case open
        /// No more input is handed to the session (it is read and discarded); close once the
        /// outbound queue has been sent.
        case closingAfterFlush
        /// Our side is shut down for writing; discard input until EOF or the linger deadline, so a
        /// client still sending does not get a reset that destroys the response it has not read.
        case lingering
        /// Cancel submitted; waiting for outstanding operations before the slot is freed.
        case closing
    }

    /// What the worker must do after an event, in the order `Worker.perform` does them.
    struct Actions: OptionSet {
        let rawValue: UInt16

        /// Tell other threads (the liveness table) that this connection is no longer open.
        static let markNotOpen = Actions(rawValue: 1 << 0)
        /// Cancel the armed recv (it completes with `ECANCELED`).
        static let cancelReceive = Actions(rawValue: 1 << 1)
        /// Cancel every request on the socket (recv and send).
        static let cancelOperations = Actions(rawValue: 1 << 2)
        /// Shut the write side down and start the linger deadline.
        static let shutdownWriteSide = Actions(rawValue: 1 << 3)
        /// Submit a multishot recv.
        static let armReceive = Actions(rawValue: 1 << 4)
        /// Call `buffersReturned()` once the provided buffers are back (next loop turn).
        static let awaitBuffers = Actions(rawValue: 1 << 5)
        /// Tell the session the peer finished sending (`peerFinished`).
        static let reportPeerFinished = Actions(rawValue: 1 << 6)
        /// Tell the session its deadline passed (`deadlinePassed`).
        static let reportDeadline = Actions(rawValue: 1 << 7)
        /// Tell the session everything it wrote was sent (`drained`).
        static let reportDrained = Actions(rawValue: 1 << 8)
        /// Tell the session the connection is gone, and drop it (`closed`).
        static let reportClosed = Actions(rawValue: 1 << 9)
        /// Close now (`Worker.close`, which comes back here with `close(isSending:)`).
        static let close = Actions(rawValue: 1 << 10)
        /// Free the slot and close the socket if the kernel holds nothing of it (`canFreeSlot`).
        static let freeSlotIfIdle = Actions(rawValue: 1 << 11)
    }

    @usableFromInline private(set) var phase = Phase.open
    /// A multishot recv is submitted and has not posted its last completion.
    private(set) var receiveArmed = false
    /// Reading paused by backpressure (`pause()`); the recv is re-armed by `resume()`.
    private(set) var readingPaused = false
    /// The peer's EOF arrived while input was held; reported once that input is consumed.
    private(set) var peerFinishedWhileHeld = false

    @inlinable @inline(__always) var isOpen: Bool { phase == .open }
    var isClosing: Bool { phase == .closing }
    /// Received bytes go to the session (otherwise they are discarded).
    var deliversInput: Bool { phase == .open }
    /// Written bytes are queued (otherwise they are dropped).
    var acceptsOutput: Bool { phase == .open || phase == .closingAfterFlush }

    /// The one rule for (re-)arming the recv: none is armed, reading is not paused, and the
    /// connection is not closing. In `.closingAfterFlush` and `.lingering` input is read and
    /// discarded, so a peer that keeps sending is never stuck behind a full socket buffer (and never
    /// gets a reset for unread bytes).
    var shouldArmReceive: Bool { !receiveArmed && !readingPaused && phase != .closing }

    /// The slot can be freed: closing, and the kernel holds nothing of it any more (`isSending` is the
    /// send queue's part of that).
    func canFreeSlot(isSending: Bool) -> Bool { phase == .closing && !receiveArmed && !isSending }

    /// Arms the recv if the rule allows it.
    private mutating func armIfAllowed() -> Actions {
        guard shouldArmReceive else { return [] }
        receiveArmed = true
        return .armReceive
    }

    // MARK: Events

    /// The session has started on a new connection (it may already have paused or closed it): open
    /// → arm the recv unless paused.
    mutating func started() -> Actions { armIfAllowed() }

    /// A recv completion without `IORING_CQE_F_MORE` arrived: the multishot request has ended.
    mutating func receiveEnded() { receiveArmed = false }

    /// A recv completion carrying data (or `ECANCELED`) has been handled: closing → free the slot if
    /// idle; otherwise re-arm if the request ended and the rule allows (after a pause's cancel, once
    /// resumed; after a chunk that ended the request).
    mutating func receiveHandled() -> Actions {
        if phase == .closing { return .freeSlotIfIdle }
        return armIfAllowed()
    }

    /// The recv ended with `ENOBUFS` (the provided buffers ran out): wait for the loop turn's buffers
    /// to be returned before re-arming.
    func bufferShortage() -> Actions { .awaitBuffers }

    /// Buffers are back after a shortage: re-arm if the rule allows; closing → free the slot if idle
    /// (even if reading was paused: nothing else would free it).
    mutating func buffersReturned() -> Actions {
        if phase == .closing { return .freeSlotIfIdle }
        return armIfAllowed()
    }

    /// The recv completed with 0 (the peer's EOF; the request has ended).
    /// - open, input held or reading paused → remember it, report once the input is consumed;
    /// - open → report it to the session;
    /// - closingAfterFlush → nothing (the lingering phase that follows reads the EOF again);
    /// - lingering → close (the peer has read all it wanted);
    /// - closing → free the slot if idle.
    mutating func peerFinished(inputHeld: Bool) -> Actions {
        switch phase {
        case .open where inputHeld || readingPaused:
            peerFinishedWhileHeld = true
            return []
        case .open: return .reportPeerFinished
        case .closingAfterFlush: return []
        case .lingering: return .close
        case .closing: return .freeSlotIfIdle
        }
    }

    /// Backpressure: stop reading (open or closingAfterFlush; lingering drains whatever comes, and
    /// closing has cancelled everything) and cancel the armed recv.
    mutating func pause() -> Actions {
        guard !readingPaused, phase == .open || phase == .closingAfterFlush else { return [] }
        readingPaused = true
        return receiveArmed ? .cancelReceive : []
    }

    /// Ends a pause. Returns whether reading was paused; if so the worker hands over held input
    /// and then calls `heldInputDelivered()`.
    mutating func resume() -> Bool {
        guard readingPaused else { return false }
        readingPaused = false
        return true
    }

    /// The held input has been handed over after `resume()` (the session may have paused again):
    /// report the held EOF, or re-arm if the rule allows.
    mutating func heldInputDelivered() -> Actions {
        guard !readingPaused else { return [] }
        if phase == .open && peerFinishedWhileHeld {
            peerFinishedWhileHeld = false
            return .reportPeerFinished
        }
        return armIfAllowed()
    }

    /// Our side is done writing (`closeAfterFlush`, or the last bytes of a `.closingAfterFlush`
    /// connection were sent). Output still pending → closingAfterFlush; otherwise → lingering: shut
    /// the write side down and read (unpaused) until EOF or the linger deadline. Ignored once lingering
    /// or closing.
    mutating func startGracefulClose(hasPendingOutput: Bool) -> Actions {
        guard phase == .open || phase == .closingAfterFlush else { return [] }
        let leavesOpen: Actions = phase == .open ? .markNotOpen : []
        if hasPendingOutput {
            phase = .closingAfterFlush
            return leavesOpen
        }
        phase = .lingering
        readingPaused = false
        return leavesOpen.union(.shutdownWriteSide).union(armIfAllowed())
    }

    /// The send queue is empty: open → tell the session (`drained`); closingAfterFlush → go on to
    /// lingering; lingering → nothing; closing → free the slot if idle.
    mutating func outputDrained() -> Actions {
        switch phase {
        case .open: return .reportDrained
        case .closingAfterFlush: return startGracefulClose(hasPendingOutput: false)
        case .lingering: return []
        case .closing: return .freeSlotIfIdle
        }
    }

    /// A send failed (the peer is gone, or we cancelled it): close, or free the slot if closing.
    func sendFailed() -> Actions { phase == .closing ? .freeSlotIfIdle : .close }

    /// The connection's deadline passed: open → tell the session; closingAfterFlush and lingering
    /// → close (the peer took too long to read or to finish); closing → nothing.
    func deadlinePassed() -> Actions {
        switch phase {
        case .open: return .reportDeadline
        case .closingAfterFlush, .lingering: return .close
        case .closing: return []
        }
    }

    /// Close at once → closing: cancel whatever the kernel holds (`isSending` is the send queue's
    /// part), tell the session, and free the slot if nothing was outstanding. Ignored once closing.
    mutating func close(isSending: Bool) -> Actions {
        guard phase != .closing else { return [] }
        var actions: Actions = [.reportClosed, .freeSlotIfIdle]
        if phase == .open { actions.insert(.markNotOpen) }
        phase = .closing
        if receiveArmed || isSending { actions.insert(.cancelOperations) }
        return actions
    }
}
