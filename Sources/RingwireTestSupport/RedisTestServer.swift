import Foundation
import Glibc

/// A throwaway `redis-server` for end-to-end tests: on a free loopback port, persisting nothing,
/// working in a temporary directory of its own, stopped (SIGTERM, then waited for) by `stop()`,
/// which also removes that directory. Confined to the test's thread.
package final class RedisTestServer {
    /// `redis-server` is not installed, or did not start; tests turn this into a skip (or a failure
    /// where clients are required).
    package struct Unavailable: Error, CustomStringConvertible {
        package let description: String
    }

    package let port: UInt16
    private let process: Process
    private let directory: URL
    /// The server's stdout and stderr.
    private let log: FileHandle

    /// Where `redis-server` is looked for, in order.
    private static let candidates = ["/usr/bin/redis-server", "/usr/local/bin/redis-server"]

    /// Starts a server with `arguments` added (`["--requirepass", "pw"]`, `["--user", ...]`) and
    /// returns once it accepts connections.
    package init(arguments: [String] = []) throws {
        guard let executable = Self.candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Unavailable(description: "redis-server is not installed (looked in \(Self.candidates.joined(separator: ", ")))")
        }
        // Released at once for the server to bind; the kernel hands out ports in turn, so another
        // process taking this one meanwhile is unlikely (and the start would then fail, not hang).
        let probe = try LoopbackSocket(listening: false)
        close(probe.fd)
        port = probe.port
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringwire-redis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments =
            [
                "--port", String(port), "--bind", "127.0.0.1", "--protected-mode", "no", "--save", "", "--appendonly", "no",
                "--dir", directory.path,
            ] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        log = output.fileHandleForReading
        do {
            try process.run()
            try Self.waitUntilReady(log)
        } catch {
            stop()
            throw error
        }
        // Its later log lines are read and dropped, so a full pipe never blocks the server.
        log.readabilityHandler = { _ = $0.availableData }
    }

    /// Stops the server and removes its directory; safe to call twice.
    package func stop() {
        log.readabilityHandler = nil
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }

    /// Reads the server's log until it says it accepts connections (10 s at most).
    private static func waitUntilReady(_ log: FileHandle) throws {
        var seen = ""
        let fd = log.fileDescriptor
        while !seen.contains("Ready to accept connections") {
            var waiting = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&waiting, 1, 10_000) == 1 else { throw Unavailable(description: "redis-server did not start in 10 s:\n\(seen)") }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = read(fd, &chunk, chunk.count)
            guard count > 0 else { throw Unavailable(description: "redis-server exited:\n\(seen)") }
            seen += String(decoding: chunk[..<count], as: UTF8.self)
        }
    }
}
