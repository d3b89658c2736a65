import Logging
@_spi(RingwireInternal) import RingwireTransport

/// What a `RedisClient` needs of the worker it lives on: its clock, outbound connects, a timer for
/// the reconnect backoff, and its throttled log. The worker conforms; tests use a manual host that
/// hands out harness connections and fires timers when told.
package protocol RedisClientHost: AnyObject {
    /// The connections `connect` makes.
    associatedtype Connection: SessionConnection
    /// Monotonic milliseconds, as of the current loop turn.
    var now: Int64 { get }
    /// Connects to `address`; `makeSession` gets the connection, or `onFailure` hears why there is
    /// none (see `Worker.connect`).
    func connect(
        to address: PeerAddress, makeSession: @escaping (Connection) -> any ConnectionSession,
        onFailure: @escaping (OutboundConnectError) -> Void)
    /// Runs `action` once `now` reaches `deadline`.
    func schedule(at deadline: Int64, _ action: @escaping () -> Void)
    /// Logs a line within its kind's allowance (see `ThrottledLog`).
    func log(_ kind: ThrottledLog.Kind, _ level: Logger.Level, _ message: @autoclosure () -> Logger.Message)
    /// Stops a debug build when called from a thread other than the owner's.
    func assertConfined()
}

extension Worker: RedisClientHost {
    package func assertConfined() { assertConfined(file: #fileID, line: #line) }
}
