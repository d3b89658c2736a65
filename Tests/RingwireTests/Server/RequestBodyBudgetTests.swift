import XCTest

@testable import Ringwire

/// Request bodies in progress share the worker's `MessageBufferBudget` with WebSocket messages.
final class RequestBodyBudgetTests: XCTestCase {
    func testTheRequestWhoseBodyWouldPassTheBudgetGets503AndTheOtherIsServed() throws {
        var listener = Listener(name: "http", port: 0)
        listener.http.limits.maxBodySize = 4 << 20
        listener.post("/upload") { request in HTTPResponse(text: "\(request.body.count)") }
        let server = try TestServer(workers: 1, listeners: [listener]) { $0.messageBufferBudgetPerWorker = 1 << 20 }

        let length = 900 * 1024
        let head = "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: \(length)\r\n\r\n"
        let clients = try (0..<2).map { _ in try TestSocket(port: server.port("http"), timeout: 10) }
        for client in clients { try client.send(Array(head.utf8) + [UInt8](repeating: 0x61, count: 600 * 1024)) }
        // Both partial bodies do not fit together: whichever the server read second is answered 503
        // and closed, with no more bytes sent. The other then finishes its body and is served.
        var descriptors = clients.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        XCTAssertEqual(poll(&descriptors, 2, 10_000), 1, "exactly one request answered before its body is complete")
        guard let rejected = descriptors.firstIndex(where: { $0.revents != 0 }) else { return }
        XCTAssertEqual(try clients[rejected].readResponse().status, 503)
        let served = clients[1 - rejected]
        try served.send([UInt8](repeating: 0x61, count: length - 600 * 1024))
        XCTAssertEqual(try served.readResponse().text, "\(length)")

        // Both bodies' charges are gone: a full-size request fits again.
        let again = try TestSocket(port: server.port("http"))
        try again.send(Array(head.utf8) + [UInt8](repeating: 0x62, count: length))
        XCTAssertEqual(try again.readResponse().text, "\(length)")
    }
}
