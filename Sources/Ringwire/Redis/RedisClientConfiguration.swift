@_spi(RingwireInternal) import RingwireTransport

/// How a `RedisClient` reconnects and how much it holds while it has no connection.
package struct RedisClientConfiguration: Sendable {
    /// The wait before the first reconnect attempt: 50 ms, long enough not to spin on a refused
    /// port, short enough that a restarted server is hardly noticed.
    package var initialBackoff: Duration = .milliseconds(50)
    /// The wait doubles with each failed attempt up to this: 5 s, so a server down for long is
    /// tried about every few seconds, not hammered, and found soon after it is back.
    package var maximumBackoff: Duration = .seconds(5)
    /// Commands held while disconnected: 1,024 — a burst during a restart fits; past it a caller
    /// learns at once (`.queueFull`) instead of piling up work that may never run.
    package var maximumQueuedCommands = 1024
    /// Bytes of arguments held while disconnected: 1 MiB, so a few large values cannot pin memory
    /// for as long as the server is down.
    package var maximumQueuedBytes = 1 << 20
    /// Each connection's reply timeout (see `RedisClientSession`): 5 s; nil for none.
    package var replyTimeout: Duration? = RedisClientSession<Connection>.defaultReplyTimeout

    /// The defaults above.
    package init() {}
}
