import CURing
import Glibc
import XCTest

@_spi(RingwireInternal) @testable import RingwireTransport

/// `Ring`'s typed submissions on a real ring: each completes with the tag it was given and the
/// result the operation promises, and nothing is lost when more is submitted than the queues hold.
final class RingTests: XCTestCase {
    /// Submits and waits (10 ms at a time, at most a second) until `count` completions came.
    private func completions(on ring: Ring, count: Int) -> [Completion] {
        var seen: [Completion] = []
        for _ in 0..<100 where seen.count < count {
            ring.submitAndWait(timeoutNanoseconds: 10_000_000)
            ring.drainCompletions { seen.append(Completion(userData: $0.userData, result: $0.result, flags: $0.flags)) }
        }
        return seen
    }

    private func socketPair() throws -> (Int32, Int32) {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw XCTSkip("socketpair failed: errno \(errno)")
        }
        return (pair[0], pair[1])
    }

    func testNopCompletesWithItsTag() throws {
        let ring = try Ring(entries: 8)
        let tag = OperationTag(.ignored, slot: 7, generation: 9)
        ring.nop(tag: tag)
        let done = completions(on: ring, count: 1)
        XCTAssertEqual(done.map(\.userData), [tag.userData])
        XCTAssertEqual(done.first?.result, 0)
    }

    func testReadOnAnEventFDDeliversTheCounter() throws {
        let ring = try Ring(entries: 8)
        let fd = eventfd(0, Int32(EFD_CLOEXEC))
        defer { close(fd) }
        var value: UInt64 = 5
        XCTAssertEqual(write(fd, &value, 8), 8)
        var sink: UInt64 = 0
        let tag = OperationTag(.wakeUp, slot: 3)
        ring.read(fd: fd, into: &sink, count: 8, tag: tag)
        let done = completions(on: ring, count: 1)
        XCTAssertEqual(done.map(\.userData), [tag.userData])
        XCTAssertEqual(done.first?.result, 8)
        XCTAssertEqual(sink, 5)
    }

    func testCloseClosesTheDescriptor() throws {
        let ring = try Ring(entries: 8)
        let fd = eventfd(0, Int32(EFD_CLOEXEC))
        let tag = OperationTag(.close, slot: 1, generation: 2)
        ring.close(fd: fd, tag: tag)
        let done = completions(on: ring, count: 1)
        XCTAssertEqual(done.map(\.userData), [tag.userData])
        XCTAssertEqual(done.first?.result, 0)
        XCTAssertEqual(fcntl(fd, F_GETFD), -1, "the descriptor is gone")
    }

    func testCancelEndsThePendingRequestItNames() throws {
        let ring = try Ring(entries: 8)
        let fd = eventfd(0, Int32(EFD_CLOEXEC))
        defer { close(fd) }
        let sink = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
        defer { sink.deallocate() }
        let readTag = OperationTag(.receive, slot: 4, generation: 1)
        ring.read(fd: fd, into: sink, count: 8, tag: readTag)
        ring.submitAndWait(timeoutNanoseconds: 1_000_000)
        let cancelTag = OperationTag(.cancel, slot: 4)
        ring.cancel(readTag, tag: cancelTag)
        let done = completions(on: ring, count: 2)
        XCTAssertEqual(Set(done.map(\.userData)), [readTag.userData, cancelTag.userData])
        XCTAssertEqual(done.first { $0.userData == readTag.userData }?.result, -ECANCELED)
        XCTAssertEqual(done.first { $0.userData == cancelTag.userData }?.result, 0)
    }

    func testCancelAllEndsEveryRequestOnTheDescriptor() throws {
        let ring = try Ring(entries: 8)
        let fd = eventfd(0, Int32(EFD_CLOEXEC))
        defer { close(fd) }
        let sink = UnsafeMutablePointer<UInt64>.allocate(capacity: 2)
        defer { sink.deallocate() }
        ring.read(fd: fd, into: sink, count: 8, tag: OperationTag(.receive, slot: 1))
        ring.read(fd: fd, into: sink + 1, count: 8, tag: OperationTag(.receive, slot: 2))
        ring.submitAndWait(timeoutNanoseconds: 1_000_000)
        let cancelTag = OperationTag(.cancel)
        ring.cancelAll(fd: fd, tag: cancelTag)
        let done = completions(on: ring, count: 3)
        XCTAssertEqual(done.filter { $0.result == -ECANCELED }.count, 2)
        XCTAssertEqual(done.first { $0.userData == cancelTag.userData }?.result, 2, "two requests cancelled")
    }

    func testMultishotReceiveFillsProvidedBuffersUntilCancelled() throws {
        let ring = try Ring(entries: 8)
        let buffers = try ProvidedBufferRing(on: ring, group: 0, count: 4, size: 64)
        let (ours, peer) = try socketPair()
        defer {
            close(ours)
            close(peer)
        }
        let tag = OperationTag(.receive, slot: 12, generation: 34)
        ring.receiveMultishot(fd: ours, group: buffers.group, tag: tag)
        for text in ["hello", "again"] {
            XCTAssertEqual(Array(text.utf8).withUnsafeBytes { write(peer, $0.baseAddress, $0.count) }, 5)
            let done = completions(on: ring, count: 1)
            XCTAssertEqual(done.count, 1)
            guard let chunk = done.first, let id = chunk.bufferID else { return XCTFail("no buffer") }
            XCTAssertEqual(chunk.userData, tag.userData)
            XCTAssertTrue(chunk.hasMore, "still armed")
            XCTAssertEqual(String(decoding: buffers.bytes(id, length: Int(chunk.result)), as: UTF8.self), text)
            buffers.give(id)
            buffers.publish()
        }
        ring.cancel(tag, tag: OperationTag(.cancel))
        let done = completions(on: ring, count: 2)
        let last = done.first { $0.userData == tag.userData }
        XCTAssertEqual(last?.result, -ECANCELED)
        XCTAssertEqual(last?.hasMore, false)
    }

    func testSendAndSendMessageReachThePeer() throws {
        let ring = try Ring(entries: 8)
        let (ours, peer) = try socketPair()
        defer {
            close(ours)
            close(peer)
        }
        let first: [UInt8] = Array("one".utf8)
        let second: [UInt8] = Array("two".utf8)
        let third: [UInt8] = Array("three".utf8)
        let sendTag = OperationTag(.send, slot: 1)
        let messageTag = OperationTag(.send, slot: 2)
        first.withUnsafeBytes { bytes in
            ring.send(fd: ours, bytes: bytes, flags: Int32(MSG_NOSIGNAL), tag: sendTag)
            XCTAssertEqual(completions(on: ring, count: 1).map(\.result), [3])
            second.withUnsafeBytes { secondBytes in
                third.withUnsafeBytes { thirdBytes in
                    var vectors = [
                        iovec(iov_base: UnsafeMutableRawPointer(mutating: secondBytes.baseAddress), iov_len: 3),
                        iovec(iov_base: UnsafeMutableRawPointer(mutating: thirdBytes.baseAddress), iov_len: 5),
                    ]
                    vectors.withUnsafeMutableBufferPointer { vectorBuffer in
                        let message = UnsafeMutablePointer<msghdr>.allocate(capacity: 1)
                        defer { message.deallocate() }
                        message.initialize(to: msghdr())
                        message.pointee.msg_iov = vectorBuffer.baseAddress
                        message.pointee.msg_iovlen = 2
                        ring.sendMessage(fd: ours, message: message, flags: Int32(MSG_NOSIGNAL), tag: messageTag)
                        let done = completions(on: ring, count: 1)
                        XCTAssertEqual(done.map(\.userData), [messageTag.userData])
                        XCTAssertEqual(done.first?.result, 8)
                    }
                }
            }
        }
        var received = [UInt8](repeating: 0, count: 32)
        let count = received.withUnsafeMutableBytes { recv(peer, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        XCTAssertEqual(String(decoding: received.prefix(max(count, 0)), as: UTF8.self), "onetwothree")
    }

    func testMessageRingPostsTheTagAndValueOnTheTargetAndNothingHereOnSuccess() throws {
        let sender = try Ring(entries: 8)
        let target = try Ring(entries: 8)
        let delivered = OperationTag(.handOff, slot: 5)
        let failed = OperationTag(.handOffFailed, slot: 5)
        sender.messageRing(targetFD: target.fd, result: 42, targetTag: delivered, tag: failed, skipSuccess: true)
        let marker = OperationTag(.ignored, slot: 99)
        sender.nop(tag: marker)
        XCTAssertEqual(completions(on: sender, count: 1).map(\.userData), [marker.userData], "success posts nothing here")
        let done = completions(on: target, count: 1)
        XCTAssertEqual(done.map(\.userData), [delivered.userData])
        XCTAssertEqual(done.first?.result, 42)
    }

    func testMultishotAcceptPostsOneCompletionPerConnection() throws {
        let ring = try Ring(entries: 8)
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 8) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else { throw XCTSkip("cannot listen on 127.0.0.1: errno \(errno)") }
        let tag = OperationTag(.accept, slot: 2)
        ring.acceptMultishot(fd: listener, flags: Int32(SOCK_CLOEXEC.rawValue), tag: tag)
        ring.submitAndWait(timeoutNanoseconds: 1_000_000)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let clients = (0..<2).map { _ in connectToLoopback(port: port) }
        defer { for client in clients where client >= 0 { close(client) } }
        XCTAssertTrue(clients.allSatisfy { $0 >= 0 }, "connect to 127.0.0.1:\(port) failed")
        let done = completions(on: ring, count: 2)
        XCTAssertEqual(done.map(\.userData), [tag.userData, tag.userData])
        XCTAssertTrue(done.allSatisfy { $0.result >= 0 && $0.hasMore })
        for accepted in done where accepted.result >= 0 { close(accepted.result) }
        XCTAssertEqual(clients.count, 2)
    }

    /// Far more submissions than the submission queue (4) and the completion queue (16) hold,
    /// before the first wait: `nextSQE` submits when the queue is full, the kernel keeps what the
    /// completion queue cannot take, and every completion arrives exactly once.
    func testAFullSubmissionQueueLosesNothing() throws {
        let ring = try Ring(entries: 4)
        let submitted = 1000
        for slot in 0..<submitted { ring.nop(tag: OperationTag(.ignored, slot: UInt32(slot))) }
        var seen = [Int](repeating: 0, count: submitted)
        var total = 0
        for _ in 0..<100 where total < submitted {
            ring.submitAndWait(timeoutNanoseconds: 10_000_000)
            ring.drainCompletions { completion in
                guard let tag = OperationTag(userData: completion.userData), completion.result == 0 else { return }
                seen[Int(tag.slot)] += 1
                total += 1
            }
        }
        XCTAssertEqual(total, submitted)
        XCTAssertEqual(seen.filter { $0 != 1 }.count, 0, "each completion exactly once")
    }

    /// Submissions made while completions are being handled (as the worker does) overfill the
    /// submission queue and force a submit mid-drain: nothing is lost, nothing is seen twice.
    func testSubmittingWhileDrainingLosesAndRepeatsNothing() throws {
        let ring = try Ring(entries: 4)
        let rounds = 200
        let spares = 5  // with the next link, more than the 4 entries the queue holds
        ring.nop(tag: OperationTag(.ignored, slot: 0))
        var seen = [Int](repeating: 0, count: rounds + 1)
        var total = 0
        let expected = 1 + rounds * (1 + spares)
        for _ in 0..<1000 where total < expected {
            ring.submitAndWait(timeoutNanoseconds: 10_000_000)
            ring.drainCompletions { completion in
                guard let tag = OperationTag(userData: completion.userData) else { return }
                seen[Int(tag.slot)] += 1
                total += 1
                // Each link of the chain begets the next one and `spares` more.
                let next = Int(tag.slot) + 1
                guard tag.kind == .ignored, next <= rounds else { return }
                ring.nop(tag: OperationTag(.ignored, slot: UInt32(next)))
                for _ in 0..<spares { ring.nop(tag: OperationTag(.mailbox, slot: UInt32(next))) }
            }
        }
        XCTAssertEqual(total, expected)
        XCTAssertEqual(seen[0], 1)
        XCTAssertEqual(seen[1...].filter { $0 != 1 + spares }.count, 0, "each completion exactly once")
    }

    /// What a submit the kernel refuses (EAGAIN/EBUSY) does mid-drain: completions taken out of the
    /// queue early are handled once, after the batch in hand, which stays intact.
    func testCompletionsDeferredWhileDrainingAreHandledOnceAfterTheBatch() throws {
        let ring = try Ring(entries: 4)
        let first = 12, second = 10
        for slot in 0..<first { ring.nop(tag: OperationTag(.ignored, slot: UInt32(slot))) }
        ring.submitAndWait(timeoutNanoseconds: 10_000_000)
        var order: [UInt32] = []
        ring.drainCompletions { completion in
            guard let tag = OperationTag(userData: completion.userData) else { return }
            order.append(tag.slot)
            guard tag.slot == 0 else { return }
            for slot in first..<first + second { ring.nop(tag: OperationTag(.ignored, slot: UInt32(slot))) }
            ring.submitAndWait(timeoutNanoseconds: 10_000_000)
            ring.deferCompletions()
        }
        XCTAssertEqual(order, (0..<UInt32(first + second)).map { $0 }, "each once, the deferred ones after the batch")
    }
}

/// A blocking TCP connection to 127.0.0.1:`port`; the descriptor, or -1.
private func connectToLoopback(port: Int) -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return -1 }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
    if !connected { close(fd) }
    return connected ? fd : -1
}
