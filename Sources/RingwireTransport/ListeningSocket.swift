internal import CURing
import Glibc

/// A bound, listening TCP socket, created on the thread that starts the server so that bind errors
/// (port in use, bad address) surface from `Server.start()`, which names the listener.
package struct ListeningSocket: Sendable {
    package let fd: Int32
    package let port: Int

    /// Opens `count` sockets on `host:port` (port 0 picks a free one). With `reusePort`, they share
    /// the port and the kernel spreads new connections over them (one per worker).
    ///
    /// `SO_REUSEPORT` would also let us join a port another process of the same user already
    /// serves, silently splitting its traffic; so the port is first claimed by a probe socket without
    /// it, which fails with EADDRINUSE if anyone is there, and which also resolves port 0.
    package static func openGroup(host: String, port: Int, count: Int, reusePort: Bool, backlog: Int32) throws(ListeningSocketError)
        -> [ListeningSocket]
    {
        var port = port
        if reusePort {
            let probe = try open(host: host, port: port, reusePort: false, backlog: nil)
            port = probe.port
            Glibc.close(probe.fd)
        }
        var sockets: [ListeningSocket] = []
        do {
            for _ in 0..<count {
                let socket = try open(host: host, port: port, reusePort: reusePort, backlog: backlog)
                port = socket.port
                sockets.append(socket)
            }
        } catch {
            for socket in sockets { Glibc.close(socket.fd) }
            throw error
        }
        return sockets
    }

    /// Binds one socket, and listens unless `backlog` is nil.
    private static func open(host: String, port: Int, reusePort: Bool, backlog: Int32?) throws(ListeningSocketError) -> ListeningSocket {
        guard var address = SocketAddress(host: host, port: port) else {
            throw .invalidAddress
        }
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .socketFailed(errno: errno) }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        if reusePort {
            setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, socklen_t(MemoryLayout<Int32>.size))
        }
        // Accepted sockets inherit TCP_NODELAY from the listener: small frames leave at once.
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        let bound = address.withSockAddr { bind(fd, $0, $1) }
        guard bound == 0 else {
            let code = errno
            close(fd)
            if code == EADDRINUSE { throw .portInUse }
            throw .bindFailed(errno: code)
        }
        guard let backlog else { return ListeningSocket(fd: fd, port: boundPort(fd) ?? port) }
        guard Glibc.listen(fd, backlog) == 0 else {
            let code = errno
            close(fd)
            if code == EADDRINUSE { throw .portInUse }
            throw .bindFailed(errno: code)
        }
        return ListeningSocket(fd: fd, port: boundPort(fd) ?? port)
    }

    private static func boundPort(_ fd: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { return nil }
        return SocketAddress(storage: storage)?.port
    }
}

/// An IPv4 or IPv6 socket address parsed from a numeric host (or `localhost`).
struct SocketAddress {
    private var storage = sockaddr_storage()
    let family: Int32

    package init?(host: String, port: Int) {
        guard (0...65535).contains(port) else { return nil }
        let name = host == "localhost" ? "127.0.0.1" : host
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, name, &v4) == 1 {
            family = AF_INET
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr = v4
            withUnsafeMutableBytes(of: &storage) { raw in withUnsafeBytes(of: address) { raw.copyMemory(from: $0) } }
        } else if inet_pton(AF_INET6, name, &v6) == 1 {
            family = AF_INET6
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            address.sin6_addr = v6
            withUnsafeMutableBytes(of: &storage) { raw in withUnsafeBytes(of: address) { raw.copyMemory(from: $0) } }
        } else {
            return nil
        }
    }

    package init?(storage: sockaddr_storage) {
        self.storage = storage
        family = Int32(storage.ss_family)
        guard family == AF_INET || family == AF_INET6 else { return nil }
    }

    /// The port in host byte order.
    package var port: Int {
        withUnsafeBytes(of: storage) { raw in
            // sin_port and sin6_port sit at the same offset, right after the family.
            Int(UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self)))
        }
    }

    mutating func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }
}
