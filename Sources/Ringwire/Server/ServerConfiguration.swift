import Glibc
import Logging
@_spi(RingwireInternal) import RingwireTransport

/// Everything about a server that is not a listener: workers, distribution, memory and shutdown.
/// Every field has a default that suits a general-purpose deployment; the comment says why.
public struct ServerConfiguration: Sendable {
    /// Worker threads, each with its own io_uring ring. Default: one per core this process may run
    /// on, so every core runs one event loop and nothing else competes for it; at most
    /// `maximumWorkers`.
    public var workers: Int = min(ServerConfiguration.availableCores, ServerConfiguration.maximumWorkers)
    /// How connections are spread over workers. Default `.reusePort`: no per-connection hand-off.
    public var distribution: ConnectionDistribution = .reusePort
    /// The ports the server listens on, each with its own protocol and handlers.
    public var listeners: [Listener]
    /// Connections held at most, over all workers; more are refused at accept. Default nil: as many as
    /// the process's open-file limit allows (like Swoole's `max_connection`), so descriptor exhaustion
    /// is refused cleanly instead of failing deep inside. Set above that limit, a warning says so.
    public var maxConnections: Int?
    /// Receive buffers per worker in its provided buffer ring (a power of two). Default 256: enough for
    /// a recv burst of every active connection in one loop turn at typical concurrency; a shortfall only
    /// pauses reads briefly (ENOBUFS re-arm), it never drops data.
    public var receiveBufferCount: Int = 256
    /// Bytes per receive buffer. Default 32 KiB: one recv carries a connection's whole burst of
    /// frames or a typical request. (At 16 KiB, four pipelined 4 KiB client frames — 16,440 bytes
    /// with headers — took two recvs; see Benchmarks/README.md for what that cost.)
    /// 256 × 32 KiB = 8 MiB of address space per worker whatever the number of connections; pages
    /// are only touched as far as recvs fill them, and an idle worker gives them back.
    public var receiveBufferSize: Int = 32 * 1024
    /// Bytes that the partial incoming WebSocket messages and HTTP request bodies of all connections
    /// on one worker may hold together (messages that span receive buffers or are fragmented; whole
    /// ones are read in place). Default 64 MiB: four maximum-size (16 MiB) messages arriving at once
    /// per worker, or thousands of ordinary ones; 30 clients each parking an almost complete 16 MiB
    /// message no longer pin 500 MB. The connection whose message would pass it is closed with 1013
    /// (Try Again Later), a request answered 503: within its own limits, it meets a server too busy
    /// for it now.
    public var messageBufferBudgetPerWorker: Int = 64 * 1024 * 1024
    /// Submission queue entries per ring. Default 1024: one loop turn rarely prepares more; if it does,
    /// the ring submits early and continues.
    public var ringEntries: Int = 1024
    /// `listen()` backlog. Default 4096: absorbs connection bursts (the kernel caps it at somaxconn).
    public var backlog: Int = 4096
    /// How long a graceful stop lets in-flight requests finish before closing what is left. Default 10 s.
    public var shutdownGracePeriod: Duration = .seconds(10)
    /// After our last byte, how long a closing connection drains the peer's input before the socket is
    /// closed; closing with unread input would reset the connection and could destroy the response the
    /// peer has not read yet. Default 2 s.
    public var lingerTimeout: Duration = .seconds(2)
    /// After this long without traffic, a worker gives its receive-buffer pages and pooled send
    /// buffers back to the system, so memory follows load: a server holding many idle connections
    /// costs only their own state. Default 500 ms: long enough never to trigger under load (the
    /// pages come back on the next recv at the cost of a page fault each); nil keeps them.
    public var idleMemoryRelease: Duration? = .milliseconds(500)
    /// Where the server logs.
    public var logger: Logger = Logger(label: "ringwire")

    /// A configuration serving `listeners` with every other setting at its default.
    public init(listeners: [Listener]) {
        self.listeners = listeners
    }

    /// The number of cores this process may run on: its CPU affinity (`taskset`, container cpusets),
    /// else every online core.
    public static var availableCores: Int { CPUAffinity.availableCores }

    /// Workers a server may have (a topic records which workers have subscribers in a fixed set).
    public static let maximumWorkers = WorkerSet.capacity
}

extension Duration {
    /// Whole milliseconds, rounded up so a tiny positive timeout never becomes zero. Clamped to a
    /// century either way, so `.seconds(.max)` means "practically never" and `now + timeout` cannot
    /// overflow.
    var milliseconds: Int64 {
        let century: Int64 = 100 * 365 * 86_400 * 1000
        let (seconds, attoseconds) = components
        guard seconds < century / 1000 else { return century }
        guard seconds > -century / 1000 else { return -century }
        return seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    }
}
