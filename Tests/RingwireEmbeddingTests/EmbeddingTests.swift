import Glibc
import Ringwire
import XCTest

/// Uses Ringwire exactly as another package would: only `import Ringwire` and its public API.
final class EmbeddingTests: XCTestCase {
    func testAnApplicationServesItsOwnHandlersOnTwoPorts() throws {
        var api = Listener(name: "api", host: "127.0.0.1", port: 0)
        api.get("/users/:name") { request in
            HTTPResponse(text: "hello \(request.parameter("name") ?? "")")
        }
        api.post("/count") { request in
            HTTPResponse(status: .created, text: "\(request.body.count)")
        }
        var metrics = Listener(name: "metrics", host: "127.0.0.1", port: 0)
        metrics.get("/metrics") { _ in HTTPResponse(text: "up 1\n") }

        var configuration = ServerConfiguration(listeners: [api, metrics])
        configuration.workers = 2
        let server = Server(configuration: configuration)
        try server.start()
        defer {
            server.stop()
            server.wait()
        }
        let apiPort = try XCTUnwrap(server.port(of: "api"))
        let metricsPort = try XCTUnwrap(server.port(of: "metrics"))

        XCTAssertTrue(
            try exchange(port: apiPort, "GET /users/ada HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .hasSuffix("hello ada"))
        let created = try exchange(port: apiPort, "POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nConnection: close\r\n\r\nabcd")
        XCTAssertTrue(created.hasPrefix("HTTP/1.1 201 Created"), created)
        XCTAssertTrue(created.hasSuffix("\r\n\r\n4"), created)
        XCTAssertTrue(
            try exchange(port: metricsPort, "GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .hasSuffix("up 1\n"))
    }

    /// Sends `request` and reads until the server closes the connection.
    private func exchange(port: Int, _ request: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(connected, 0)
        _ = Array(request.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { break }
            guard count > 0 else {
                XCTFail("recv failed before the server closed: \(String(cString: strerror(errno)))")
                break
            }
            received += chunk[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
