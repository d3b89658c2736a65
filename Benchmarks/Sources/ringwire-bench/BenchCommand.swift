import ArgumentParser
import Foundation
import Glibc
import Histogram
import Synchronization

/// A failure that ends the run with a message.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Scenario: ExpressibleByArgument {}

@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ringwire-bench",
        abstract: "WebSocket (or raw TCP) load generator on io_uring, for loopback benchmarks.",
        discussion: """
            Scenarios: echo (C connections × K messages of S bytes in flight: msgs/s, latency), \
            handshake (connect, upgrade, close, repeat on C lanes: upgrades/s), idle (hold C upgraded \
            connections: server RSS per connection, needs --server-pid), broadcast (connection 0 publishes \
            at --rate to the other C - 1 in one room, path /broadcast: deliveries/s, publish-to-delivery latency).
            """)

    @Argument(help: "echo, handshake, idle or broadcast.")
    var scenario: Scenario = .echo

    @Option(help: "Server address (loopback only).")
    var host = "127.0.0.1"

    @Option(help: "Server port.")
    var port = 9502

    @Option(help: "Request path of the upgrade.")
    var path = "/"

    @Option(name: [.short, .customLong("connections")], help: "Connections (echo, idle) or parallel lanes (handshake).")
    var connections = 100

    @Option(name: [.short, .customLong("size")], help: "Message payload size in bytes.")
    var size = 32

    @Option(name: [.customShort("k"), .customLong("in-flight")], help: "Messages in flight per connection.")
    var inFlight = 8

    @Option(name: [.short, .customLong("duration")], help: "Measured seconds.")
    var duration = 5.0

    @Option(name: [.short, .customLong("warmup")], help: "Seconds before the measured window (connecting happens here).")
    var warmup = 1.0

    @Option(name: [.short, .customLong("threads")], help: "Client threads, each with its own ring.")
    var threads = 1

    @Option(name: .customLong("server-pid"), help: "Server process to measure: CPU over the window, RSS for idle.")
    var serverPID: Int32?

    @Option(help: "Broadcast: messages per second the publisher sends.")
    var rate = 1000

    @Option(name: .customLong("max-connecting"), help: "Connections being set up at once per thread.")
    var maxConnecting = 256

    @Flag(help: "Plain TCP echo: no WebSocket handshake or framing (for the raw echo servers).")
    var raw = false

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        var address = in_addr()
        guard inet_pton(AF_INET, host, &address) == 1, UInt32(bigEndian: address.s_addr) >> 24 == 127 else {
            throw ValidationError("--host must be an IPv4 loopback address (127.0.0.0/8), not \(host)")
        }
        guard connections > 0, size > 0, inFlight > 0, threads > 0, duration > 0, warmup >= 0, maxConnecting > 0 else {
            throw ValidationError("connections, size, in-flight, threads, max-connecting and duration must be positive")
        }
        guard duration <= 600, warmup <= 120, connections <= 100_000 else {
            throw ValidationError("runs are bounded: duration ≤ 600 s, warm-up ≤ 120 s, connections ≤ 100000")
        }
        if raw && scenario != .echo && scenario != .idle {
            throw ValidationError("--raw supports the echo and idle scenarios only (no handshake without WebSocket)")
        }
        if scenario == .broadcast && (threads != 1 || connections < 2 || rate <= 0 || rate > 1_000_000) {
            throw ValidationError("broadcast needs one client thread, at least 2 connections and a rate of 1...1000000")
        }
        if scenario == .idle && serverPID == nil {
            throw ValidationError("idle measures the server's memory: pass --server-pid")
        }
    }

    func run() throws {
        let fileLimit = ProcessProbe.raiseFileLimit()
        if connections + 64 > fileLimit {
            throw BenchError("open-file limit \(fileLimit) is too low for \(connections) connections (raise ulimit -n)")
        }
        signal(SIGPIPE, SIG_IGN)
        let report = try BenchRunner(command: self).run()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.text)
        }
        if report.errors > 0 && report.messages == 0 && report.upgrades == 0 && report.serverRSSPerConnectionBytes == nil {
            throw ExitCode(3)
        }
    }
}
