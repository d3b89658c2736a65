import Glibc

/// Why `Worker.connect(to:makeSession:onFailure:)` made no connection. Nothing is left behind: the
/// socket is closed and no table slot is taken.
package enum OutboundConnectError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `socket(2)` or `setsockopt(2)` failed with this errno (EMFILE: out of descriptors).
    case socketFailed(errno: Int32)
    /// The connect completed with this errno (ECONNREFUSED, ETIMEDOUT, ENETUNREACH...).
    case connectFailed(errno: Int32)
    /// The connection table was full when the connect succeeded.
    case tableFull
    /// The worker is stopping: it makes no new connections, and cancels those under way.
    case stopping

    package var description: String {
        switch self {
        case .socketFailed(let errno): "cannot create a socket: \(String(cString: strerror(errno)))"
        case .connectFailed(let errno): "connect failed: \(String(cString: strerror(errno)))"
        case .tableFull: "the worker's connection table is full"
        case .stopping: "the worker is stopping"
        }
    }
}
