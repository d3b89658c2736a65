internal import CURing
import Glibc

/// One listening socket a worker accepts on.
struct AcceptorState {
    package let listenerIndex: Int
    package private(set) var fd: Int32
    package var armed = false
    /// When accepting is paused after EMFILE/ENFILE, the time to try again.
    var retryAt: Int64?

    package init(listenerIndex: Int, fd: Int32) {
        self.listenerIndex = listenerIndex
        self.fd = fd
    }

    mutating func closeSocket() {
        guard fd >= 0 else { return }
        Glibc.close(fd)
        fd = -1
    }
}

/// Accepting connections: multishot accept on the worker's own sockets, or — in acceptor mode — on
/// the shared sockets, handing each connection to the least-loaded worker through `MSG_RING`.
extension Worker {
    /// How long accepting pauses after the process ran out of file descriptors.
    static let acceptRetryMilliseconds: Int64 = 100

    func armAccept(_ position: Int) {
        let acceptor = acceptors[position]
        guard acceptor.fd >= 0, !acceptor.armed else { return }
        ring.acceptMultishot(fd: acceptor.fd, flags: Int32(SOCK_CLOEXEC.rawValue), tag: OperationTag(.accept, slot: UInt32(position)))
        acceptors[position].armed = true
    }

    func handleAccept(_ completion: borrowing Completion, position: Int) {
        if !completion.hasMore { acceptors[position].armed = false }
        let result = completion.result
        if result >= 0 {
            dispatch(fd: result, listenerIndex: acceptors[position].listenerIndex)
        } else {
            switch -result {
            case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                log(
                    .acceptFailed, .error,
                    "worker \(index): cannot accept on listener \(acceptors[position].listenerIndex): \(String(cString: strerror(-result))); retrying in \(Self.acceptRetryMilliseconds) ms (raise `ulimit -n`?)"
                )
                acceptors[position].retryAt = now + Self.acceptRetryMilliseconds
                return
            case ECANCELED, EBADF:
                return
            case EINVAL where acceptors[position].fd < 0:
                return
            case EINVAL:
                logger.critical("worker \(index): multishot accept is not supported by this kernel (needs Linux 5.19)")
                return
            default:
                // ECONNABORTED and friends concern one connection only.
                logger.debug("worker \(index): accept failed: \(String(cString: strerror(-result)))")
            }
        }
        if !acceptors[position].armed, case .running = state { armAccept(position) }
    }

    /// Keeps the connection here, or (acceptor mode) passes it to the least-loaded worker.
    private func dispatch(fd: Int32, listenerIndex: Int) {
        guard settings.role == .acceptor, directory.count > 1 else {
            handle.load.add(1, ordering: .relaxed)
            adopt(fd: fd, listenerIndex: listenerIndex)
            return
        }
        var target = directory[0]
        var lowest = Int.max
        for candidate in directory {
            let load = candidate.load.load(ordering: .relaxed)
            if load < lowest {
                lowest = load
                target = candidate
            }
        }
        // Count it now so the next pick already sees it, before the target has adopted it.
        target.load.add(1, ordering: .relaxed)
        if target === handle {
            adopt(fd: fd, listenerIndex: listenerIndex)
            return
        }
        // The fd table is shared by all threads of the process, so the socket's number is all the
        // target needs: it arrives as the `res` of an IORING_MSG_DATA completion on the target ring.
        let failureTag = OperationTag(
            .handOffFailed, slot: UInt32(fd), generation: UInt32(listenerIndex) | UInt32(target.index) << 16)
        ring.messageRing(
            targetFD: target.ringFD.load(ordering: .acquiring), result: UInt32(fd),
            targetTag: OperationTag(.handOff, slot: UInt32(listenerIndex)), tag: failureTag, skipSuccess: true)
    }

    /// A connection handed over by the acceptor (already counted in our load).
    func adoptHandedOff(fd: Int32, listenerIndex: Int) {
        guard fd >= 0 else { return }
        adopt(fd: fd, listenerIndex: listenerIndex)
    }

    /// The target ring could not take the message (e.g. it has stopped): serve the connection here.
    func handOffFailed(fd: Int32, listenerIndex: Int, target: Int, error: Int32) {
        directory[target].load.subtract(1, ordering: .relaxed)
        logger.debug("worker \(index): hand-off failed (\(String(cString: strerror(-error)))); serving the connection here")
        handle.load.add(1, ordering: .relaxed)
        adopt(fd: fd, listenerIndex: listenerIndex)
    }

    func stopAccepting() {
        for position in acceptors.indices {
            if acceptors[position].armed {
                ring.cancel(OperationTag(.accept, slot: UInt32(position)), tag: OperationTag(.cancel))
            }
            // Closing our socket tells the kernel to stop routing new connections to this worker.
            acceptors[position].closeSocket()
            acceptors[position].retryAt = nil
        }
    }

    func nextAcceptRetry() -> Int64? {
        var earliest: Int64?
        for acceptor in acceptors {
            if let retryAt = acceptor.retryAt { earliest = min(earliest ?? retryAt, retryAt) }
        }
        return earliest
    }

    func retryPausedAccepts() {
        for position in acceptors.indices {
            guard let retryAt = acceptors[position].retryAt, retryAt <= now else { continue }
            acceptors[position].retryAt = nil
            if case .running = state { armAccept(position) }
        }
    }
}
