import Glibc

/// Where an outbound connection goes: an IPv4 or IPv6 socket address, held by value so a pending
/// connect can keep its own copy for the kernel to read until the completion.
///
/// Built from numeric hosts only: resolving a name blocks, so it is not something a worker thread
/// may do; a caller with a host name resolves it before (at startup, off the workers).
package struct PeerAddress: Sendable, CustomStringConvertible {
    /// `sockaddr_in` or `sockaddr_in6`, in a storage large enough for either.
    package let storage: sockaddr_storage
    /// How many bytes of `storage` the address uses.
    package let length: socklen_t
    package let description: String

    /// The address of `host` (an IPv4 dotted quad or an IPv6 literal, brackets optional) at
    /// `port`; nil when `host` is not numeric.
    package init?(numericHost host: String, port: UInt16) {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var storage = sockaddr_storage()
        var ipv4 = sockaddr_in()
        var ipv6 = sockaddr_in6()
        if inet_pton(AF_INET, bare, &ipv4.sin_addr) == 1 {
            ipv4.sin_family = sa_family_t(AF_INET)
            ipv4.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: ipv4, as: sockaddr_in.self) }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            description = "\(bare):\(port)"
        } else if inet_pton(AF_INET6, bare, &ipv6.sin6_addr) == 1 {
            ipv6.sin6_family = sa_family_t(AF_INET6)
            ipv6.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: ipv6, as: sockaddr_in6.self) }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            description = "[\(bare)]:\(port)"
        } else {
            return nil
        }
        self.storage = storage
    }

    /// The address family, for `socket(2)`.
    package var family: Int32 { Int32(storage.ss_family) }
}
