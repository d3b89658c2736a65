import Ringwire
import XCTest

/// Fragmented messages from websockets and from raw frames (Tests/Interop/fragmentation.py).
final class InteropFragmentationTests: XCTestCase {
    private var server: TestServer!

    override func setUpWithError() throws {
        try InteropScript.requireClient()
        server = try TestServer(listeners: [.interop { $0.webSocket("/echo", InteropEchoHandler()) }])
    }

    override func tearDown() {
        server?.stop()
        server = nil
    }

    private func run(_ scenario: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try InteropScript.run("fragmentation", scenario, port: server.port("ws"), file: file, line: line)
    }

    func testWebsocketsFragmentedMessagesEchoWhole() throws { try run("websockets_fragments") }

    func testUTF8SplitAcrossFragmentsAtEveryByte() throws { try run("utf8_split_across_fragments") }

    func testPingBetweenFragments() throws { try run("ping_between_fragments") }

    func testContinuationWithoutMessageCloses1002() throws { try run("continuation_without_message") }

    func testNewMessageInsideFragmentedOneCloses1002() throws { try run("new_message_inside_fragmented_one") }

    func testFragmentedPingCloses1002() throws { try run("fragmented_ping") }
}
