// In this target the socket constants (SOCK_STREAM...) can come from CURing's header, which includes
// <sys/socket.h> under liburing's feature macros: without this import the sanitizer builds did not
// find them (every other transport file that uses them imports CURing too).
internal import CURing
import Glibc

/// A connect the kernel is working on: the socket, the address it reads until the completion, and
/// what to do with the outcome. A class so its address has a fixed place in memory.
final class PendingConnect {
    let fd: Int32
    /// Read by the kernel until the connect completes: freed only with this object, which the
    /// worker keeps until then.
    let address: UnsafeMutablePointer<sockaddr_storage>
    let length: socklen_t
    let makeSession: (Connection) -> any ConnectionSession
    let onFailure: (OutboundConnectError) -> Void

    init(
        fd: Int32, address: PeerAddress, makeSession: @escaping (Connection) -> any ConnectionSession,
        onFailure: @escaping (OutboundConnectError) -> Void
    ) {
        self.fd = fd
        self.address = .allocate(capacity: 1)
        self.address.initialize(to: address.storage)
        length = address.length
        self.makeSession = makeSession
        self.onFailure = onFailure
    }

    deinit { address.deallocate() }

    /// The address as `connect(2)` takes it.
    var socketAddress: UnsafePointer<sockaddr> {
        UnsafeRawPointer(address).assumingMemoryBound(to: sockaddr.self)
    }
}

/// Outbound connections (to Redis, say): a socket of our own, connected through the ring, then
/// served like an accepted one (recv armed, session started) but never counted as client load.
///
/// Graceful stop: they are not offered `shutdownRequested` (that is a client's 1001 close); new
/// connects are refused and pending ones cancelled; they stay open while client connections drain,
/// since those may still need them, and are closed once no client connection is left (or at the
/// grace deadline, with everything else).
extension Worker {
    /// Connects to `address` without blocking this thread: a non-blocking `SOCK_STREAM` socket with
    /// `TCP_NODELAY` (commands are small and waited for). On success the connection gets the session
    /// `makeSession` builds, started as an accepted one's is; on failure `onFailure` hears why, on
    /// this worker's thread — before this returns when the socket cannot even be made.
    package func connect(
        to address: PeerAddress, makeSession: @escaping (Connection) -> any ConnectionSession,
        onFailure: @escaping (OutboundConnectError) -> Void
    ) {
        assertConfined()
        guard case .running = state else {
            onFailure(.stopping)
            return
        }
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            onFailure(.socketFailed(errno: errno))
            return
        }
        var enabled: Int32 = 1
        guard setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &enabled, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            let error = errno
            Glibc.close(fd)
            onFailure(.socketFailed(errno: error))
            return
        }
        nextConnectID &+= 1
        let id = nextConnectID
        let pending = PendingConnect(fd: fd, address: address, makeSession: makeSession, onFailure: onFailure)
        pendingConnects[id] = pending
        ring.connect(fd: fd, address: pending.socketAddress, length: pending.length, tag: connectTag(id))
    }

    /// The tag of pending connect `id` (its low 24 bits as the slot, all of it as the generation).
    private func connectTag(_ id: UInt32) -> OperationTag {
        OperationTag(.connect, slot: id & 0xFF_FFFF, generation: id)
    }

    func handleConnect(_ completion: borrowing Completion, tag: OperationTag) {
        guard let pending = pendingConnects.removeValue(forKey: tag.generation) else { return }
        let result = completion.result
        guard result == 0 else {
            Glibc.close(pending.fd)
            pending.onFailure(-result == ECANCELED ? .stopping : .connectFailed(errno: -result))
            return
        }
        guard case .running = state else {
            Glibc.close(pending.fd)
            pending.onFailure(.stopping)
            return
        }
        guard let connection = table.insert(fd: pending.fd, worker: self) else {
            Glibc.close(pending.fd)
            pending.onFailure(.tableFull)
            return
        }
        connection.isOutbound = true
        outboundCount += 1
        serve(connection, with: pending.makeSession)
    }

    /// Graceful stop: connects still under way complete with `-ECANCELED` (reported as `.stopping`).
    func cancelPendingConnects() {
        for id in pendingConnects.keys { ring.cancel(connectTag(id), tag: OperationTag(.cancel)) }
    }

    /// Graceful stop: closes the outbound connections once no client connection is left.
    func closeOutboundIfClientsGone() {
        guard outboundCount > 0, table.count == outboundCount else { return }
        let current = table
        current.forEach { if $0.isOutbound { close($0) } }
    }
}
