import XCTest

@testable import Ringwire

private struct SilentHandler: WebSocketHandler {
    func onMessage(_ socket: borrowing WebSocket<SilentHandler>, _ message: borrowing WebSocketMessage) {}
}

/// `Server.start()` refuses settings it cannot honour, with the setting named, before binding anything.
final class ConfigurationValidationTests: XCTestCase {
    private func configuration(
        server: (inout ServerConfiguration) -> Void = { _ in },
        http: (inout HTTPConfiguration) -> Void = { _ in },
        webSocket: (inout WebSocketConfiguration) -> Void = { _ in }
    ) -> ServerConfiguration {
        var listener = Listener(name: "web", host: "127.0.0.1", port: 0)
        http(&listener.http)
        var routeConfiguration = WebSocketConfiguration()
        webSocket(&routeConfiguration)
        listener.webSocket("/rooms/:id", configuration: routeConfiguration, SilentHandler())
        var configuration = ServerConfiguration(listeners: [listener])
        server(&configuration)
        return configuration
    }

    private func assertRefused(
        _ configuration: ServerConfiguration, mentioning words: [String],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            try Server(configuration: configuration).start()
            XCTFail("started with an invalid configuration", file: file, line: line)
        } catch {
            guard case .invalidConfiguration(let message) = error else {
                return XCTFail("\(error)", file: file, line: line)
            }
            for word in words {
                XCTAssertTrue(message.contains(word), "'\(message)' does not mention \(word)", file: file, line: line)
            }
        }
    }

    func testDefaultsAreValid() throws {
        XCTAssertNoThrow(try configuration().validate())
    }

    func testServerSettings() {
        assertRefused(configuration { $0.ringEntries = 0 }, mentioning: ["ringEntries"])
        assertRefused(configuration { $0.backlog = -1 }, mentioning: ["backlog"])
        assertRefused(configuration { $0.receiveBufferSize = 1 << 30 }, mentioning: ["receiveBufferSize"])
        assertRefused(configuration { $0.lingerTimeout = .seconds(-1) }, mentioning: ["lingerTimeout"])
        assertRefused(configuration { $0.shutdownGracePeriod = .milliseconds(-5) }, mentioning: ["shutdownGracePeriod"])
        assertRefused(configuration { $0.workers = ServerConfiguration.maximumWorkers + 1 }, mentioning: ["workers"])
        assertRefused(configuration { $0.maxConnections = .max }, mentioning: ["maxConnections"])
    }

    func testHTTPSettingsNameTheListener() {
        assertRefused(configuration(http: { $0.headerReadTimeout = .zero }), mentioning: ["'web'", "headerReadTimeout"])
        assertRefused(configuration(http: { $0.keepAliveTimeout = .seconds(-1) }), mentioning: ["keepAliveTimeout"])
        assertRefused(configuration(http: { $0.limits.maxHeaderCount = 0 }), mentioning: ["maxHeaderCount"])
        assertRefused(configuration(http: { $0.maxBufferedResponseBytes = -1 }), mentioning: ["maxBufferedResponseBytes"])
        assertRefused(configuration(http: { $0.serverName = "Ringwire\r\nSet-Cookie: a=b" }), mentioning: ["serverName"])
    }

    func testWebSocketRouteSettingsNameTheRoute() {
        assertRefused(configuration(webSocket: { $0.idleTimeout = .zero }), mentioning: ["/rooms/:id", "idleTimeout"])
        assertRefused(configuration(webSocket: { $0.closeTimeout = .seconds(-1) }), mentioning: ["closeTimeout"])
        assertRefused(configuration(webSocket: { $0.limits.maxMessageSize = 0 }), mentioning: ["maxMessageSize"])
        assertRefused(configuration(webSocket: { $0.maxBackpressure = -1 }), mentioning: ["maxBackpressure"])
    }

    func testDeflateSettingsOutOfRangeAreRefusedNotClamped() {
        assertRefused(
            configuration(webSocket: { $0.deflate.serverMaxWindowBits = 16 }),
            mentioning: ["/rooms/:id", "deflate.serverMaxWindowBits", "16"])
        assertRefused(configuration(webSocket: { $0.deflate.clientMaxWindowBits = 7 }), mentioning: ["deflate.clientMaxWindowBits"])
        assertRefused(configuration(webSocket: { $0.deflate.memLevel = 0 }), mentioning: ["deflate.memLevel"])
        assertRefused(configuration(webSocket: { $0.deflate.compressionLevel = 10 }), mentioning: ["deflate.compressionLevel"])
        assertRefused(configuration(webSocket: { $0.deflate.minimumSizeToCompress = -1 }), mentioning: ["deflate.minimumSizeToCompress"])
    }

    func testMalformedRoutePatternsAreRefusedNotTrapped() {
        assertRefused(
            configuration(http: { _ in }).with { $0.listeners[0].get("/files/*/x") { _ in HTTPResponse(text: "") } },
            mentioning: ["web", "/files/*/x", "last segment"])
        assertRefused(
            configuration().with { $0.listeners[0].webSocket("rooms", SilentHandler()) },
            mentioning: ["web", "'rooms'", "start with /"])
        assertRefused(
            configuration(webSocket: { $0.minimumMessageProgress = WebSocketMessageProgress(bytes: 0, interval: .seconds(1)) }),
            mentioning: ["minimumMessageProgress.bytes"])
        assertRefused(configuration(server: { $0.messageBufferBudgetPerWorker = 0 }), mentioning: ["messageBufferBudgetPerWorker"])
    }

    func testRoutePatternsAreListedAsWritten() {
        var table = RouteTable<Int>()
        for (index, pattern) in ["/", "/health", "/rooms/:id", "/static/*", "/rooms/:id/members"].enumerated() {
            table.add(.get, pattern, index)
        }
        var seen: [String] = []
        table.forEachRoute { pattern, _ in seen.append(pattern) }
        XCTAssertEqual(Set(seen), ["/", "/health", "/rooms/:id", "/static/*", "/rooms/:id/members"])
    }
}

private extension ServerConfiguration {
    /// A copy changed by `change`.
    func with(_ change: (inout ServerConfiguration) -> Void) -> ServerConfiguration {
        var copy = self
        change(&copy)
        return copy
    }
}
