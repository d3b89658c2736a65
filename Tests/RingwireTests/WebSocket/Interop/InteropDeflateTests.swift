import Ringwire
import XCTest

/// permessage-deflate negotiation and compressed echo against websockets' implementation
/// (Tests/Interop/deflate.py). One worker, so the shared-compressor connections share it.
final class InteropDeflateTests: XCTestCase {
    private var server: TestServer!

    override func setUpWithError() throws {
        try InteropScript.requireClient()
        var deflate = WebSocketConfiguration()
        deflate.deflate.isEnabled = true
        var shared = deflate
        shared.deflate.sharedCompressor = true
        var small = deflate
        small.limits = WebSocketReaderLimits(maxFrameSize: 1024 * 1024, maxMessageSize: 1024 * 1024)
        server = try TestServer(
            workers: 1,
            listeners: [
                .interop { listener in
                    listener.webSocket("/deflate", configuration: deflate, InteropEchoHandler())
                    listener.webSocket("/shared", configuration: shared, InteropEchoHandler())
                    listener.webSocket("/small", configuration: small, InteropEchoHandler())
                    listener.webSocket("/plain", InteropEchoHandler())
                }
            ])
    }

    override func tearDown() {
        server?.stop()
        server = nil
    }

    private func run(_ scenario: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try InteropScript.run("deflate", scenario, port: server.port("ws"), file: file, line: line)
    }

    func testWebsocketsDefaultOffer() throws { try run("default_offer") }
    func testServerNoContextTakeover() throws { try run("server_no_context_takeover") }
    func testClientNoContextTakeover() throws { try run("client_no_context_takeover") }
    func testServerMaxWindowBits10() throws { try run("server_max_window_bits_10") }
    func testClientMaxWindowBits10() throws { try run("client_max_window_bits_10") }
    func testClientMaxWindowBitsWithoutValue() throws { try run("client_max_window_bits_true") }
    func testOfferWithoutClientMaxWindowBits() throws { try run("client_max_window_bits_absent") }
    func testAllParametersTogether() throws { try run("all_parameters") }
    func testSharedCompressorForcesServerNoContextTakeover() throws { try run("shared_compressor") }
    func testSharedCompressorDeclinesSmallerWindow() throws { try run("shared_compressor_small_window") }
    func testSharedCompressorWithInterleavedConnections() throws { try run("shared_compressor_interleaved") }
    func testDisabledDeflateIsNotNegotiated() throws { try run("disabled") }
    func testSixteenMiBCompressedMessageAtLimit() throws { try run("sixteen_mib_compressed") }
    func testDecompressionBombCloses1009() throws { try run("decompression_bomb") }
    func testDecompressionBombOverConfiguredLimitCloses1009() throws { try run("decompression_bomb_configured_limit") }
    func testRawCompressedFrames() throws { try run("raw_compressed_frames") }
    func testInvalidCompressedDataCloses1007() throws { try run("raw_invalid_compressed_data") }
    func testMessageOfMillionEmptyDeflateStreamsCloses1009() throws { try run("raw_many_deflate_streams") }
    func testRSV1OnContinuationCloses1002() throws { try run("raw_rsv1_on_continuation") }
    func testServerMaxWindowBits8IsHonouredOrDeclined() throws { try run("raw_server_max_window_bits_8") }
}
