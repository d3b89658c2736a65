import Ringwire
import XCTest

/// The idle timeout closes silent connections, unless pings are on and answered
/// (Tests/Interop/idle.py).
final class InteropIdleTimeoutTests: XCTestCase {
    private var server: TestServer!

    override func setUpWithError() throws {
        try InteropScript.requireClient()
        var silent = WebSocketConfiguration()
        silent.idleTimeout = .milliseconds(500)
        silent.sendsPings = false
        var pinging = silent
        pinging.sendsPings = true
        server = try TestServer(listeners: [
            .interop { listener in
                listener.webSocket("/silent", configuration: silent, InteropEchoHandler())
                listener.webSocket("/pinging", configuration: pinging, InteropEchoHandler())
            }
        ])
    }

    override func tearDown() {
        server?.stop()
        server = nil
    }

    private func run(_ scenario: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try InteropScript.run("idle", scenario, port: server.port("ws"), file: file, line: line)
    }

    func testSilentConnectionClosesWith1001() throws { try run("closes_silent_connection") }
    func testAnsweredPingsKeepConnectionOpen() throws { try run("answered_pings_keep_connection") }
}
