import Synchronization
import XCTest

@testable import Ringwire
@_spi(RingwireInternal) @testable import RingwireTransport

/// `start`, `stop` and `wait` from several threads at once.
final class ServerLifecycleTests: XCTestCase {
    private func makeServer() -> Server {
        var listener = Listener(name: "web", host: "127.0.0.1", port: 0)
        listener.get("/health") { _ in HTTPResponse(text: "ok") }
        var configuration = ServerConfiguration(listeners: [listener])
        configuration.workers = 2
        return Server(configuration: configuration)
    }

    func testConcurrentStartsLeaveExactlyOneRunning() throws {
        let server = makeServer()
        let outcomes = Mutex<[String]>([])
        let threads = (0..<4).map { _ in
            Thread {
                do {
                    try server.start()
                    outcomes.withLock { $0.append("started") }
                } catch {
                    outcomes.withLock { $0.append("\(error)") }
                }
            }
        }
        threads.forEach { $0.start() }
        let deadline = MonotonicClock.now() + 10_000
        while outcomes.withLock({ $0.count }) < 4 && MonotonicClock.now() < deadline { usleep(1000) }
        let results = outcomes.withLock { $0 }
        XCTAssertEqual(results.filter { $0 == "started" }.count, 1, "\(results)")
        XCTAssertEqual(results.filter { $0.contains("already started") }.count, 3, "\(results)")
        let port = try XCTUnwrap(server.port(of: "web"))
        let client = try TestSocket(port: port)
        try client.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(try client.readResponse().status, 200)
        server.stop()
        server.wait()
    }

    /// Waiting before the start returns at once and does not keep the server from starting; two
    /// waiters both return once the server has stopped.
    func testWaitBeforeStartAndTwoWaiters() throws {
        let server = makeServer()
        server.wait()
        try server.start()
        let returned = Atomic<Int>(0)
        let waiters = (0..<2).map { _ in
            Thread {
                server.wait()
                returned.add(1, ordering: .relaxed)
            }
        }
        waiters.forEach { $0.start() }
        usleep(100_000)
        XCTAssertEqual(returned.load(ordering: .relaxed), 0, "wait() returned while the server runs")
        server.stop()
        let deadline = MonotonicClock.now() + 10_000
        while returned.load(ordering: .relaxed) < 2 && MonotonicClock.now() < deadline { usleep(1000) }
        XCTAssertEqual(returned.load(ordering: .relaxed), 2)
        XCTAssertNil(server.port(of: "web"))
    }
}
