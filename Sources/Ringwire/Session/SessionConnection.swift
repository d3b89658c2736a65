import Logging
@_spi(RingwireInternal) import RingwireCodecs
@_spi(RingwireInternal) import RingwireTransport

/// What a session needs from the connection it speaks on: writing, reading control, closing, one
/// deadline, the clock, and a log a client cannot flood.
///
/// Sessions are generic over it, and production instantiates them with the transport's
/// `Connection` (see `Connection+SessionConnection.swift`), so these calls are direct; the embedded
/// harness (`InMemoryConnection` in RingwireTestSupport) implements it in memory with a manual clock.
/// Every call happens on the thread that owns the connection.
package protocol SessionConnection: AnyObject, ByteWriter {
    /// Identity of this connection, valid across threads and never reused.
    var id: ConnectionID { get }
    /// Whether the connection still reads and writes (no close begun).
    var isOpen: Bool { get }
    /// Bytes queued but not yet taken by the kernel.
    var bufferedAmount: Int { get }
    /// The current time in monotonic milliseconds, as of the current loop turn.
    var now: Int64 { get }
    /// Absolute monotonic milliseconds at which `deadlinePassed` is called; `.max` for none.
    var deadline: Int64 { get }
    /// Sets the deadline `milliseconds` from `now` (nil clears it).
    func setTimeout(milliseconds: Int64?)
    /// Queues two runs of bytes back to back (a frame header and its payload).
    func write(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer)
    /// Queues a frame shared with other connections, by reference.
    func write(_ frame: SharedFrame)
    /// Stops handling input until `resumeReading()`.
    func pauseReading()
    /// Hands over held input, then reads again.
    func resumeReading()
    /// Stops reading and closes once everything written has been sent.
    func closeAfterFlush()
    /// Closes at once, dropping anything not yet sent.
    func closeNow()
    /// Replaces the session (after a protocol upgrade) and starts the new one.
    func switchSession(to next: any ConnectionSession)
    /// Logs a line a client can cause, within its kind's allowance (see `ThrottledLog`).
    func log(_ kind: ThrottledLog.Kind, _ level: Logger.Level, _ message: @autoclosure () -> Logger.Message)
    /// Stops a debug build when the connection is used from a thread other than its owner's.
    func assertConfined()
}
