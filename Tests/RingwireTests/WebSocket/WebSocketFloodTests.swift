import Foundation
import Synchronization
import XCTest

@testable import Ringwire
@_spi(RingwireInternal) @testable import RingwireTransport

/// What the flood handler saw, written on the worker thread and read by the test.
private final class FloodCounters: Sendable {
    let pings = Atomic<Int>(0)
    /// The largest send queue seen right after a ping was answered.
    let largestQueue = Atomic<Int>(0)
}

/// Counts pings (delivered with `deliversPings`) and the send queue they leave behind.
private struct PingCountingHandler: WebSocketHandler {
    let counters: FloodCounters

    func onMessage(_ socket: borrowing WebSocket<PingCountingHandler>, _ message: borrowing WebSocketMessage) {}

    func onPing(_ socket: borrowing WebSocket<PingCountingHandler>, _ payload: UnsafeRawBufferPointer) {
        // One connection, one worker thread: a plain load-compare-store is enough.
        let queued = socket.bufferedAmount
        if queued > counters.largestQueue.load(ordering: .relaxed) { counters.largestQueue.store(queued, ordering: .relaxed) }
        counters.pings.add(1, ordering: .releasing)
    }
}

/// Clients that send without reading must not grow the server's memory: pongs are coalesced, over
/// real sockets (the exact rules are harness tests: WebSocketBackpressureTests).
final class WebSocketFloodTests: XCTestCase {
    /// The hostile test that found it: a client that never reads sent pings, and every pong was
    /// queued (RSS grew 1:1 with the flood).
    func testPingFloodFromAClientThatDoesNotReadKeepsAFewPongsQueued() throws {
        let counters = FloodCounters()
        var configuration = WebSocketConfiguration()
        configuration.deliversPings = true
        var listener = Listener(name: "ws", port: 0, kind: .webSocket)
        listener.webSocket("/*", configuration: configuration, PingCountingHandler(counters: counters))
        let server = try TestServer(workers: 1, listeners: [listener])
        let client = try TestWebSocket(port: server.port("ws"), receiveBufferSize: 4096)

        let pingCount = 40_000  // 5 MB of pings: far more than the kernel's socket buffers hold
        func payload(_ index: Int) -> [UInt8] { Array(String(format: "%08d", index).utf8) + [UInt8](repeating: 0x2E, count: 117) }
        var flood: [UInt8] = []
        for index in 0..<pingCount { flood += TestWebSocket.frame(0x9, payload(index)) }
        try client.socket.send(flood)

        let deadline = MonotonicClock.now() + 10_000
        while counters.pings.load(ordering: .acquiring) < pingCount && MonotonicClock.now() < deadline { usleep(2_000) }
        XCTAssertEqual(counters.pings.load(ordering: .acquiring), pingCount)
        XCTAssertLessThanOrEqual(counters.largestQueue.load(ordering: .relaxed), 16 * 127, "pongs piled up in the send queue")

        // Reading now: pongs arrive in ping order, and the last ping is answered.
        var lastIndex = -1
        while lastIndex < pingCount - 1 {
            let frame = try client.readFrame()
            XCTAssertEqual(frame.opcode, 0xA)
            guard let index = Int(String(decoding: frame.payload.prefix(8), as: UTF8.self)) else { return XCTFail("bad pong payload") }
            XCTAssertGreaterThan(index, lastIndex, "a pong answered an older ping after a newer one")
            XCTAssertEqual(frame.payload, payload(index))
            lastIndex = index
        }
    }
}

/// Echoes every message.
private struct PlainEchoHandler: WebSocketHandler {
    func onMessage(_ socket: borrowing WebSocket<PlainEchoHandler>, _ message: borrowing WebSocketMessage) {
        socket.send(binary: message.bytes)
    }
}

/// Partial messages are bounded in sum per worker, and must keep arriving.
final class PartialMessageLimitTests: XCTestCase {
    private func makeServer(budget: Int = 64 << 20, configure: (inout WebSocketConfiguration) -> Void = { _ in }) throws -> TestServer {
        var configuration = WebSocketConfiguration()
        configure(&configuration)
        var listener = Listener(name: "ws", port: 0, kind: .webSocket)
        listener.webSocket("/*", configuration: configuration, PlainEchoHandler())
        return try TestServer(workers: 1, listeners: [listener]) { $0.messageBufferBudgetPerWorker = budget }
    }

    /// Sends a ping and waits for its pong: everything sent before it has been read by the server.
    private func sync(_ client: TestWebSocket) throws {
        try client.send(0x9, Array("sync".utf8))
        XCTAssertEqual(try client.readFrame(), .init(fin: true, rsv1: false, opcode: 0xA, payload: Array("sync".utf8)))
    }

    func testPartialMessagesPastTheWorkerBudgetClose1013AndTheOthersComplete() throws {
        let server = try makeServer(budget: 1536 * 1024)
        let payload = [UInt8](repeating: 0x42, count: 900 * 1024)
        let cut = 700 * 1024
        let opening = TestWebSocket.frame(0x2, Array(payload[..<cut]), fin: false)
        let first = try TestWebSocket(port: server.port("ws"))
        try first.socket.send(opening)
        try sync(first)  // a ping between fragments: the server holds the first 700 KiB now

        // Within its own 16 MiB limit, but the worker's budget is mostly taken.
        let second = try TestWebSocket(port: server.port("ws"))
        try second.socket.send(opening)
        let close = try second.readFrame()
        XCTAssertEqual(close.opcode, 0x8)
        XCTAssertEqual(close.closeCode, 1013)

        try first.send(0x0, Array(payload[cut...]))
        XCTAssertEqual(try first.readFrame().payload, payload)
    }

    func testAConnectionFailedMidMessageGivesItsBufferBackAtOnce() throws {
        let server = try makeServer(budget: 1 << 20) {
            $0.minimumMessageProgress = WebSocketMessageProgress(bytes: 1000, interval: .milliseconds(200))
        }
        let opening = TestWebSocket.frame(0x2, [UInt8](repeating: 3, count: 700 * 1024), fin: false)
        let stalled = try TestWebSocket(port: server.port("ws"))
        try stalled.socket.send(opening)
        XCTAssertEqual(try stalled.readFrame().closeCode, 1008)
        // The stalled client keeps its socket open (the server lingers), but its 700 KiB are free.
        let next = try TestWebSocket(port: server.port("ws"))
        try next.socket.send(opening)
        try sync(next)
        withExtendedLifetime(stalled) {}
    }
}
