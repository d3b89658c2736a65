import Foundation
import Glibc
import XCTest

@testable import Ringwire

/// `distribution: .acceptor` under a burst of concurrent connections.
final class AcceptorDistributionTests: XCTestCase {
    func testFiveHundredConcurrentConnectionsAreServedAndBalanced() throws {
        var listener = Listener(name: "http", port: 0)
        listener.get("/rooms/:id") { request in HTTPResponse(text: "room \(request.parameter("id") ?? "?")") }
        let server = try TestServer(workers: 2, distribution: .acceptor, listeners: [listener])
        let port = server.port("http")
        let threads = 10
        let perThread = 50
        // Every client thread connects its share at the same time as the others, checks its answers,
        // then keeps its connections open until the counts have been read.
        let served = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let (failures, timedOut) = ConcurrentClients.start(threads) { thread in
            var clients: [TestSocket] = []
            defer {
                served.signal()
                release.wait()
                withExtendedLifetime(clients) {}
            }
            for _ in 0..<perThread { clients.append(try TestSocket(port: port, timeout: 10)) }
            for (index, client) in clients.enumerated() {
                try client.send("GET /rooms/\(thread * perThread + index) HTTP/1.1\r\nHost: x\r\n\r\n")
            }
            for (index, client) in clients.enumerated() {
                let text = try client.readResponse().text
                guard text == "room \(thread * perThread + index)" else {
                    throw TestFailure("connection \(thread * perThread + index) got '\(text)'")
                }
            }
        }
        var allServed = true
        for _ in 0..<threads where served.wait(timeout: .now() + 30) == .timedOut { allServed = false }
        let counts = server.server.connectionCounts()
        for _ in 0..<threads { release.signal() }
        XCTAssertTrue(allServed, "some client threads did not finish within 30 s")
        XCTAssertFalse(timedOut(), "some client threads did not end")
        XCTAssertEqual(failures(), [:])
        XCTAssertEqual(counts.reduce(0, +), threads * perThread, "\(counts)")
        XCTAssertLessThanOrEqual(abs((counts.first ?? 0) - (counts.last ?? 0)), 2, "\(counts)")
    }
}
