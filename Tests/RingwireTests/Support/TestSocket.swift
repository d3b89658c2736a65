import Glibc
import RingwireTestSupport
import XCTest

/// A blocking TCP client for tests, with a receive timeout so no test can hang.
final class TestSocket {
    private(set) var fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to 127.0.0.1:`port`; reads time out after `timeout` seconds. A `receiveBufferSize`
    /// shrinks the kernel's receive buffer (and so the TCP window) of a client that will not read.
    init(port: Int, timeout: Double = 5, receiveBufferSize: Int32? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSocketError.failed("socket", errno) }
        if var size = receiveBufferSize {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(fd)
            throw TestSocketError.failed("connect", code)
        }
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    /// Drops the connection abruptly: the server sees a reset, not an orderly close.
    func reset() {
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        Glibc.close(fd)
        fd = -1
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw TestSocketError.failed("send", errno) }
            offset += sent
        }
    }

    /// Reads more bytes into the buffer; false on EOF, throws on timeout or error.
    @discardableResult
    func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count == 0 { return false }
        guard count > 0 else { throw TestSocketError.failed("recv", errno) }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }

    /// Reads exactly `count` bytes.
    func read(exactly count: Int) throws -> [UInt8] {
        while buffer.count < count {
            guard try fill() else { throw TestSocketError.closed }
        }
        let result = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return result
    }

    /// Reads up to and including `delimiter`.
    func read(until delimiter: [UInt8]) throws -> [UInt8] {
        while true {
            if let range = firstRange(of: delimiter) {
                let result = Array(buffer[0..<range])
                buffer.removeFirst(range)
                return result
            }
            guard try fill() else { throw TestSocketError.closed }
        }
    }

    /// Reads one HTTP response (Content-Length or close-delimited body; `headRequest` means no body).
    func readResponse(headRequest: Bool = false) throws -> TestResponse {
        var ended = false
        while true {
            if let response = TestResponse.parse(&buffer, headRequest: headRequest, atEndOfStream: ended) { return response }
            guard !ended else { throw TestSocketError.closed }
            ended = try !fill()
        }
    }

    /// Reads one WebSocket frame.
    func readFrame() throws -> ServerFrame {
        while true {
            if let frame = ServerFrame.parse(&buffer) { return frame }
            guard try fill() else { throw TestSocketError.closed }
        }
    }

    /// True if the server closed the connection (EOF) within the receive timeout.
    func waitForClose() -> Bool {
        while true {
            do {
                if try !fill() { return true }
            } catch {
                return false
            }
        }
    }

    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    private func firstRange(of delimiter: [UInt8]) -> Int? {
        guard buffer.count >= delimiter.count else { return nil }
        for start in 0...(buffer.count - delimiter.count) where buffer[start] == delimiter[0] {
            if Array(buffer[start..<start + delimiter.count]) == delimiter { return start + delimiter.count }
        }
        return nil
    }
}

enum TestSocketError: Error {
    case failed(String, Int32)
    case closed
}
