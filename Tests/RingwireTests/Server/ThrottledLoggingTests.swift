import RingwireTestSupport
import XCTest

@testable import Ringwire
@_spi(RingwireInternal) @testable import RingwireTransport

/// What a client that keeps misbehaving leaves in the server's log.
final class ThrottledLoggingTests: XCTestCase {
    /// The hostile case: a client sending bad requests as fast as it can.
    func testBadRequestsFromOneClientAreLoggedAFewTimes() throws {
        let store = CapturingLogHandler.Store()
        let server = try TestServer(workers: 1, listeners: [Listener(name: "http", port: 0)]) {
            $0.logger = CapturingLogHandler.logger(into: store)
        }
        for _ in 0..<50 {
            let client = try TestSocket(port: server.port("http"))
            try client.send("NOT HTTP\r\n\r\n")
            XCTAssertEqual(try client.readResponse().status, 400)
        }
        XCTAssertEqual(store.messages.filter { $0.text.contains("answered 400") }.count, ThrottledLog.burst)
    }
}
