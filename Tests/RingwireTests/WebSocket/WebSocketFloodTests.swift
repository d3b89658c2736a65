import Foundation
import Synchronization
import XCTest
@testable import Ringwire

/// What the flood handlers saw, written on the worker thread and read by the test.
private final class FloodCounters: Sendable {
    let pings = Atomic<Int>(0)
    /// The largest send queue seen right after a ping was answered.
    let largestQueue = Atomic<Int>(0)
    let finished = Atomic<Bool>(false)
}

/// Counts pings (delivered with `deliversPings`) and the send queue they leave behind.
private struct PingCountingHandler: WebSocketHandler {
    let counters: FloodCounters

    func onMessage(_ socket: WebSocket<PingCountingHandler>, _ message: WebSocketMessage) {}

    func onPing(_ socket: WebSocket<PingCountingHandler>, _ payload: UnsafeRawBufferPointer) {
        // One connection, one worker thread: a plain load-compare-store is enough.
        let queued = socket.bufferedAmount
        if queued > counters.largestQueue.load(ordering: .relaxed) { counters.largestQueue.store(queued, ordering: .relaxed) }
        counters.pings.add(1, ordering: .releasing)
    }
}

/// On any message, pings 100,000 times in a row and records what the pings returned.
private struct PingingHandler: WebSocketHandler {
    let counters: FloodCounters

    func onMessage(_ socket: WebSocket<PingingHandler>, _ message: WebSocketMessage) {
        for _ in 0..<100_000 {
            if socket.ping(Array(repeating: 1, count: 100)) == .dropped { counters.pings.add(1, ordering: .relaxed) }
            let queued = socket.bufferedAmount
            if queued > counters.largestQueue.load(ordering: .relaxed) { counters.largestQueue.store(queued, ordering: .relaxed) }
        }
        counters.finished.store(true, ordering: .releasing)
    }
}

/// Clients that send without reading must not grow the server's memory: pongs are coalesced, and a
/// connection over `maxBackpressure` stops being read.
final class WebSocketFloodTests: XCTestCase {
    /// The hostile test that found it: a client that never reads sent pings, and every pong was
    /// queued (RSS grew 1:1 with the flood).
    func testPingFloodFromAClientThatDoesNotReadKeepsOnePongQueued() throws {
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
        XCTAssertLessThan(counters.largestQueue.load(ordering: .relaxed), 1024, "pongs piled up in the send queue")

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

    /// A handler's own pings obey the backpressure policy like messages do.
    func testHandlerPingsObeyTheBackpressurePolicy() throws {
        let counters = FloodCounters()
        var configuration = WebSocketConfiguration()
        configuration.maxBackpressure = 64 * 1024
        configuration.backpressurePolicy = .dropNewMessages
        var listener = Listener(name: "ws", port: 0, kind: .webSocket)
        listener.webSocket("/*", configuration: configuration, PingingHandler(counters: counters))
        let server = try TestServer(workers: 1, listeners: [listener])
        let client = try TestWebSocket(port: server.port("ws"), receiveBufferSize: 4096)
        try client.send(text: "go")
        let deadline = MonotonicClock.now() + 10_000
        while !counters.finished.load(ordering: .acquiring) && MonotonicClock.now() < deadline { usleep(2_000) }
        let dropped = counters.pings.load(ordering: .relaxed)
        XCTAssertGreaterThan(dropped, 0, "no ping was dropped")
        for _ in 0..<(100_000 - dropped) { XCTAssertEqual(try client.readFrame().opcode, 0x9) }
        XCTAssertLessThanOrEqual(counters.largestQueue.load(ordering: .relaxed), 64 * 1024 + 102)
    }
}
