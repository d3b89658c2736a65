@_spi(RingwireInternal) import RingwireTransport

/// How new connections are spread over the workers.
public enum ConnectionDistribution: String, Sendable, Codable {
    /// Every worker has its own `SO_REUSEPORT` socket per port and accepts on its own ring (Swoole's
    /// BASE mode). No hand-off cost per connection, but the kernel picks the worker by a hash of the
    /// client's address and port, so long-lived connections can end up unevenly spread.
    case reusePort
    /// Worker 0 accepts on one socket per port and passes each connection to the worker with the
    /// fewest connections through `IORING_OP_MSG_RING`: even spread, at the cost of one ring-to-ring
    /// message per new connection and all accepts on one core.
    case acceptor
}
