import Foundation
import Ringwire
import XCTest

@testable import RingwireServer

/// The JSON configuration file reaches every setting of the library's types.
final class ConfigurationFileTests: XCTestCase {
    private func decode(_ json: String) throws -> ConfigurationFile {
        try JSONDecoder().decode(ConfigurationFile.self, from: Data(json.utf8))
    }

    private let listeners = #""listeners": [{ "name": "ws", "port": 9502, "protocol": "websocket" }]"#

    func testEveryWebSocketSettingIsRead() throws {
        let file = try decode(
            """
            { \(listeners), "webSocket": {
                "maxFrameSize": 1000, "maxMessageSize": 2000, "maxBackpressure": 3000,
                "backpressurePolicy": "dropNewMessages", "idleTimeoutSeconds": 30, "sendsPings": false,
                "closeTimeoutSeconds": 2.5, "deliversPings": true, "allowedOrigins": ["https://a.example"],
                "minimumMessageProgress": { "bytes": 4096, "intervalSeconds": 5 },
                "deflate": { "enabled": true, "serverNoContextTakeover": true, "clientNoContextTakeover": true,
                             "serverMaxWindowBits": 12, "clientMaxWindowBits": 11, "memLevel": 5,
                             "compressionLevel": 6, "minimumSizeToCompress": 128, "sharedCompressor": true } } }
            """)
        let configuration = file.webSocketConfiguration(deflateFlag: false)
        XCTAssertEqual(configuration.limits.maxFrameSize, 1000)
        XCTAssertEqual(configuration.limits.maxMessageSize, 2000)
        XCTAssertEqual(configuration.maxBackpressure, 3000)
        XCTAssertEqual(configuration.backpressurePolicy, .dropNewMessages)
        XCTAssertEqual(configuration.idleTimeout, .seconds(30))
        XCTAssertFalse(configuration.sendsPings)
        XCTAssertEqual(configuration.closeTimeout, .seconds(2.5))
        XCTAssertTrue(configuration.deliversPings)
        XCTAssertEqual(configuration.allowedOrigins, ["https://a.example"])
        XCTAssertEqual(configuration.minimumMessageProgress, WebSocketMessageProgress(bytes: 4096, interval: .seconds(5)))
        let deflate = configuration.deflate
        XCTAssertTrue(deflate.isEnabled && deflate.serverNoContextTakeover && deflate.clientNoContextTakeover && deflate.sharedCompressor)
        XCTAssertEqual(
            [
                deflate.serverMaxWindowBits, deflate.clientMaxWindowBits, deflate.memLevel, deflate.compressionLevel,
                deflate.minimumSizeToCompress,
            ], [12, 11, 5, 6, 128])
    }

    func testNullTurnsOffAndAbsenceKeepsTheDefault() throws {
        let off = try decode(
            #"{ \#(listeners), "idleMemoryReleaseSeconds": null, "webSocket": { "idleTimeoutSeconds": null, "allowedOrigins": null, "minimumMessageProgress": null } }"#
        )
        let configuration = off.webSocketConfiguration(deflateFlag: false)
        XCTAssertNil(configuration.idleTimeout)
        XCTAssertNil(configuration.allowedOrigins)
        XCTAssertNil(configuration.minimumMessageProgress)
        XCTAssertNil(off.serverConfiguration().idleMemoryRelease)

        let defaults = WebSocketConfiguration()
        let absent = try decode("{ \(listeners), \"webSocket\": {} }")
        let kept = absent.webSocketConfiguration(deflateFlag: false)
        XCTAssertEqual(kept.idleTimeout, defaults.idleTimeout)
        XCTAssertEqual(kept.minimumMessageProgress, defaults.minimumMessageProgress)
        XCTAssertEqual(kept.backpressurePolicy, defaults.backpressurePolicy)
        XCTAssertFalse(kept.deflate.isEnabled)
        XCTAssertEqual(absent.serverConfiguration().idleMemoryRelease, ServerConfiguration(listeners: []).idleMemoryRelease)
        XCTAssertTrue(absent.webSocketConfiguration(deflateFlag: true).deflate.isEnabled, "the flag still enables deflate")
    }

    func testServerSettingsAreRead() throws {
        let file = try decode(
            #"{ \#(listeners), "ringEntries": 256, "backlog": 128, "messageBufferBudgetPerWorker": 1048576, "idleMemoryReleaseSeconds": 2 }"#
        )
        let configuration = file.serverConfiguration()
        XCTAssertEqual(configuration.ringEntries, 256)
        XCTAssertEqual(configuration.backlog, 128)
        XCTAssertEqual(configuration.messageBufferBudgetPerWorker, 1 << 20)
        XCTAssertEqual(configuration.idleMemoryRelease, .seconds(2))
    }

    func testEveryHTTPSettingIsRead() throws {
        let file = try decode(
            #"""
            { "listeners": [{ "name": "api", "port": 9501, "http": {
                "maxRequestLineLength": 1000, "maxHeaderBytes": 2000, "maxHeaderCount": 30, "maxBodySize": 4000,
                "maxChunkLineLength": 50, "headerReadTimeoutSeconds": 1.5, "bodyReadTimeoutSeconds": 2,
                "keepAliveTimeoutSeconds": 3, "maxBufferedResponseBytes": 5000, "serverName": "edge" } }] }
            """#)
        let http = try XCTUnwrap(file.serverConfiguration().listeners.first).http
        XCTAssertEqual(http.limits.maxRequestLineLength, 1000)
        XCTAssertEqual(http.limits.maxHeaderBytes, 2000)
        XCTAssertEqual(http.limits.maxHeaderCount, 30)
        XCTAssertEqual(http.limits.maxBodySize, 4000)
        XCTAssertEqual(http.limits.maxChunkLineLength, 50)
        XCTAssertEqual(http.headerReadTimeout, .milliseconds(1500))
        XCTAssertEqual(http.bodyReadTimeout, .seconds(2))
        XCTAssertEqual(http.keepAliveTimeout, .seconds(3))
        XCTAssertEqual(http.maxBufferedResponseBytes, 5000)
        XCTAssertEqual(http.serverName, "edge")
    }

    func testAnUnknownPolicyNameIsADecodingError() {
        XCTAssertThrowsError(try decode(#"{ \#(listeners), "webSocket": { "backpressurePolicy": "ignore" } }"#))
        XCTAssertThrowsError(try decode(#"{ \#(listeners), "webSocket": { "idleTimeoutSeconds": "soon" } }"#))
    }
}
