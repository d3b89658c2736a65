import Foundation
import Ringwire
import Synchronization
import XCTest

/// What `onClose` reported, across connections and workers.
final class InteropCloseLog: Sendable {
    private let entries = Mutex<[(code: UInt16?, reason: String)]>([])

    func record(_ code: WebSocketCloseCode?, _ reason: String) {
        entries.withLock { $0.append((code?.rawValue, reason)) }
    }

    var all: [(code: UInt16?, reason: String)] { entries.withLock { $0 } }
}

/// Echoes messages; "close <code> <reason>" closes from the server side; records every close.
struct InteropCloseHandler: WebSocketHandler {
    let log: InteropCloseLog

    func onMessage(_ socket: borrowing WebSocket<InteropCloseHandler>, _ message: borrowing WebSocketMessage) {
        let words = message.text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        if message.kind == .text, words.count == 3, words[0] == "close", let code = UInt16(words[1]) {
            socket.close(code: WebSocketCloseCode(rawValue: code), reason: String(words[2]))
        } else {
            socket.send(textBytes: message.bytes)
        }
    }

    func onClose(_ socket: borrowing WebSocket<InteropCloseHandler>, code: WebSocketCloseCode?, reason: String) {
        log.record(code, reason)
    }
}

/// Close handshakes both ways and the close code of every protocol violation
/// (Tests/Interop/close_codes.py).
final class InteropCloseTests: XCTestCase {
    private var server: TestServer!
    private let log = InteropCloseLog()

    override func setUpWithError() throws {
        try InteropScript.requireClient()
        let log = log
        server = try TestServer(listeners: [.interop { $0.webSocket("/close", InteropCloseHandler(log: log)) }])
    }

    override func tearDown() {
        server?.stop()
        server = nil
    }

    private func run(_ scenario: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try InteropScript.run("close_codes", scenario, port: server.port("ws"), file: file, line: line)
    }

    func testClientCloseCodesAreEchoed() throws {
        try run("client_close_codes")
        let closes = log.all
        XCTAssertEqual(closes.map(\.code), [1000, 3000, 4999])
        XCTAssertEqual(closes.map(\.reason), ["client 1000", "client 3000", "client 4999"])
    }

    func testServerCloseReachesClient() throws {
        try run("server_close")
        // The handler hears the client's answer to its close.
        XCTAssertEqual(log.all.map(\.code), [4001])
    }

    func testServerCloseReasonIsCutAtCharacterBoundary() throws { try run("server_close_long_reason") }

    func testServerCloseFrameBytes() throws { try run("server_close_raw") }

    func testCloseWithoutCodeIsAnsweredEmpty() throws {
        try run("close_without_code")
        XCTAssertEqual(log.all.map(\.code), [nil])
    }

    func testDataAfterCloseIsIgnored() throws { try run("data_after_close_is_ignored") }

    func testUnmaskedFrameCloses1002() throws { try run("unmasked_frame") }
    func testReservedOpcode3Closes1002() throws { try run("reserved_opcode_3") }
    func testReservedOpcode11Closes1002() throws { try run("reserved_opcode_11") }
    func testRSV1WithoutExtensionCloses1002() throws { try run("reserved_bit_without_extension") }
    func testRSV2Closes1002() throws { try run("rsv2") }
    func testInvalidUTF8TextCloses1007() throws { try run("invalid_utf8_text") }
    func testOverlongUTF8TextCloses1007() throws { try run("overlong_utf8_text") }
    func testSurrogateUTF8TextCloses1007() throws { try run("surrogate_utf8_text") }
    func testTruncatedUTF8TextCloses1007() throws { try run("truncated_utf8_text") }
    func testCloseCode1005Closes1002() throws { try run("close_code_1005") }
    func testCloseCode1006Closes1002() throws { try run("close_code_1006") }
    func testCloseCode999Closes1002() throws { try run("close_code_999") }
    func testCloseCode1016Closes1002() throws { try run("close_code_1016") }
    func testCloseCode5000Closes1002() throws { try run("close_code_5000") }
    func testOneByteClosePayloadCloses1002() throws { try run("close_one_byte") }
    func testInvalidUTF8CloseReasonCloses1007() throws { try run("close_invalid_utf8_reason") }
    func testOversizedPingCloses1002() throws { try run("oversized_ping") }
    func testOversizedCloseCloses1002() throws { try run("oversized_close") }
}
