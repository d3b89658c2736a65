import Logging

/// How a worker gets its connections.
package enum AcceptRole: Sendable {
    /// Accepts on its own `SO_REUSEPORT` sockets (Swoole's BASE mode).
    case ownSockets
    /// Accepts on the shared sockets and hands each connection to the least-loaded worker.
    case acceptor
    /// Only receives connections handed over by the acceptor.
    case handOffOnly
}

/// Everything a worker thread needs to start, fixed before it starts.
package struct WorkerSettings: Sendable {
    /// A listening socket this worker accepts on, with the index of its listener configuration.
    package struct Listening: Sendable {
        package let listenerIndex: Int
        package let fd: Int32

        package init(listenerIndex: Int, fd: Int32) {
            self.listenerIndex = listenerIndex
            self.fd = fd
        }
    }

    package let index: Int
    package let role: AcceptRole
    package let listening: [Listening]
    package let ringEntries: UInt32
    package let receiveBufferCount: Int
    package let receiveBufferSize: Int
    /// Connections this worker accepts at most; more are closed at once (and logged).
    package let maxConnections: Int
    /// How long a closing connection discards input while waiting for the peer's EOF.
    package let lingerMilliseconds: Int64
    /// How long a graceful stop waits for in-flight work before closing what is left.
    package let shutdownGraceMilliseconds: Int64
    /// After this long without I/O the worker returns its buffer memory to the system; nil: never.
    package let idleMemoryReleaseMilliseconds: Int64?
    package let logger: Logger

    package init(
        index: Int,
        role: AcceptRole,
        listening: [Listening],
        ringEntries: UInt32,
        receiveBufferCount: Int,
        receiveBufferSize: Int,
        maxConnections: Int,
        lingerMilliseconds: Int64,
        shutdownGraceMilliseconds: Int64,
        idleMemoryReleaseMilliseconds: Int64?,
        logger: Logger
    ) {
        self.index = index
        self.role = role
        self.listening = listening
        self.ringEntries = ringEntries
        self.receiveBufferCount = receiveBufferCount
        self.receiveBufferSize = receiveBufferSize
        self.maxConnections = maxConnections
        self.lingerMilliseconds = lingerMilliseconds
        self.shutdownGraceMilliseconds = shutdownGraceMilliseconds
        self.idleMemoryReleaseMilliseconds = idleMemoryReleaseMilliseconds
        self.logger = logger
    }
}
