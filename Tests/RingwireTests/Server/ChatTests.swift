import Foundation
import XCTest

/// The `ringwire` binary's chat room, with independent clients: Python `websockets` for the JSON
/// protocol, and two headless Chromium pages for the page itself.
final class ChatTests: XCTestCase {
    private func startBinary() throws -> (RingwireProcess, Int) {
        let process = try RingwireProcess(["--workers", "4", "--host", "127.0.0.1", "--http-port", "0", "--ws-port", "0"])
        let ports = try process.waitForPorts()
        return (process, try XCTUnwrap(ports["http"]))
    }

    func testChatProtocolRelaysToEveryMemberOnEveryWorker() throws {
        let (process, port) = try startBinary()
        defer { process.send(signal: SIGTERM) }
        try InteropScript.run("chat", "relay_and_presence", port: port)
    }

    func testBadChatInputGetsErrorEvents() throws {
        let (process, port) = try startBinary()
        defer { process.send(signal: SIGTERM) }
        try InteropScript.run("chat", "bad_input_gets_error_events", port: port)
    }

    func testHostileNamesAreRefused() throws {
        let (process, port) = try startBinary()
        defer { process.send(signal: SIGTERM) }
        try InteropScript.run("chat", "hostile_names_are_refused", port: port)
    }

    func testJSONEscapesRoundTrip() throws {
        let (process, port) = try startBinary()
        defer { process.send(signal: SIGTERM) }
        try InteropScript.run("chat", "escapes_round_trip", port: port)
    }

    func testTwoBrowserPagesChat() throws {
        for path in ["/usr/bin/chromium", "/usr/bin/chromedriver"] where !FileManager.default.isExecutableFile(atPath: path) {
            throw missingClient("\(path) is missing (scripts/install-dependencies installs chromium and chromium-driver)")
        }
        try InteropScript.requireModule("selenium")
        let (process, port) = try startBinary()
        defer { process.send(signal: SIGTERM) }
        try InteropScript.run("chat_browser", "two_pages_talk", port: port, timeout: 90)
    }
}
