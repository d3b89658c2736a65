import Foundation
import Glibc
import XCTest

/// The `ringwire` executable run as a child process, with its standard error collected.
///
/// Every wait is bounded; `deinit` kills the child if a test left it running.
final class RingwireProcess {
    let process = Process()
    private let errorOutput = LockedText()

    /// The `ringwire` built next to the test bundle (or `RINGWIRE_BINARY`); skips the test if absent.
    static func executable() throws -> URL {
        if let override = ProcessInfo.processInfo.environment["RINGWIRE_BINARY"] {
            return URL(fileURLWithPath: override)
        }
        // The test runner is the bundle executable inside the build folder, where `ringwire` is built too.
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("ringwire")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        throw missingClient("the ringwire binary is not built next to \(runner.path); run `swift build` first or set RINGWIRE_BINARY")
    }

    /// Launches `ringwire` with `arguments`; with `cpu`, through `taskset` so it may run on that CPU only.
    init(_ arguments: [String], onlyOnCPU cpu: Int? = nil) throws {
        let executable = try Self.executable()
        if let cpu {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/taskset")
            process.arguments = ["-c", "\(cpu)", executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let fd = pipe.fileHandleForReading.fileDescriptor
        let sink = errorOutput
        // Read on a thread of its own so the child never blocks on a full pipe.
        let reader = Thread {
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                sink.append(String(decoding: chunk[0..<count], as: UTF8.self))
            }
            sink.finish()
            withExtendedLifetime(pipe) {}
        }
        reader.start()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Everything the child wrote to standard error so far.
    var standardError: String { errorOutput.text }

    /// The ports of the `serving ...` startup line, by listener name; throws if it does not appear in time.
    func waitForPorts(timeout: Double = 10) throws -> [String: Int] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let text = standardError
            if let line = text.split(separator: "\n").first(where: { $0.contains("serving ") }) {
                var ports: [String: Int] = [:]
                for match in line.matches(of: /([^\s,]+) (?:http|websocket) on [^\s,]+:(\d+)/) {
                    ports[String(match.output.1)] = Int(match.output.2)
                }
                return ports
            }
            if !process.isRunning { break }
            usleep(20_000)
        }
        throw RingwireProcessError.noStartupLine(standardError)
    }

    /// Sends `signal` to the child.
    func send(signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// The exit status once the child has exited (and its standard error is complete), or nil if it
    /// still runs after `timeout` seconds.
    func waitForExit(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            guard Date() < deadline else { return nil }
            usleep(20_000)
        }
        errorOutput.waitUntilFinished(timeout: 2)
        return process.terminationStatus
    }
}

enum RingwireProcessError: Error {
    case noStartupLine(String)
}

/// Text appended by one thread and read by another.
final class LockedText: @unchecked Sendable {
    private let condition = NSCondition()
    private var value = ""
    private var finished = false

    var text: String {
        condition.lock()
        defer { condition.unlock() }
        return value
    }

    func append(_ piece: String) {
        condition.lock()
        value += piece
        condition.unlock()
    }

    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    func waitUntilFinished(timeout: Double) {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        while !finished && condition.wait(until: deadline) {}
        condition.unlock()
    }
}
