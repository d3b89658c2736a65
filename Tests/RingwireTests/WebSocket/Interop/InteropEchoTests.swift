import Ringwire
import XCTest

/// Echo through the `websockets` client at every length encoding, up to and past the size limits
/// (Tests/Interop/echo.py).
final class InteropEchoTests: XCTestCase {
    private var server: TestServer!

    override func setUpWithError() throws {
        try InteropScript.requireClient()
        var small = WebSocketConfiguration()
        small.limits = WebSocketReaderLimits(maxFrameSize: 1000, maxMessageSize: 1000)
        server = try TestServer(listeners: [
            .interop { listener in
                listener.webSocket("/echo", InteropEchoHandler())
                listener.webSocket("/small", configuration: small, InteropEchoHandler())
            }
        ])
    }

    override func tearDown() {
        server?.stop()
        server = nil
    }

    private func run(_ scenario: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try InteropScript.run("echo", scenario, port: server.port("ws"), file: file, line: line)
    }

    /// 0, 1, 125, 126, 65535, 65536 bytes, 1 MiB and 16 MiB (the inclusive default limit).
    func testTextAndBinaryAtEverySize() throws { try run("sizes") }

    func testMessageOverDefaultLimitClosesWith1009() throws { try run("over_default_limit") }

    func testFrameHeaderOverDefaultLimitClosesWith1009() throws { try run("over_default_limit_declared") }

    func testConfiguredLimitIsInclusiveAndClosesWith1009Beyond() throws { try run("configured_limit") }

    func testFragmentsSummingPastLimitCloseWith1009() throws { try run("configured_limit_fragmented") }

    func testRawFramesWithEveryLengthEncoding() throws { try run("raw_binary_echo") }
}
