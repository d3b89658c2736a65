/// Why a listening socket could not be opened; the server layer names the listener and the address.
package enum ListeningSocketError: Error {
    /// The host is not a numeric IPv4/IPv6 address or `localhost`.
    case invalidAddress
    /// `socket()` failed (usually the file descriptor limit).
    case socketFailed(errno: Int32)
    /// Another socket already listens on the address.
    case portInUse
    /// `bind()` or `listen()` failed for another reason.
    case bindFailed(errno: Int32)
}
