import XCTest

@_spi(RingwireInternal) @testable import RingwireTransport

/// Every transition of `ConnectionLifecycle`, without sockets: the state after an event and the
/// actions the worker is told to take.
final class ConnectionLifecycleTests: XCTestCase {
    private typealias Actions = ConnectionLifecycle.Actions

    // MARK: Helpers

    /// An open connection whose recv is armed (what `adopt` leaves).
    private func armed() -> ConnectionLifecycle {
        var lifecycle = ConnectionLifecycle()
        XCTAssertEqual(lifecycle.started(), .armReceive)
        return lifecycle
    }

    /// An open connection whose reading is paused and whose recv has ended (its cancel completed).
    private func paused() -> ConnectionLifecycle {
        var lifecycle = armed()
        XCTAssertEqual(lifecycle.pause(), .cancelReceive)
        lifecycle.receiveEnded()
        XCTAssertEqual(lifecycle.receiveHandled(), [], "ECANCELED of a paused recv does not re-arm")
        return lifecycle
    }

    /// A connection in `phase` with an armed recv.
    private func armed(in phase: ConnectionLifecycle.Phase) -> ConnectionLifecycle {
        var lifecycle = armed()
        switch phase {
        case .open: break
        case .closingAfterFlush: XCTAssertEqual(lifecycle.startGracefulClose(hasPendingOutput: true), .markNotOpen)
        case .lingering: XCTAssertEqual(lifecycle.startGracefulClose(hasPendingOutput: false), [.markNotOpen, .shutdownWriteSide])
        case .closing: XCTAssertEqual(lifecycle.close(isSending: false), [.markNotOpen, .cancelOperations, .reportClosed, .freeSlotIfIdle])
        }
        XCTAssertEqual(lifecycle.phase, phase)
        XCTAssertTrue(lifecycle.receiveArmed)
        return lifecycle
    }

    private let phases: [ConnectionLifecycle.Phase] = [.open, .closingAfterFlush, .lingering, .closing]

    // MARK: Layout

    func testFitsInTheFourBytesTheEnumAndFlagsTook() {
        XCTAssertEqual(MemoryLayout<ConnectionLifecycle>.size, 4)
        XCTAssertEqual(MemoryLayout<ConnectionLifecycle>.alignment, 1, "packs between Connection's UInt32 fields")
    }

    // MARK: Start

    func testStartArmsTheReceiveOfAnOpenConnection() {
        var lifecycle = ConnectionLifecycle()
        XCTAssertTrue(lifecycle.isOpen)
        XCTAssertTrue(lifecycle.deliversInput)
        XCTAssertTrue(lifecycle.acceptsOutput)
        XCTAssertEqual(lifecycle.started(), .armReceive)
        XCTAssertTrue(lifecycle.receiveArmed)
    }

    func testStartDoesNotArmWhenTheSessionPausedOrClosedAtOnce() {
        var pausedAtStart = ConnectionLifecycle()
        XCTAssertEqual(pausedAtStart.pause(), [], "nothing armed yet, nothing to cancel")
        XCTAssertEqual(pausedAtStart.started(), [])

        var closedAtStart = ConnectionLifecycle()
        XCTAssertEqual(closedAtStart.close(isSending: false), [.markNotOpen, .reportClosed, .freeSlotIfIdle])
        XCTAssertEqual(closedAtStart.started(), [])
    }

    func testStartArmsWhenTheSessionAskedToCloseAfterFlushing() {
        var lifecycle = ConnectionLifecycle()
        XCTAssertEqual(lifecycle.startGracefulClose(hasPendingOutput: true), .markNotOpen)
        XCTAssertEqual(lifecycle.started(), .armReceive, "input is read and discarded while the output drains")
    }

    // MARK: Receive completions

    func testAChunkWithMoreToComeChangesNothing() {
        for phase in phases.dropLast() {
            var lifecycle = armed(in: phase)
            XCTAssertEqual(lifecycle.receiveHandled(), [], "\(phase)")
            XCTAssertTrue(lifecycle.receiveArmed)
        }
    }

    func testAChunkThatEndedTheRequestReArmsInEveryPhaseButClosing() {
        for phase in phases.dropLast() {
            var lifecycle = armed(in: phase)
            lifecycle.receiveEnded()
            XCTAssertEqual(lifecycle.receiveHandled(), .armReceive, "\(phase)")
            XCTAssertTrue(lifecycle.receiveArmed)
        }
    }

    func testOnlyTheOpenPhaseDeliversInput() {
        XCTAssertEqual(phases.map { armed(in: $0).deliversInput }, [true, false, false, false])
        XCTAssertEqual(phases.map { armed(in: $0).acceptsOutput }, [true, true, false, false])
    }

    func testAReceiveCompletionWhileClosingFreesTheSlotOnceNothingIsOutstanding() {
        var lifecycle = armed(in: .closing)
        XCTAssertEqual(lifecycle.receiveHandled(), .freeSlotIfIdle)
        XCTAssertFalse(lifecycle.canFreeSlot(isSending: false), "the recv is still armed")
        lifecycle.receiveEnded()
        XCTAssertEqual(lifecycle.receiveHandled(), .freeSlotIfIdle)
        XCTAssertTrue(lifecycle.canFreeSlot(isSending: false))
        XCTAssertFalse(lifecycle.canFreeSlot(isSending: true), "a send is still in flight")
    }

    func testOnlyAClosingConnectionMayFreeItsSlot() {
        for phase in phases.dropLast() {
            var lifecycle = armed(in: phase)
            lifecycle.receiveEnded()
            XCTAssertFalse(lifecycle.canFreeSlot(isSending: false), "\(phase)")
        }
    }

    // MARK: Buffer shortage

    func testBufferShortageWaitsForBuffersThenReArms() {
        for phase in phases.dropLast() {
            var lifecycle = armed(in: phase)
            lifecycle.receiveEnded()
            XCTAssertEqual(lifecycle.bufferShortage(), .awaitBuffers, "\(phase)")
            XCTAssertFalse(lifecycle.receiveArmed)
            XCTAssertEqual(lifecycle.buffersReturned(), .armReceive, "\(phase)")
            XCTAssertTrue(lifecycle.receiveArmed)
        }
    }

    func testBuffersReturnedDoNotReArmAPausedConnection() {
        var lifecycle = armed()
        lifecycle.receiveEnded()
        XCTAssertEqual(lifecycle.bufferShortage(), .awaitBuffers)
        XCTAssertEqual(lifecycle.pause(), [], "no recv armed, nothing to cancel")
        XCTAssertEqual(lifecycle.buffersReturned(), [])
        XCTAssertTrue(lifecycle.resume())
        XCTAssertEqual(lifecycle.heldInputDelivered(), .armReceive)
    }

    func testBuffersReturnedAfterTheConnectionWasResumedDoNotArmTwice() {
        var lifecycle = armed()
        XCTAssertEqual(lifecycle.pause(), .cancelReceive)
        lifecycle.receiveEnded()
        XCTAssertEqual(lifecycle.bufferShortage(), .awaitBuffers)
        XCTAssertTrue(lifecycle.resume())
        XCTAssertEqual(lifecycle.heldInputDelivered(), .armReceive)
        XCTAssertEqual(lifecycle.buffersReturned(), [])
    }

    func testBuffersReturnedToAClosingConnectionFreeItsSlotEvenIfItWasPaused() {
        var lifecycle = armed()
        XCTAssertEqual(lifecycle.pause(), .cancelReceive)
        XCTAssertEqual(lifecycle.close(isSending: false), [.markNotOpen, .cancelOperations, .reportClosed, .freeSlotIfIdle])
        lifecycle.receiveEnded()
        XCTAssertEqual(lifecycle.bufferShortage(), .awaitBuffers)
        XCTAssertEqual(lifecycle.buffersReturned(), .freeSlotIfIdle)
        XCTAssertTrue(lifecycle.canFreeSlot(isSending: false))
    }

    // MARK: Peer's EOF

    func testEndOfInputIsReportedToAnOpenSession() {
        var lifecycle = armed()
        lifecycle.receiveEnded()
        XCTAssertEqual(lifecycle.peerFinished(inputHeld: false), .reportPeerFinished)
        XCTAssertFalse(lifecycle.receiveArmed)
    }

    func testEndOfInputWaitsForHeldInput() {
        var lifecycle = armed()
        lifecycle.receiveEnded()
        XCTAssertEqual(lifecycle.peerFinished(inputHeld: true), [])
        XCTAssertTrue(lifecycle.peerFinishedWhileHeld)
        XCTAssertEqual(lifecycle.heldInputDelivered(), .reportPeerFinished, "reported instead of re-arming")
        XCTAssertFalse(lifecycle.peerFinishedWhileHeld)
        XCTAssertFalse(lifecycle.receiveArmed)
    }

    func testEndOfInputWhilePausedIsReportedOnResume() {
        var lifecycle = paused()
        XCTAssertEqual(lifecycle.peerFinished(inputHeld: false), [])
        XCTAssertTrue(lifecycle.resume())
        XCTAssertEqual(lifecycle.heldInputDelivered(), .reportPeerFinished)
        XCTAssertEqual(lifecycle.heldInputDelivered(), .armReceive, "only once")
    }

    func testEndOfInputInTheLaterPhases() {
        var flushing = armed(in: .closingAfterFlush)
        flushing.receiveEnded()
        XCTAssertEqual(flushing.peerFinished(inputHeld: false), [], "lingering reads the EOF again")
        var lingering = armed(in: .lingering)
        lingering.receiveEnded()
        XCTAssertEqual(lingering.peerFinished(inputHeld: false), .close)
        var closing = armed(in: .closing)
        closing.receiveEnded()
        XCTAssertEqual(closing.peerFinished(inputHeld: false), .freeSlotIfIdle)
    }

    // MARK: Pause and resume

    func testPauseCancelsAnArmedReceiveOnce() {
        var lifecycle = armed()
        XCTAssertEqual(lifecycle.pause(), .cancelReceive)
        XCTAssertTrue(lifecycle.readingPaused)
        XCTAssertEqual(lifecycle.pause(), [], "already paused")
    }

    func testResumeBeforeTheCancelCompletedReArmsOnTheCancellation() {
        var lifecycle = armed()
        XCTAssertEqual(lifecycle.pause(), .cancelReceive)
        XCTAssertTrue(lifecycle.resume())
        XCTAssertEqual(lifecycle.heldInputDelivered(), [], "the cancelled recv has not ended yet")
        lifecycle.receiveEnded()
        XCTAssertEqual(lifecycle.receiveHandled(), .armReceive, "ECANCELED re-arms once resumed")
    }

    func testResumeReArmsAfterTheHeldInputWasHandedOver() {
        var lifecycle = paused()
        XCTAssertTrue(lifecycle.resume())
        XCTAssertFalse(lifecycle.readingPaused)
        XCTAssertEqual(lifecycle.heldInputDelivered(), .armReceive)
    }

    func testResumeWithoutPauseDoesNothing() {
        var lifecycle = armed()
        XCTAssertFalse(lifecycle.resume())
        XCTAssertEqual(lifecycle, armed())
    }

    func testPausingAgainWhileHandingOverHeldInputKeepsTheReceiveOff() {
        var lifecycle = paused()
        XCTAssertTrue(lifecycle.resume())
        XCTAssertEqual(lifecycle.pause(), [])
        XCTAssertEqual(lifecycle.heldInputDelivered(), [])
        XCTAssertFalse(lifecycle.receiveArmed)
    }

    func testPauseWhileFlushingHoldsTheReceiveAndResumeReArms() {
        var lifecycle = armed(in: .closingAfterFlush)
        XCTAssertEqual(lifecycle.pause(), .cancelReceive)
        lifecycle.receiveEnded()
        XCTAssertEqual(lifecycle.receiveHandled(), [])
        XCTAssertTrue(lifecycle.resume())
        XCTAssertEqual(lifecycle.heldInputDelivered(), .armReceive)
    }

    func testPauseIsIgnoredWhileLingeringOrClosing() {
        for phase in [ConnectionLifecycle.Phase.lingering, .closing] {
            var lifecycle = armed(in: phase)
            XCTAssertEqual(lifecycle.pause(), [], "\(phase)")
            XCTAssertFalse(lifecycle.readingPaused, "\(phase)")
        }
    }

    // MARK: Graceful close

    func testGracefulCloseWithOutputPendingWaitsForTheFlush() {
        var lifecycle = armed()
        XCTAssertEqual(lifecycle.startGracefulClose(hasPendingOutput: true), .markNotOpen)
        XCTAssertEqual(lifecycle.phase, .closingAfterFlush)
        XCTAssertFalse(lifecycle.isOpen)
        XCTAssertEqual(lifecycle.startGracefulClose(hasPendingOutput: true), [], "still flushing, nothing new")
        XCTAssertEqual(lifecycle.outputDrained(), .shutdownWriteSide)
        XCTAssertEqual(lifecycle.phase, .lingering)
    }

    func testGracefulCloseWithNothingPendingLingersAndReadsEvenIfPaused() {
        var lifecycle = paused()
        XCTAssertEqual(lifecycle.startGracefulClose(hasPendingOutput: false), [.markNotOpen, .shutdownWriteSide, .armReceive])
        XCTAssertEqual(lifecycle.phase, .lingering)
        XCTAssertFalse(lifecycle.readingPaused)
        XCTAssertTrue(lifecycle.receiveArmed)
    }

    func testGracefulCloseKeepsAnArmedReceive() {
        var lifecycle = armed()
        XCTAssertEqual(lifecycle.startGracefulClose(hasPendingOutput: false), [.markNotOpen, .shutdownWriteSide])
    }

    func testGracefulCloseWhilePausedWithTheCancelInFlightReArmsOnTheCancellation() {
        var lifecycle = armed()
        XCTAssertEqual(lifecycle.pause(), .cancelReceive)
        XCTAssertEqual(lifecycle.startGracefulClose(hasPendingOutput: false), [.markNotOpen, .shutdownWriteSide])
        lifecycle.receiveEnded()
        XCTAssertEqual(lifecycle.receiveHandled(), .armReceive)
    }

    func testGracefulCloseIsIgnoredOnceLingeringOrClosing() {
        for phase in [ConnectionLifecycle.Phase.lingering, .closing] {
            var lifecycle = armed(in: phase)
            XCTAssertEqual(lifecycle.startGracefulClose(hasPendingOutput: false), [], "\(phase)")
            XCTAssertEqual(lifecycle.phase, phase)
        }
    }

    // MARK: Output drained and failed sends

    func testOutputDrainedInEachPhase() {
        var open = armed()
        XCTAssertEqual(open.outputDrained(), .reportDrained)
        var lingering = armed(in: .lingering)
        XCTAssertEqual(lingering.outputDrained(), [])
        var closing = armed(in: .closing)
        XCTAssertEqual(closing.outputDrained(), .freeSlotIfIdle)
    }

    func testAFailedSendClosesOrFreesTheSlot() {
        for phase in phases.dropLast() { XCTAssertEqual(armed(in: phase).sendFailed(), .close, "\(phase)") }
        XCTAssertEqual(armed(in: .closing).sendFailed(), .freeSlotIfIdle)
    }

    // MARK: Deadlines

    func testDeadlineInEachPhase() {
        XCTAssertEqual(phases.map { armed(in: $0).deadlinePassed() }, [.reportDeadline, .close, .close, []])
    }

    // MARK: Close

    func testCloseCancelsWhatTheKernelHolds() {
        var idle = paused()
        XCTAssertEqual(idle.close(isSending: false), [.markNotOpen, .reportClosed, .freeSlotIfIdle], "nothing outstanding")
        var sending = paused()
        XCTAssertEqual(sending.close(isSending: true), [.markNotOpen, .cancelOperations, .reportClosed, .freeSlotIfIdle])
        XCTAssertTrue(sending.isClosing)
        XCTAssertFalse(sending.acceptsOutput)
    }

    func testCloseFromTheLaterPhasesDoesNotMarkTwice() {
        var lingering = armed(in: .lingering)
        XCTAssertEqual(lingering.close(isSending: false), [.cancelOperations, .reportClosed, .freeSlotIfIdle])
        var flushing = armed(in: .closingAfterFlush)
        XCTAssertEqual(flushing.close(isSending: true), [.cancelOperations, .reportClosed, .freeSlotIfIdle])
    }

    func testCloseTwiceDoesNothingTheSecondTime() {
        var lifecycle = armed(in: .closing)
        XCTAssertEqual(lifecycle.close(isSending: true), [])
        XCTAssertEqual(lifecycle.started(), [], "a closing connection never arms")
        XCTAssertFalse(lifecycle.shouldArmReceive)
    }
}
