import Foundation
import XCTest

/// Runs the Python scenario scripts in `Tests/Interop` against a server started by the test, with
/// the `websockets` library as an independent client.
enum InteropScript {
    /// `Tests/Interop`, found from this file's location so the tests run from any directory.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Interop
        .deletingLastPathComponent()  // WebSocket
        .deletingLastPathComponent()  // RingwireTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Interop")

    /// Whether `python3` can import `websockets`; checked once per test run.
    static let websocketsAvailable: Bool = {
        (try? execute(["-c", "import websockets"], timeout: 30).status) == 0
    }()

    /// Skips the calling test when the Python client is missing, saying how to install it.
    static func requireClient() throws {
        guard websocketsAvailable else {
            throw missingClient("python3 with the websockets package is needed (scripts/install-dependencies installs it)")
        }
    }

    /// Skips the calling test unless `python3` can import `module`.
    static func requireModule(_ module: String) throws {
        guard (try? execute(["-c", "import \(module)"], timeout: 30).status) == 0 else {
            throw missingClient("python3 with the \(module) package is needed (scripts/install-dependencies installs it)")
        }
    }

    /// Runs `python3 Tests/Interop/<script>.py <scenario> <port>` and fails the test unless it exits 0
    /// within `timeout` seconds; the script's output is attached to the failure.
    static func run(
        _ script: String, _ scenario: String, port: Int, timeout: Double = 60,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        try requireClient()
        let path = directory.appendingPathComponent("\(script).py").path
        let result = try execute([path, scenario, String(port)], timeout: timeout)
        if result.timedOut {
            XCTFail("\(script) \(scenario) killed after \(timeout) s\n\(result.output)", file: file, line: line)
        } else if result.status != 0 {
            XCTFail("\(script) \(scenario) exited with \(result.status)\n\(result.output)", file: file, line: line)
        }
    }

    private struct Outcome {
        var status: Int32
        var timedOut: Bool
        var output: String
    }

    /// Runs python3 with `arguments`, collecting stdout and stderr together, killing it at `timeout`.
    private static func execute(_ arguments: [String], timeout: Double) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        // Read concurrently so a chatty script never blocks on a full pipe.
        let collected = OutputCollector()
        let reader = Thread { collected.append(pipe.fileHandleForReading.readDataToEndOfFile()) }
        try process.run()
        reader.start()
        var timedOut = false
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
        }
        collected.waitForEnd()
        return Outcome(status: process.terminationStatus, timedOut: timedOut, output: collected.text)
    }
}

/// The script's output, filled by the reader thread.
private final class OutputCollector: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var data = Data()

    func append(_ data: Data) {
        lock.withLock { self.data = data }
        done.signal()
    }

    /// Waits (bounded) until the pipe reached end of file; a stray grandchild holding it open must not hang the test.
    func waitForEnd() { _ = done.wait(timeout: .now() + 5) }

    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}
