import Glibc
import RingwireTestSupport
import XCTest

@_spi(RingwireInternal) @testable import RingwireTransport

/// `Ring.connect` on a real ring, with a non-blocking socket as `Worker.connect` makes them: the
/// completion carries the tag, and 0 or the connect's errno.
final class RingConnectTests: XCTestCase {
    /// Connects a fresh non-blocking socket to 127.0.0.1:`port` through `ring`; the completion's result.
    private func connectResult(port: UInt16, tag: OperationTag) throws -> Int32? {
        let ring = try Ring(entries: 8)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        defer { close(fd) }
        let address = try XCTUnwrap(PeerAddress(numericHost: "127.0.0.1", port: port))
        var result: Int32?
        withUnsafePointer(to: address.storage) { storage in
            storage.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                ring.connect(fd: fd, address: $0, length: address.length, tag: tag)
            }
            for _ in 0..<100 where result == nil {
                ring.submitAndWait(timeoutNanoseconds: 10_000_000)
                ring.drainCompletions { completion in
                    XCTAssertEqual(completion.userData, tag.userData)
                    result = completion.result
                }
            }
        }
        return result
    }

    func testConnectToAListeningSocketSucceedsWithItsTag() throws {
        let listener = try LoopbackSocket(listening: true)
        defer { close(listener.fd) }
        XCTAssertEqual(try connectResult(port: listener.port, tag: OperationTag(.connect, slot: 5, generation: 5)), 0)
    }

    func testConnectToAPortNobodyListensOnIsRefused() throws {
        // Bound but not listening: the port stays ours (no other test can take it) and refuses.
        let closed = try LoopbackSocket(listening: false)
        defer { close(closed.fd) }
        XCTAssertEqual(try connectResult(port: closed.port, tag: OperationTag(.connect, slot: 6, generation: 6)), -ECONNREFUSED)
    }

    func testPeerAddressTakesNumericHostsOnly() throws {
        XCTAssertEqual(PeerAddress(numericHost: "127.0.0.1", port: 6379)?.description, "127.0.0.1:6379")
        XCTAssertEqual(PeerAddress(numericHost: "[::1]", port: 6380)?.family, AF_INET6)
        XCTAssertEqual(PeerAddress(numericHost: "::1", port: 6380)?.description, "[::1]:6380")
        XCTAssertNil(PeerAddress(numericHost: "localhost", port: 6379), "names need a resolver, which blocks")
    }
}
