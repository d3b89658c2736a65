import Foundation
import Ringwire
import Synchronization
import XCTest

/// What the flood handler saw, for the test to check after the script ends.
final class InteropFloodLog: Sendable {
    /// The handler's view while the client was stalled (on its "measure" message).
    struct Stall {
        var sent = 0
        var bufferedAmount = 0
        var residentGrowth = 0
    }

    struct Counts {
        var queuedOverLimit = 0
        var dropped = 0
        var drains = 0
        var stall: Stall?
        var finished = false
        var residentAtStart = 0
    }

    private let counts = Mutex(Counts())

    func update(_ body: (inout Counts) -> Void) { counts.withLock { body(&$0) } }
    var current: Counts { counts.withLock { $0 } }
}

/// Sends 4,000 numbered 64 KiB messages on "flood", each burst until `send` refuses one (which is
/// sent again later), resuming from `onDrain`; "drained" after the last one.
struct InteropFloodHandler: WebSocketHandler {
    static let total = 4000
    let log: InteropFloodLog

    struct Flood {
        var next = 0
        var active = false
    }

    func upgrade(_ request: WebSocketUpgradeRequest) -> WebSocketUpgradeDecision<Flood> { .accept(Flood()) }

    func onMessage(_ socket: borrowing WebSocket<InteropFloodHandler>, _ message: borrowing WebSocketMessage) {
        switch message.text {
        case "flood":
            let resident = residentBytes()
            log.update { $0.residentAtStart = resident }
            socket.state.active = true
            pump(socket)
        case "measure":
            let stall = InteropFloodLog.Stall(
                sent: socket.state.next, bufferedAmount: socket.bufferedAmount,
                residentGrowth: residentBytes() - log.current.residentAtStart)
            log.update { $0.stall = stall }
        default:
            break
        }
    }

    func onDrain(_ socket: borrowing WebSocket<InteropFloodHandler>) {
        log.update { $0.drains += 1 }
        guard socket.state.active else { return }
        if socket.state.next == Self.total {
            socket.state.active = false
            log.update { $0.finished = true }
            socket.send(text: "drained")
        } else {
            pump(socket)
        }
    }

    /// Sends until `send` refuses a message or all are sent; bounded by the total.
    private func pump(_ socket: borrowing WebSocket<InteropFloodHandler>) {
        var chunk = [UInt8](repeating: 0x2A, count: 64 * 1024)
        while socket.state.next < Self.total {
            withUnsafeBytes(of: UInt32(socket.state.next).bigEndian) { chunk.replaceSubrange(0..<4, with: $0) }
            switch socket.send(binary: chunk) {
            case .queued:
                socket.state.next += 1
            case .queuedOverLimit:
                socket.state.next += 1
                log.update { $0.queuedOverLimit += 1 }
            case .dropped:
                log.update { $0.dropped += 1 }
                return
            }
        }
    }
}

/// A client that stops reading costs the server a bounded amount of memory
/// (Tests/Interop/backpressure.py).
final class InteropBackpressureTests: XCTestCase {
    private var server: TestServer!
    private let log = InteropFloodLog()
    private static let maxBackpressure = 1024 * 1024

    override func setUpWithError() throws {
        try InteropScript.requireClient()
        var drop = WebSocketConfiguration()
        drop.maxBackpressure = Self.maxBackpressure
        drop.backpressurePolicy = .dropNewMessages
        var close = WebSocketConfiguration()
        close.maxBackpressure = Self.maxBackpressure
        XCTAssertEqual(close.backpressurePolicy, .close(.policyViolation), "the default policy")
        let log = log
        server = try TestServer(listeners: [
            .interop { listener in
                listener.webSocket("/drop", configuration: drop, InteropFloodHandler(log: log))
                listener.webSocket("/close", configuration: close, InteropFloodHandler(log: log))
            }
        ])
    }

    override func tearDown() {
        server?.stop()
        server = nil
    }

    private func run(_ scenario: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try InteropScript.run("backpressure", scenario, port: server.port("ws"), file: file, line: line)
    }

    func testDropNewMessagesBoundsMemoryAndDrains() throws {
        try run("drop_then_drain")
        let counts = log.current
        let stall = try XCTUnwrap(counts.stall, "the handler never saw 'measure'")
        // While the client was stalled: the queue was held over the limit (not emptied, not grown
        // without bound), the flood was paused far short of its 256 MiB, and memory stayed bounded.
        XCTAssertGreaterThan(stall.bufferedAmount, Self.maxBackpressure, "\(counts)")
        XCTAssertLessThan(stall.bufferedAmount, 2 * Self.maxBackpressure, "\(counts)")
        XCTAssertLessThan(stall.sent, 1000, "\(counts)")
        XCTAssertLessThan(stall.residentGrowth, 64 * 1024 * 1024, "\(counts)")
        XCTAssertGreaterThan(counts.queuedOverLimit, 0, "\(counts)")
        XCTAssertGreaterThan(counts.dropped, 0, "\(counts)")
        XCTAssertGreaterThan(counts.drains, 1, "\(counts)")
        XCTAssertTrue(counts.finished, "\(counts)")
    }

    func testClosePolicyCloses1008() throws {
        try run("close_policy")
        let counts = log.current
        XCTAssertEqual(counts.dropped, 1, "\(counts)")
        XCTAssertEqual(counts.drains, 0, "a closed connection does not drain: \(counts)")
        XCTAssertFalse(counts.finished)
    }
}
