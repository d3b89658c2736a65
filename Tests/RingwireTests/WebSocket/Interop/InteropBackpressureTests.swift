import Foundation
import Ringwire
import Synchronization
import XCTest

/// What the flood handler saw, for the test to check after the script ends.
final class InteropFloodLog: Sendable {
    struct Flood {
        var queued = 0
        var queuedOverLimit = 0
        var dropped = false
        var residentBefore = 0
        var residentAfter = 0
    }

    private let state = Mutex<(floods: [Flood], drains: Int)>(([], 0))

    func record(_ flood: Flood) { state.withLock { $0.floods.append(flood) } }
    func recordDrain() { state.withLock { $0.drains += 1 } }
    var floods: [Flood] { state.withLock { $0.floods } }
    var drains: Int { state.withLock { $0.drains } }
}

/// On "flood", sends 64 KiB messages (at most 4,000: 256 MiB) until `send` refuses one; says
/// "drained" from `onDrain`.
struct InteropFloodHandler: WebSocketHandler {
    let log: InteropFloodLog

    func onMessage(_ socket: WebSocket<InteropFloodHandler>, _ message: WebSocketMessage) {
        guard message.text == "flood" else { return }
        var flood = InteropFloodLog.Flood(residentBefore: residentBytes())
        let chunk = [UInt8](repeating: 0x2A, count: 64 * 1024)
        sending: for _ in 0..<4000 {
            switch socket.send(binary: chunk) {
            case .queued: flood.queued += 1
            case .queuedOverLimit: flood.queuedOverLimit += 1
            case .dropped:
                flood.dropped = true
                break sending
            }
        }
        flood.residentAfter = residentBytes()
        log.record(flood)
    }

    func onDrain(_ socket: WebSocket<InteropFloodHandler>) {
        log.recordDrain()
        socket.send(text: "drained")
    }
}

/// This process's resident set size (VmRSS): the server runs in the test process.
private func residentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
    else { return 0 }
    return kilobytes * 1024
}

/// A client that stops reading costs the server a bounded amount of memory
/// (Tests/Interop/backpressure.py).
final class InteropBackpressureTests: XCTestCase {
    private var server: TestServer!
    private let log = InteropFloodLog()

    override func setUpWithError() throws {
        try InteropScript.requireClient()
        var drop = WebSocketConfiguration()
        drop.maxBackpressure = 1024 * 1024
        drop.backpressurePolicy = .dropNewMessages
        var close = WebSocketConfiguration()
        close.maxBackpressure = 1024 * 1024
        XCTAssertEqual(close.backpressurePolicy, .close(.policyViolation), "the default policy")
        let log = log
        server = try TestServer(listeners: [.interop { listener in
            listener.webSocket("/drop", configuration: drop, InteropFloodHandler(log: log))
            listener.webSocket("/close", configuration: close, InteropFloodHandler(log: log))
        }])
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
        let floods = log.floods
        XCTAssertEqual(floods.count, 2)
        for flood in floods {
            XCTAssertTrue(flood.dropped, "send never refused a message: \(flood)")
            XCTAssertEqual(flood.queuedOverLimit, 1, "\(flood)")
            XCTAssertLessThan(flood.queued + flood.queuedOverLimit, 400, "\(flood)")
            XCTAssertLessThan(flood.residentAfter - flood.residentBefore, 64 * 1024 * 1024, "\(flood)")
        }
        XCTAssertEqual(log.drains, 2)
    }

    func testClosePolicyCloses1008() throws {
        try run("close_policy")
        let floods = log.floods
        XCTAssertEqual(floods.count, 1)
        XCTAssertEqual(floods.first?.dropped, true)
        XCTAssertLessThan((floods.first?.residentAfter ?? 0) - (floods.first?.residentBefore ?? 0), 64 * 1024 * 1024)
        XCTAssertEqual(log.drains, 0, "a closed connection does not drain")
    }
}
