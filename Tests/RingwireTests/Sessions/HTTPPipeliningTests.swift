import RingwireTestSupport
import XCTest

@testable import Ringwire

/// Pipelined requests on the embedded harness: answered in order, and not read past what a client
/// that does not read its responses has piling up.
final class HTTPPipeliningTests: XCTestCase {
    private func connection(maxBufferedResponseBytes: Int = 1024 * 1024) -> InMemoryConnection {
        var listener = Listener(name: "http", port: 0)
        listener.get("/rooms/:id") { request in HTTPResponse(text: "room \(request.parameter("id") ?? "?")") }
        listener.get("/big/:id") { request in HTTPResponse(text: "\(request.parameter("id") ?? "?")" + String(repeating: ".", count: 600)) }
        listener.http.maxBufferedResponseBytes = maxBufferedResponseBytes
        return InMemoryConnection(serving: listener)
    }

    func testPipelinedRequestsAreAnsweredInOrder() {
        let connection = connection()
        connection.feed((0..<100).map { "GET /rooms/\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined())
        XCTAssertEqual(connection.takeResponses().map(\.text), (0..<100).map { "room \($0)" })
    }

    /// About 700 bytes a response: the second takes the queue over 1 KiB, and reading pauses until
    /// the kernel takes them; the held requests are then served, two at a time.
    func testReadingPausesWhenResponsesPileUpAndResumesOnDrain() {
        let connection = connection(maxBufferedResponseBytes: 1024)
        connection.feed((0..<9).map { "GET /big/\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined())
        var served: [String] = []
        for round in 0..<5 {
            let responses = connection.takeResponses()
            XCTAssertEqual(responses.count, round < 4 ? 2 : 1, "round \(round)")
            XCTAssertEqual(connection.isReadingPaused, round < 4, "round \(round)")
            served += responses.map { String($0.text.prefix { $0 != "." }) }
            connection.drain()
        }
        XCTAssertEqual(served, (0..<9).map(String.init))
        XCTAssertFalse(connection.isReadingPaused)
    }

    /// The peer's EOF while requests are held waits for them to be served.
    func testPeerEOFWhileRequestsAreHeldClosesAfterServingThem() {
        let connection = connection(maxBufferedResponseBytes: 1024)
        connection.feed((0..<3).map { "GET /big/\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined())
        connection.peerFinished()
        XCTAssertTrue(connection.isOpen)
        XCTAssertEqual(connection.takeResponses().count, 2)
        connection.drain()
        XCTAssertEqual(connection.takeResponses().count, 1)
        XCTAssertEqual(connection.state, .closingAfterFlush)
        connection.drain()
        XCTAssertEqual(connection.state, .closedAfterFlush)
    }
}
