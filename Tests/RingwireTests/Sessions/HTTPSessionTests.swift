import RingwireTestSupport
import XCTest

@testable import Ringwire

/// The HTTP session on the embedded harness: 100-continue, graceful shutdown, closing on request.
final class HTTPSessionTests: XCTestCase {
    private func connection() -> InMemoryConnection {
        var listener = Listener(name: "http", port: 0)
        listener.get("/hello") { _ in HTTPResponse(text: "hello") }
        listener.post("/echo") { request in HTTPResponse(body: request.body) }
        return InMemoryConnection(serving: listener)
    }

    func testExpectContinueIsAnsweredBeforeTheBody() {
        let connection = connection()
        connection.feed("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n")
        XCTAssertEqual(connection.takeResponses().map(\.status), [100])
        connection.feed("abc")
        XCTAssertEqual(connection.takeResponses().map(\.text), ["abc"])
    }

    func testExpectContinueOfHTTP10IsNotAnswered() {
        let connection = connection()
        connection.feed("POST /echo HTTP/1.0\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n")
        XCTAssertEqual(connection.takeWritten(), [])
    }

    /// A shutdown during a request lets it finish, answers with `Connection: close`, then closes.
    func testShutdownClosesAfterTheResponseInFlight() {
        let connection = connection()
        connection.feed("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab")
        connection.shutdownRequested()
        XCTAssertTrue(connection.isOpen)
        connection.feed("cd")
        let responses = connection.takeResponses()
        XCTAssertEqual(responses.map(\.text), ["abcd"])
        XCTAssertEqual(responses.first?.header("connection"), "close")
        connection.drain()
        XCTAssertEqual(connection.state, .closedAfterFlush)
    }

    func testShutdownClosesAnIdleConnectionAtOnce() {
        let connection = connection()
        connection.feed("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        connection.drain()
        connection.shutdownRequested()
        XCTAssertEqual(connection.state, .closedAfterFlush)
    }

    func testConnectionCloseIsHonoured() {
        let connection = connection()
        connection.feed("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        let responses = connection.takeResponses()
        XCTAssertEqual(responses.map(\.text), ["hello"], "a request after Connection: close was served")
        XCTAssertEqual(responses.first?.header("connection"), "close")
        connection.drain()
        XCTAssertEqual(connection.state, .closedAfterFlush)
    }
}
