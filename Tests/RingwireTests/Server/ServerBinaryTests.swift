import Foundation
import Glibc
import RingwireTestSupport
import XCTest

/// The `ringwire` executable: startup, signals, port conflicts and configuration files.
final class ServerBinaryTests: XCTestCase {
    private let defaultArguments = ["--http-port", "0", "--ws-port", "0", "--workers", "2", "--host", "127.0.0.1"]

    private func get(_ path: String, port: Int) throws -> TestResponse {
        let client = try TestSocket(port: port)
        try client.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
        return try client.readResponse()
    }

    private func assertHealthThenStop(with signal: Int32) throws {
        let server = try RingwireProcess(defaultArguments)
        let ports = try server.waitForPorts()
        let http = try XCTUnwrap(ports["http"], server.standardError)
        XCTAssertNotNil(ports["ws"], server.standardError)
        let response = try get("/health", port: http)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "ok\n")
        server.send(signal: signal)
        XCTAssertEqual(server.waitForExit(timeout: 5), 0, server.standardError)
    }

    func testHealthThenSIGTERMExitsCleanly() throws {
        try assertHealthThenStop(with: SIGTERM)
    }

    func testHealthThenSIGINTExitsCleanly() throws {
        try assertHealthThenStop(with: SIGINT)
    }

    func testRequestInFlightAtSIGTERMIsAnswered() throws {
        let server = try RingwireProcess(defaultArguments)
        let http = try XCTUnwrap(try server.waitForPorts()["http"], server.standardError)
        let client = try TestSocket(port: http)
        try client.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertNil(try client.readResponse().header("connection"))
        try client.send("GET /health HTTP/1.1\r\nHost: x\r\n")
        usleep(100_000)
        server.send(signal: SIGTERM)
        usleep(200_000)
        XCTAssertNil(server.waitForExit(timeout: 0), "exited with a request in flight: \(server.standardError)")
        try client.send("\r\n")
        let response = try client.readResponse()
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "ok\n")
        XCTAssertEqual(response.header("connection"), "close")
        XCTAssertTrue(client.waitForClose())
        // Our EOF ends the server's linger at once.
        client.shutdownWrite()
        XCTAssertEqual(server.waitForExit(timeout: 5), 0, server.standardError)
    }

    /// The default worker count follows the CPUs the process may run on (taskset, cpusets), not the
    /// machine's: a server confined to one CPU runs one worker.
    func testDefaultWorkersFollowCPUAffinity() throws {
        let server = try RingwireProcess(["--http-port", "0", "--ws-port", "0", "--host", "127.0.0.1"], onlyOnCPU: 0)
        _ = try server.waitForPorts()
        XCTAssertTrue(server.standardError.contains("with 1 worker(s)"), server.standardError)
        server.send(signal: SIGTERM)
        XCTAssertEqual(server.waitForExit(timeout: 5), 0, server.standardError)
    }

    func testPortInUseExitsWithOneAndNamesThePort() throws {
        let first = try RingwireProcess(defaultArguments)
        let http = try XCTUnwrap(try first.waitForPorts()["http"], first.standardError)
        let second = try RingwireProcess(["--http-port", "\(http)", "--ws-port", "0", "--workers", "2", "--host", "127.0.0.1"])
        XCTAssertEqual(second.waitForExit(timeout: 5), 1, second.standardError)
        XCTAssertTrue(second.standardError.contains("port \(http)"), second.standardError)
        // The first server is unharmed.
        XCTAssertEqual(try get("/health", port: http).text, "ok\n")
        first.send(signal: SIGTERM)
        XCTAssertEqual(first.waitForExit(timeout: 5), 0, first.standardError)
    }

    func testConfigurationFileWithThreeListeners() throws {
        let file = try writeConfiguration(
            """
            { "workers": 2, "distribution": "acceptor",
              "listeners": [
                { "name": "public", "host": "127.0.0.1", "port": 0, "protocol": "http" },
                { "name": "admin", "host": "127.0.0.1", "port": 0 },
                { "name": "live", "host": "127.0.0.1", "port": 0, "protocol": "websocket" } ] }
            """)
        let server = try RingwireProcess(["--config", file.path])
        let ports = try server.waitForPorts()
        XCTAssertEqual(Set(ports.keys), ["public", "admin", "live"], server.standardError)
        XCTAssertEqual(Set(ports.values).count, 3, server.standardError)
        for name in ["public", "admin"] {
            let response = try get("/health", port: try XCTUnwrap(ports[name]))
            XCTAssertEqual(response.status, 200, name)
            XCTAssertEqual(response.text, "ok\n", name)
        }
        let live = try get("/", port: try XCTUnwrap(ports["live"]))
        XCTAssertEqual(live.status, 426)
        XCTAssertEqual(live.header("upgrade"), "websocket")
        server.send(signal: SIGTERM)
        XCTAssertEqual(server.waitForExit(timeout: 5), 0, server.standardError)
    }

    func testInvalidConfigurationFilesAreRefusedClearly() throws {
        let cases: [(json: String?, expected: String)] = [
            ("{ \"workers\": 2, ", "cannot read configuration file"),
            ("{ \"workers\": 2 }", "cannot read configuration file"),
            ("{ \"listeners\": [ { \"name\": \"a\", \"port\": 0, \"protocol\": \"gopher\" } ] }", "cannot read configuration file"),
            ("{ \"workers\": 0, \"listeners\": [ { \"name\": \"a\", \"host\": \"127.0.0.1\", \"port\": 0 } ] }", "workers must be"),
            (
                "{ \"listeners\": [ { \"name\": \"a\", \"host\": \"127.0.0.1\", \"port\": 0 }, { \"name\": \"a\", \"host\": \"127.0.0.1\", \"port\": 0 } ] }",
                "two listeners are named 'a'"
            ),
            (nil, "cannot read configuration file"),
        ]
        for (json, expected) in cases {
            let path = try json.map { try writeConfiguration($0).path } ?? "/nonexistent/ringwire-\(UUID().uuidString).json"
            let server = try RingwireProcess(["--config", path])
            let status = server.waitForExit(timeout: 5)
            XCTAssertNotNil(status, "still running with \(json ?? path)")
            XCTAssertNotEqual(status, 0, json ?? path)
            XCTAssertTrue(server.standardError.contains(expected), "\(json ?? path): \(server.standardError)")
            XCTAssertTrue(server.standardError.contains(path) || !expected.hasPrefix("cannot read"), server.standardError)
        }
    }

    private func writeConfiguration(_ json: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ringwire-test-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
