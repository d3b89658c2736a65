import RingwireTestSupport
import XCTest

@testable import Ringwire

/// HTTP timeouts on the embedded harness: keep-alive, header read (slowloris), body read.
final class HTTPTimeoutTests: XCTestCase {
    private func connection(_ configure: (inout HTTPConfiguration) -> Void) -> InMemoryConnection {
        var listener = Listener(name: "http", port: 0)
        listener.get("/hello") { _ in HTTPResponse(text: "hello") }
        listener.post("/echo") { request in HTTPResponse(body: request.body) }
        configure(&listener.http)
        return InMemoryConnection(serving: listener)
    }

    func testIdleKeepAliveConnectionIsClosedAtTheKeepAliveTimeout() {
        let connection = connection { $0.keepAliveTimeout = .milliseconds(200) }
        connection.feed("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(connection.takeResponses().map(\.status), [200])
        connection.drain()
        connection.advance(by: .milliseconds(199))
        XCTAssertTrue(connection.isOpen, "closed before the keep-alive timeout")
        connection.advance(by: .milliseconds(1))
        XCTAssertEqual(connection.state, .closedAfterFlush)
        XCTAssertEqual(connection.takeWritten(), [], "an idle connection is closed without an answer")
    }

    func testAConnectionThatNeverSendsIsClosedAtTheHeaderTimeout() {
        let connection = connection { $0.headerReadTimeout = .milliseconds(300) }
        connection.advance(by: .milliseconds(299))
        XCTAssertTrue(connection.isOpen)
        connection.advance(by: .milliseconds(1))
        XCTAssertEqual(connection.state, .closedAfterFlush)
    }

    /// A byte every 100 ms does not extend the header timeout, which runs from the head's first byte.
    func testSlowlorisGets408AtTheHeaderTimeout() {
        let connection = connection { $0.headerReadTimeout = .milliseconds(300) }
        connection.advance(by: .milliseconds(50))
        connection.feed("GET /hello HTTP/1.1\r\n")
        for _ in 0..<2 {
            connection.advance(by: .milliseconds(100))
            connection.feed("X")
        }
        connection.advance(by: .milliseconds(99))
        XCTAssertEqual(connection.takeWritten(), [])
        connection.advance(by: .milliseconds(1))
        let responses = connection.takeResponses()
        XCTAssertEqual(responses.map(\.status), [408])
        XCTAssertEqual(responses.first?.header("connection"), "close")
        XCTAssertEqual(connection.state, .closingAfterFlush)
        connection.drain()
        XCTAssertEqual(connection.state, .closedAfterFlush)
        XCTAssertEqual(connection.logged.map(\.kind), [.httpRejected])
    }

    /// Each piece of body restarts the body timeout; silence past it gets 408.
    func testBodyTimeoutRestartsWithEachPieceAndAnswers408() {
        let connection = connection { $0.bodyReadTimeout = .milliseconds(500) }
        connection.feed("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n")
        for _ in 0..<3 {
            connection.advance(by: .milliseconds(400))
            connection.feed("ab")
        }
        connection.advance(by: .milliseconds(499))
        XCTAssertEqual(connection.takeWritten(), [])
        connection.advance(by: .milliseconds(1))
        XCTAssertEqual(connection.takeResponses().map(\.status), [408])
    }

    /// Between requests the keep-alive timeout runs, not the header one.
    func testKeepAliveTimeoutAppliesBetweenRequests() {
        let connection = connection {
            $0.headerReadTimeout = .milliseconds(100)
            $0.keepAliveTimeout = .seconds(5)
        }
        connection.feed("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        connection.advance(by: .milliseconds(4999))
        connection.feed("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(connection.takeResponses().map(\.text), ["hello", "hello"])
        XCTAssertTrue(connection.isOpen)
    }
}
