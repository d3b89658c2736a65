@_spi(RingwireInternal) import RingwireCodecs

/// Why a Redis command got no value. `server` concerns that command only; every other case is a
/// connection error: the session fails every command waiting on the connection with it and closes.
package enum RedisClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The server answered this command with an error reply (`-ERR ...`, `-WRONGTYPE ...`).
    case server(String)
    /// `HELLO 3` (with its `AUTH`) or `SELECT` was refused: wrong password, unknown user, a server
    /// without RESP3, a database out of range.
    case handshakeFailed(String)
    /// The server's bytes are not RESP the parser accepts (see `RESPParseError`).
    case protocolViolation(RESPParseError)
    /// A reply came that no command was waiting for, or of a type the command cannot get.
    case unexpectedReply(RESPValue)
    /// The connection closed (or was never open) before the reply came.
    case connectionClosed
    /// The oldest command waited this many milliseconds without a reply (the session's
    /// `replyTimeout`): the connection is taken for broken and closed. A command written before
    /// may or may not have run.
    case replyTimedOut(milliseconds: Int64)
    /// `RedisClient` has no ready connection and its queue is at its bound: never written.
    case queueFull
    /// `RedisClient` was stopped (or its worker is stopping): never written.
    case clientStopped

    package var description: String {
        switch self {
        case .server(let message): "Redis error reply: \(message)"
        case .handshakeFailed(let message): "Redis handshake refused: \(message)"
        case .protocolViolation(let error): "Redis protocol violation: \(error)"
        case .unexpectedReply(let value): "unexpected Redis reply: \(value)"
        case .connectionClosed: "Redis connection closed"
        case .replyTimedOut(let milliseconds): "no Redis reply within \(milliseconds) ms"
        case .queueFull: "Redis client queue full while reconnecting"
        case .clientStopped: "Redis client stopped"
        }
    }
}
