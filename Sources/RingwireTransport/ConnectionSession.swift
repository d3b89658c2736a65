/// The protocol a connection speaks (HTTP/1.1, then perhaps WebSocket after an upgrade).
///
/// The worker owns the socket, its buffers and its timers and calls into the session; the session
/// keeps the connection it was made for and answers by writing to it and setting its deadline. All
/// calls happen on the worker thread that owns the connection.
package protocol ConnectionSession: AnyObject {
    /// The connection was accepted (or this session just took over after an upgrade).
    func start()
    /// Bytes arrived. They may be modified in place and are only valid during the call: anything
    /// to keep must be copied. Returns how many were consumed: a session that paused reading
    /// (backpressure) may stop early, and the worker keeps the rest until reading resumes.
    func received(_ bytes: UnsafeMutableRawBufferPointer) -> Int
    /// The connection's deadline passed.
    func deadlinePassed()
    /// Everything written so far has been taken by the kernel.
    func drained()
    /// The peer will send nothing more (EOF).
    func peerFinished()
    /// The server is shutting down gracefully: finish what was promised, then close.
    func shutdownRequested()
    /// The connection is gone; release resources. No further calls follow.
    func closed()
}
