import Glibc
@_spi(RingwireInternal) import RingwireTransport

/// Why a server could not start. Each case names the listener and says what to do.
public enum ServerError: Error, Sendable, CustomStringConvertible {
    /// Another process already listens on this port.
    case portInUse(listener: String, host: String, port: Int)
    /// The host is not a numeric IPv4/IPv6 address or `localhost`.
    case invalidAddress(listener: String, host: String)
    /// `socket()` failed (usually the file descriptor limit).
    case socketFailed(listener: String, errno: Int32)
    /// `bind()`/`listen()` failed for another reason (e.g. EACCES for ports below 1024).
    case bindFailed(listener: String, host: String, port: Int, errno: Int32)
    /// io_uring could not be set up; the error says why and how to fix it.
    case ringSetup(RingSetupError)
    /// The configuration is inconsistent.
    case invalidConfiguration(String)
    /// `start()` was called on a server that is already running or stopped.
    case alreadyStarted

    public var description: String {
        switch self {
        case .portInUse(let listener, let host, let port):
            return "listener '\(listener)': port \(port) on \(host) is already in use; stop the other process or choose another port"
        case .invalidAddress(let listener, let host):
            return "listener '\(listener)': '\(host)' is not a numeric IPv4/IPv6 address"
        case .socketFailed(let listener, let code):
            return "listener '\(listener)': socket() failed: \(String(cString: strerror(code)))"
        case .bindFailed(let listener, let host, let port, let code):
            return "listener '\(listener)': cannot listen on \(host):\(port): \(String(cString: strerror(code)))"
        case .ringSetup(let error):
            return error.description
        case .invalidConfiguration(let message):
            return "invalid configuration: \(message)"
        case .alreadyStarted:
            return "the server was already started"
        }
    }
}

extension ServerError {
    /// The transport's reason a listening socket did not open, with the listener named.
    init(_ error: ListeningSocketError, listener: Listener) {
        switch error {
        case .invalidAddress: self = .invalidAddress(listener: listener.name, host: listener.host)
        case .socketFailed(let code): self = .socketFailed(listener: listener.name, errno: code)
        case .portInUse: self = .portInUse(listener: listener.name, host: listener.host, port: listener.port)
        case .bindFailed(let code): self = .bindFailed(listener: listener.name, host: listener.host, port: listener.port, errno: code)
        }
    }
}
