import Logging

/// How a worker gets its connections.
enum AcceptRole: Sendable {
    /// Accepts on its own `SO_REUSEPORT` sockets (Swoole's BASE mode).
    case ownSockets
    /// Accepts on the shared sockets and hands each connection to the least-loaded worker.
    case acceptor
    /// Only receives connections handed over by the acceptor.
    case handOffOnly
}

/// Everything a worker thread needs to start, fixed before it starts.
struct WorkerSettings: Sendable {
    /// A listening socket this worker accepts on, with the index of its listener configuration.
    struct Listening: Sendable {
        let listenerIndex: Int
        let fd: Int32
    }

    let index: Int
    let role: AcceptRole
    let listening: [Listening]
    let ringEntries: UInt32
    let receiveBufferCount: Int
    let receiveBufferSize: Int
    /// Connections this worker accepts at most; more are closed at once (and logged).
    let maxConnections: Int
    /// How long a closing connection discards input while waiting for the peer's EOF.
    let lingerMilliseconds: Int64
    /// How long a graceful stop waits for in-flight work before closing what is left.
    let shutdownGraceMilliseconds: Int64
    /// After this long without I/O the worker returns its buffer memory to the system; nil: never.
    let idleMemoryReleaseMilliseconds: Int64?
    let logger: Logger
}
