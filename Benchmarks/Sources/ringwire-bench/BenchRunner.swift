import Foundation
import Glibc
import Histogram

/// Starts the load threads, samples the server and this process over the measured window, and
/// merges what the threads measured into a report.
struct BenchRunner {
    let command: BenchCommand

    func run() throws -> BenchReport {
        let control = LoadControl()
        let start = ProcessProbe.nowNanoseconds()
        let warmup = UInt64(command.warmup * 1e9)
        let duration = UInt64(command.duration * 1e9)
        let idle = command.scenario == .idle
        // Idle runs end when the main thread says so; the deadline only guards against a stuck run.
        let hardDeadline = start + warmup + duration + (idle ? 120_000_000_000 : 2_000_000_000)
        let settings = LoadSettings(
            scenario: command.scenario, host: command.host, port: command.port, path: command.path,
            messageSize: command.size, inFlight: command.inFlight, publishRate: command.rate, raw: command.raw,
            maxConnecting: command.maxConnecting, windowStart: start + warmup, windowEnd: start + warmup + duration,
            hardDeadline: hardDeadline)

        var report = BenchReport(command: command)
        let serverPID = command.serverPID
        if idle, let serverPID { report.serverRSSBeforeKiB = ProcessProbe.residentKiB(pid: serverPID) }

        let threadCount = min(command.threads, command.connections)
        var loadThreads: [LoadThread] = []
        for index in 0..<threadCount {
            let share = command.connections / threadCount + (index < command.connections % threadCount ? 1 : 0)
            loadThreads.append(LoadThread(settings: settings, control: control, connectionCount: share))
        }
        let handles = loadThreads.map { startThread($0) }

        if idle {
            try measureIdle(control: control, report: &report, deadline: hardDeadline - 5_000_000_000)
            control.stop.store(true, ordering: .relaxed)
        } else {
            ProcessProbe.sleep(until: settings.windowStart)
            let serverBefore = serverPID.flatMap { ProcessProbe.cpuSeconds(pid: $0) }
            let clientBefore = ProcessProbe.ownCPUSeconds()
            ProcessProbe.sleep(until: settings.windowEnd)
            let serverAfter = serverPID.flatMap { ProcessProbe.cpuSeconds(pid: $0) }
            report.clientCPUSeconds = ProcessProbe.ownCPUSeconds() - clientBefore
            if let serverBefore, let serverAfter { report.serverCPUSeconds = serverAfter - serverBefore }
        }
        for handle in handles { pthread_join(handle, nil) }

        var latency = ThreadResult().latency
        for thread in loadThreads {
            let result = thread.result
            report.messages += result.messages
            report.upgrades += result.upgrades
            report.errors += result.errors
            if result.lastError != 0 { report.lastError = String(cString: strerror(result.lastError)) }
            latency.add(result.latency)
        }
        report.established = control.established.load(ordering: .relaxed)
        report.finish(latency: latency)
        return report
    }

    /// Waits until every connection is upgraded, lets the server settle, and reads its RSS.
    private func measureIdle(control: LoadControl, report: inout BenchReport, deadline: UInt64) throws {
        guard let serverPID = command.serverPID else { return }
        while control.established.load(ordering: .relaxed) < command.connections && ProcessProbe.nowNanoseconds() < deadline {
            ProcessProbe.sleep(until: ProcessProbe.nowNanoseconds() + 50_000_000)
        }
        let established = control.established.load(ordering: .relaxed)
        ProcessProbe.sleep(until: ProcessProbe.nowNanoseconds() + UInt64(max(command.warmup, 1) * 1e9))
        report.serverRSSAfterKiB = ProcessProbe.residentKiB(pid: serverPID)
        if let before = report.serverRSSBeforeKiB, let after = report.serverRSSAfterKiB, established > 0 {
            report.serverRSSPerConnectionBytes = Double(after - before) * 1024 / Double(established)
        }
    }

    private func startThread(_ thread: LoadThread) -> pthread_t {
        var handle = pthread_t()
        let box = Unmanaged.passRetained(thread).toOpaque()
        let status = pthread_create(
            &handle, nil,
            { argument in
                guard let argument else { return nil }
                let thread = Unmanaged<LoadThread>.fromOpaque(argument).takeRetainedValue()
                thread.run()
                return nil
            }, box)
        precondition(status == 0, "pthread_create failed: \(status)")
        return handle
    }
}

/// Everything one run measured, printed as text or JSON.
struct BenchReport: Codable {
    var scenario: Scenario
    var raw: Bool
    var connections: Int
    var messageSize: Int
    var inFlight: Int
    var threads: Int
    var durationSeconds: Double
    var messages = 0
    var upgrades = 0
    var established = 0
    var errors = 0
    var lastError: String?
    var messagesPerSecond: Double?
    var upgradesPerSecond: Double?
    var latencyMicroseconds: LatencySummary?
    var clientCPUSeconds: Double?
    var clientCPUPercent: Double?
    var serverCPUSeconds: Double?
    var serverCPUPercent: Double?
    /// Server CPU seconds per million messages (echo) or per million upgrades (handshake).
    var serverCPUSecondsPerMillion: Double?
    var serverRSSBeforeKiB: Int?
    var serverRSSAfterKiB: Int?
    var serverRSSPerConnectionBytes: Double?

    struct LatencySummary: Codable {
        var p50: Double
        var p99: Double
        var p999: Double
        var max: Double
        var mean: Double
    }

    init(command: BenchCommand) {
        scenario = command.scenario
        raw = command.raw
        connections = command.connections
        messageSize = command.size
        inFlight = command.inFlight
        threads = command.threads
        durationSeconds = command.duration
    }

    mutating func finish(latency: Histogram<UInt64>) {
        switch scenario {
        case .echo, .broadcast:
            messagesPerSecond = Double(messages) / durationSeconds
        case .handshake:
            upgradesPerSecond = Double(upgrades) / durationSeconds
        case .idle:
            break
        }
        if latency.totalCount > 0 {
            func micros(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) / 1000 }
            latencyMicroseconds = LatencySummary(
                p50: micros(latency.valueAtPercentile(50)), p99: micros(latency.valueAtPercentile(99)),
                p999: micros(latency.valueAtPercentile(99.9)), max: micros(latency.max), mean: latency.mean / 1000)
        }
        if let clientCPUSeconds { clientCPUPercent = clientCPUSeconds / durationSeconds * 100 }
        if let serverCPUSeconds {
            serverCPUPercent = serverCPUSeconds / durationSeconds * 100
            let units = scenario == .handshake ? upgrades : messages
            if units > 0 { serverCPUSecondsPerMillion = serverCPUSeconds / Double(units) * 1_000_000 }
        }
    }

    var text: String {
        var lines = [
            "scenario \(scenario.rawValue)\(raw ? " (raw TCP)" : ""): \(connections) connections, "
                + "\(messageSize) B × \(inFlight) in flight, \(threads) client thread(s), \(durationSeconds) s measured"
        ]
        if let messagesPerSecond { lines.append(String(format: "  messages: %d (%.0f msg/s)", messages, messagesPerSecond)) }
        if let upgradesPerSecond { lines.append(String(format: "  upgrades: %d (%.0f upgrades/s)", upgrades, upgradesPerSecond)) }
        if let latency = latencyMicroseconds {
            lines.append(
                String(
                    format: "  latency µs: p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f", latency.p50, latency.p99, latency.p999, latency.max))
        }
        if let clientCPUSeconds, let clientCPUPercent {
            lines.append(String(format: "  client CPU: %.2f s (%.0f%% of one core)", clientCPUSeconds, clientCPUPercent))
        }
        if let serverCPUSeconds, let serverCPUPercent {
            lines.append(
                String(
                    format: "  server CPU: %.2f s (%.0f%%), %.3f s per million", serverCPUSeconds, serverCPUPercent,
                    serverCPUSecondsPerMillion ?? .nan))
        }
        if let before = serverRSSBeforeKiB, let after = serverRSSAfterKiB {
            lines.append(
                String(
                    format: "  server RSS: %d KiB → %d KiB for %d connections: %.0f B per connection", before, after, established,
                    serverRSSPerConnectionBytes ?? .nan))
        }
        if errors > 0 { lines.append("  errors: \(errors) (last: \(lastError ?? "?"))") }
        return lines.joined(separator: "\n")
    }
}
