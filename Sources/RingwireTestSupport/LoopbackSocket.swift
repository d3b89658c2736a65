import Glibc

/// A TCP socket bound to 127.0.0.1 on a port the kernel picked, listening or not; the caller
/// closes `fd`. Bound but not listening, the port refuses connections and no one else can take it.
package struct LoopbackSocket {
    /// Why the socket could not be made.
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    package let fd: Int32
    package let port: UInt16

    package init(listening: Bool) throws(Failure) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let socketFD = fd
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(socketFD, pointer, length) == 0 && (!listening || listen(socketFD, 8) == 0)
                    && getsockname(socketFD, pointer, &length) == 0
            }
        }
        guard fd >= 0, bound else {
            let error = errno
            if fd >= 0 { close(fd) }
            throw Failure(description: "cannot bind a socket to 127.0.0.1: errno \(error)")
        }
        port = UInt16(bigEndian: address.sin_port)
    }
}
