import Glibc
import XCTest

@testable import Ringwire
@_spi(RingwireInternal) @testable import RingwireTransport

/// HTTP/1.1 over real sockets on 127.0.0.1.
final class HTTPServerTests: XCTestCase {
    private func makeListener(name: String = "http", configure: (inout Listener) -> Void = { _ in }) -> Listener {
        var listener = Listener(name: name, port: 0)
        listener.get("/hello") { _ in HTTPResponse(text: "hello") }
        listener.get("/rooms/:id") { request in HTTPResponse(text: "room \(request.parameter("id") ?? "?")") }
        listener.post("/echo") { request in HTTPResponse(body: request.body) }
        configure(&listener)
        return listener
    }

    func testTwoPortsOnOneServer() throws {
        var admin = Listener(name: "admin", port: 0)
        admin.get("/hello") { _ in HTTPResponse(text: "admin") }
        let server = try TestServer(listeners: [makeListener(), admin])
        XCTAssertNotEqual(server.port("http"), server.port("admin"))
        let first = try TestSocket(port: server.port("http"))
        try first.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(try first.readResponse().text, "hello")
        let second = try TestSocket(port: server.port("admin"))
        try second.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(try second.readResponse().text, "admin")
    }

    func testKeepAliveServesManyRequestsOnOneConnection() throws {
        let server = try TestServer(listeners: [makeListener()])
        let client = try TestSocket(port: server.port("http"))
        for index in 0..<20 {
            try client.send("GET /rooms/\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.text, "room \(index)")
            XCTAssertNil(response.header("connection"))
            XCTAssertNotNil(response.header("date"))
            XCTAssertEqual(response.header("server"), "Ringwire")
        }
    }

    func testPipelinedRequestsAreAnsweredInOrder() throws {
        let server = try TestServer(listeners: [makeListener()])
        let client = try TestSocket(port: server.port("http"))
        let requests = (0..<100).map { "GET /rooms/\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined()
        try client.send(requests)
        for index in 0..<100 {
            XCTAssertEqual(try client.readResponse().text, "room \(index)")
        }
    }

    func testChunkedRequestBody() throws {
        let server = try TestServer(listeners: [makeListener()])
        let client = try TestSocket(port: server.port("http"))
        try client.send(
            "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: yes\r\n\r\n"
        )
        let response = try client.readResponse()
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.text, "hello world")
    }

    func testContentLengthBodySplitAcrossWrites() throws {
        let server = try TestServer(listeners: [makeListener()])
        let client = try TestSocket(port: server.port("http"))
        let body = String(repeating: "x", count: 100_000)
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
        try client.send(String(body.prefix(50_000)))
        usleep(20_000)
        try client.send(String(body.dropFirst(50_000)))
        XCTAssertEqual(try client.readResponse().text, body)
    }

    func testExpectContinue() throws {
        let server = try TestServer(listeners: [makeListener()])
        let client = try TestSocket(port: server.port("http"))
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n")
        XCTAssertEqual(try client.readResponse().status, 100)
        try client.send("abc")
        XCTAssertEqual(try client.readResponse().text, "abc")
    }

    func testBodyTooLargeIsRefusedBeforeTheBodyAndTheAnswerSurvives() throws {
        let server = try TestServer(listeners: [makeListener { $0.http.limits.maxBodySize = 1000 }])
        let client = try TestSocket(port: server.port("http"))
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + String(repeating: "y", count: 5000))
        let response = try client.readResponse()
        XCTAssertEqual(response.status, 413)
        XCTAssertEqual(response.header("connection"), "close")
        XCTAssertTrue(client.waitForClose())
    }

    func testErrorsGetTheirStatus() throws {
        let server = try TestServer(listeners: [
            makeListener {
                $0.http.limits.maxRequestLineLength = 100
                $0.http.limits.maxHeaderBytes = 400
            }
        ])
        let cases: [(String, Int)] = [
            ("GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n", 404),
            ("DELETE /hello HTTP/1.1\r\nHost: x\r\n\r\n", 405),
            ("GARBAGE\r\n\r\n", 400),
            ("BREW /hello HTTP/1.1\r\nHost: x\r\n\r\n", 501),
            ("GET /hello HTTP/2.0\r\nHost: x\r\n\r\n", 505),
            ("GET /\(String(repeating: "a", count: 200)) HTTP/1.1\r\nHost: x\r\n\r\n", 414),
            ("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "b", count: 500))\r\n\r\n", 431),
        ]
        for (request, status) in cases {
            let client = try TestSocket(port: server.port("http"))
            try client.send(request)
            let response = try client.readResponse()
            XCTAssertEqual(response.status, status, request)
            if status == 405 { XCTAssertEqual(response.header("allow"), "GET, HEAD") }
        }
    }

    func testHeadAndHTTP10() throws {
        let server = try TestServer(listeners: [makeListener()])
        let client = try TestSocket(port: server.port("http"))
        try client.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try client.readResponse(headRequest: true)
        XCTAssertEqual(head.status, 200)
        XCTAssertEqual(head.header("content-length"), "5")
        try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(try client.readResponse().text, "hello")

        let old = try TestSocket(port: server.port("http"))
        try old.send("GET /hello HTTP/1.0\r\n\r\n")
        let response = try old.readResponse()
        XCTAssertTrue(response.statusLine.hasPrefix("HTTP/1.1 200"))
        XCTAssertTrue(old.waitForClose())

        let kept = try TestSocket(port: server.port("http"))
        try kept.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        XCTAssertEqual(try kept.readResponse().header("connection"), "keep-alive")
        try kept.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        XCTAssertEqual(try kept.readResponse().text, "hello")
    }

    func testConnectionCloseIsHonoured() throws {
        let server = try TestServer(listeners: [makeListener()])
        let client = try TestSocket(port: server.port("http"))
        try client.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let response = try client.readResponse()
        XCTAssertEqual(response.header("connection"), "close")
        XCTAssertTrue(client.waitForClose())
    }

    func testSlowlorisIsClosedByTheHeaderTimeout() throws {
        let server = try TestServer(listeners: [makeListener { $0.http.headerReadTimeout = .milliseconds(300) }])
        let client = try TestSocket(port: server.port("http"))
        let start = MonotonicClock.now()
        try client.send("GET /hello HTTP/1.1\r\n")
        // Keep trickling a byte every 100 ms for up to 3 s, until the server answers: a timeout
        // extended by each byte would never fire while we trickle.
        for _ in 0..<30 {
            var descriptor = pollfd(fd: client.fd, events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, 100) > 0 { break }
            try? client.send("X")
        }
        let response = try client.readResponse()
        XCTAssertEqual(response.status, 408)
        XCTAssertTrue(client.waitForClose())
        XCTAssertLessThan(MonotonicClock.now() - start, 2000)
    }

    func testIdleKeepAliveConnectionIsClosed() throws {
        let server = try TestServer(listeners: [makeListener { $0.http.keepAliveTimeout = .milliseconds(200) }])
        let client = try TestSocket(port: server.port("http"))
        let start = MonotonicClock.now()
        try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(try client.readResponse().status, 200)
        XCTAssertTrue(client.waitForClose())
        XCTAssertGreaterThanOrEqual(MonotonicClock.now() - start, 200, "closed before the keep-alive timeout")
    }

    func testThousandConcurrentConnectionsOnTwoWorkers() throws {
        let server = try TestServer(workers: 2, listeners: [makeListener()])
        var clients: [TestSocket] = []
        for _ in 0..<1000 { clients.append(try TestSocket(port: server.port("http"))) }
        for (index, client) in clients.enumerated() {
            try client.send("GET /rooms/\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
        }
        for (index, client) in clients.enumerated() {
            XCTAssertEqual(try client.readResponse().text, "room \(index)")
        }
    }

    func testAcceptorModeSpreadsConnections() throws {
        let server = try TestServer(workers: 2, distribution: .acceptor, listeners: [makeListener()])
        var clients: [TestSocket] = []
        for index in 0..<200 {
            let client = try TestSocket(port: server.port("http"))
            try client.send("GET /rooms/\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
            XCTAssertEqual(try client.readResponse().text, "room \(index)")
            clients.append(client)
        }
        XCTAssertEqual(server.server.connectionCounts(), [100, 100])
    }

    func testPortInUseNamesThePort() throws {
        let server = try TestServer(listeners: [makeListener()])
        var configuration = ServerConfiguration(listeners: [Listener(name: "clash", host: "127.0.0.1", port: server.port("http"))])
        configuration.workers = 1
        XCTAssertThrowsError(try Server(configuration: configuration).start()) { error in
            XCTAssertTrue("\(error)".contains("port \(server.port("http"))"), "\(error)")
            XCTAssertTrue("\(error)".contains("clash"), "\(error)")
        }
    }

    func testCurlAsAnIndependentClient() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") else {
            throw missingClient("curl is not installed")
        }
        let server = try TestServer(listeners: [makeListener()])
        let port = server.port("http")
        let output = try run(
            "/usr/bin/curl",
            [
                "-sS", "--max-time", "5", "-d", "payload", "http://127.0.0.1:\(port)/echo",
                "--next", "-sS", "--max-time", "5", "http://127.0.0.1:\(port)/rooms/7",
            ])
        XCTAssertEqual(output, "payloadroom 7")
        let status = try run(
            "/usr/bin/curl",
            [
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
                "http://127.0.0.1:\(port)/missing",
            ])
        XCTAssertEqual(status, "404")
    }

    private func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
