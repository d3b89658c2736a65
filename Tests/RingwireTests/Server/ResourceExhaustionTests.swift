import Foundation
import Glibc
import RingwireTestSupport
import XCTest

@testable import Ringwire
@_spi(RingwireInternal) @testable import RingwireTransport

/// What the server promises when a resource runs out: receive buffers (ENOBUFS), memory for
/// responses a client does not read (backpressure), file descriptors (EMFILE).
final class ResourceExhaustionTests: XCTestCase {
    /// Order-sensitive, so lost, duplicated or reordered bytes all change it.
    private static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash
    }

    private static func body(for client: Int, size: Int) -> [UInt8] {
        var state = UInt32(client + 1) &* 2_654_435_761
        return (0..<size).map { _ in
            state = state &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: state >> 16)
        }
    }

    // MARK: Receive buffers

    func testReceiveBufferExhaustionLosesNoData() throws {
        var listener = Listener(name: "http", port: 0)
        listener.post("/digest") { request in
            HTTPResponse(text: "\(request.body.count) \(ResourceExhaustionTests.checksum(request.body))")
        }
        let server = try TestServer(workers: 1, listeners: [listener]) {
            $0.receiveBufferCount = 2
            $0.receiveBufferSize = 512
        }
        let port = server.port("http")
        let size = 200 * 1024
        let (failures, timedOut) = ConcurrentClients.run(20, timeout: 60) { index in
            let body = ResourceExhaustionTests.body(for: index, size: size)
            let client = try TestSocket(port: port, timeout: 30)
            try client.send("POST /digest HTTP/1.1\r\nHost: x\r\nContent-Length: \(size)\r\n\r\n")
            try client.send(body)
            let response = try client.readResponse()
            let expected = "\(size) \(ResourceExhaustionTests.checksum(body))"
            guard response.status == 200, response.text == expected else {
                throw TestFailure("client \(index): got \(response.status) '\(response.text)', expected '\(expected)'")
            }
        }
        XCTAssertFalse(timedOut, "some clients did not finish within 60 s")
        XCTAssertEqual(failures, [:])
        withExtendedLifetime(server) {}
    }

    // MARK: Backpressure

    /// What a client that pipelines `requestCount` requests for 64 KiB responses and reads nothing
    /// makes the server hold.
    private struct SlowReaderOutcome {
        /// Growth of the process's resident memory while the client did not read.
        var growth: Int
        /// Requests the client managed to send while it did not read.
        var sentWhileNotReading: Int
    }

    /// Pipelines `requestCount` requests (each padded with a header of `padding` bytes; sent one by
    /// one, or all in one write if `inOneWrite`) without reading for two seconds, then reads every
    /// response and checks they arrive complete and in order.
    private func runSlowReader(requestCount: Int, padding: Int, inOneWrite: Bool = false) throws -> SlowReaderOutcome {
        try skipMemoryMeasurementUnderAddressSanitizer()
        let responseSize = 64 * 1024
        var listener = Listener(name: "http", port: 0)
        listener.get("/big/:n") { request in
            var body = [UInt8](repeating: UInt8(ascii: "x"), count: responseSize)
            let tag = Array("\(request.parameter("n") ?? "?")\n".utf8)
            body.replaceSubrange(0..<tag.count, with: tag)
            return HTTPResponse(body: body)
        }
        let server = try TestServer(workers: 1, listeners: [listener])
        let client = try TestSocket(port: server.port("http"), timeout: 30)
        try client.send("GET /big/warmup HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(try client.readResponse().body.count, responseSize)
        // Built before the baseline, so the client's own buffers do not count as server memory.
        let filler = padding > 0 ? "X-Pad: \(String(repeating: "p", count: padding))\r\n" : ""
        let requests = (0..<requestCount).map { Array("GET /big/\($0) HTTP/1.1\r\nHost: x\r\n\(filler)\r\n".utf8) }
        let writes = inOneWrite ? [requests.flatMap { $0 }] : requests
        let baseline = residentBytes()

        // The requests go out from another thread: once the server stops reading, `send` blocks.
        let fd = client.fd
        let sent = LockedCounter()
        let sendFailure = LockedCounter()
        let senderDone = DispatchSemaphore(value: 0)
        let sender = Thread {
            defer { senderDone.signal() }
            for (index, request) in writes.enumerated() {
                var offset = 0
                while offset < request.count {
                    let count = request[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    guard count > 0 else {
                        sendFailure.set(Int(errno))
                        return
                    }
                    offset += count
                }
                sent.set(inOneWrite ? requestCount : index + 1)
            }
        }
        sender.start()

        var peak = baseline
        for _ in 0..<20 {
            usleep(100_000)
            peak = max(peak, residentBytes())
        }
        let outcome = SlowReaderOutcome(growth: peak - baseline, sentWhileNotReading: sent.value)

        for index in 0..<requestCount {
            let response = try client.readResponse()
            guard response.status == 200, response.body.count == responseSize,
                response.body.starts(with: Array("\(index)\n".utf8))
            else {
                XCTFail("response \(index): status \(response.status), \(response.body.count) bytes, starts \(response.text.prefix(8))")
                return outcome
            }
        }
        XCTAssertEqual(senderDone.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(sendFailure.value, 0, "send failed with errno \(sendFailure.value)")
        withExtendedLifetime(server) {}
        print(
            "slow reader (\(requestCount) requests, \(padding) bytes of padding): RSS grew by \(outcome.growth >> 10) KiB; \(outcome.sentWhileNotReading) requests sent while not reading"
        )
        return outcome
    }

    /// Requests of 24 KB each: the client's writes block once the server pauses, long before all are
    /// sent. (48 MB of requests: more than the kernel's socket buffers can hold, whose autotuned
    /// maximum is 32 MiB received + 4 MiB sent here, so "all sent" means the server kept reading.)
    func testSlowReaderOfLargeRequestsPausesReading() throws {
        let outcome = try runSlowReader(requestCount: 2000, padding: 24000)
        XCTAssertLessThan(outcome.sentWhileNotReading, 2000, "the server read every request although no response was read")
        XCTAssertLessThan(outcome.growth, 64 << 20, "RSS grew by \(outcome.growth >> 20) MiB (unbounded: 125 MiB)")
    }

    /// 2,000 small requests arrive in a few receive buffers: the session must stop parsing once
    /// `maxBufferedResponseBytes` of responses pile up, and the worker must hold the rest of the
    /// buffer (and recvs already completed) instead of answering all of them (~125 MiB buffered).
    func testSlowReaderOfSmallPipelinedRequestsBoundsMemory() throws {
        let outcome = try runSlowReader(requestCount: 2000, padding: 0, inOneWrite: true)
        XCTAssertLessThan(outcome.growth, 64 << 20, "RSS grew by \(outcome.growth >> 20) MiB (unbounded: 125 MiB)")
    }

    // MARK: File descriptors

    func testAcceptSurvivesRunningOutOfFileDescriptors() throws {
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        var original = rlimit()
        XCTAssertEqual(getrlimit(resource, &original), 0)
        var restored = false
        func restore() {
            guard !restored else { return }
            restored = true
            var limit = original
            setrlimit(resource, &limit)
        }
        var placeholders: [Int32] = []
        func closePlaceholders() {
            for fd in placeholders { close(fd) }
            placeholders = []
        }
        defer {
            closePlaceholders()
            restore()
        }
        // Lowered before `start()`: io_uring takes the open-file limit when an accept is prepared, so
        // a multishot accept armed under the normal limit would not notice a later one. With an
        // explicit `maxConnections` the server raises the soft limit only to maxConnections + 64.
        let openCount = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
        var lowered = original
        lowered.rlim_cur = rlim_t(openCount + 30)
        XCTAssertEqual(setrlimit(resource, &lowered), 0)

        let store = CapturingLogHandler.Store()
        var listener = Listener(name: "http", port: 0)
        listener.get("/hello") { _ in HTTPResponse(text: "hello") }
        let server = try TestServer(workers: 1, listeners: [listener]) {
            $0.logger = CapturingLogHandler.logger(into: store)
            $0.maxConnections = 16
        }
        let port = server.port("http")
        let warmup = try TestSocket(port: port)
        try warmup.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(try warmup.readResponse().text, "hello")

        // Fill the descriptor table, then free exactly one slot for a client socket: the server's
        // accept of that connection finds none left.
        var fillError: Int32 = 0
        for _ in 0..<1000 {
            let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                fillError = errno
                break
            }
            placeholders.append(fd)
        }
        XCTAssertEqual(fillError, EMFILE)
        if let last = placeholders.popLast() { close(last) }
        let pending = try TestSocket(port: port, timeout: 5)
        try pending.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")

        let deadline = MonotonicClock.now() + 3000
        while MonotonicClock.now() < deadline, !store.messages.contains(where: { $0.text.contains("cannot accept") }) {
            usleep(20_000)
        }
        let acceptFailure = store.messages.first { $0.text.contains("cannot accept") }
        XCTAssertNotNil(acceptFailure, "no accept failure logged: \(store.messages.map(\.text))")
        XCTAssertEqual(acceptFailure?.level, .error)

        closePlaceholders()
        restore()
        // The connection that could not be accepted is served once descriptors are back.
        let response = try pending.readResponse()
        XCTAssertEqual(response.text, "hello")
        for _ in 0..<5 {
            let fresh = try TestSocket(port: port)
            try fresh.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            XCTAssertEqual(try fresh.readResponse().text, "hello")
        }
        try warmup.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        XCTAssertEqual(try warmup.readResponse().text, "hello")
        withExtendedLifetime(server) {}
    }
}

/// A failure described in words, thrown from client threads.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
