import ArgumentParser
import Foundation
import Logging
import Ringwire
@_spi(RingwireInternal) import RingwireTransport

@main
struct RingwireCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ringwire",
        abstract: "A WebSocket and HTTP/1.1 server on io_uring.",
        discussion:
            "With no options: HTTP on port 9501 and WebSocket on port 9502, one worker per core this process may run on (at most 256).")

    @Option(help: "Worker threads (default: one per core this process may run on, at most 256).")
    var workers: Int?

    @Option(help: "Address to bind the default listeners to.")
    var host = "0.0.0.0"

    @Option(name: .customLong("http-port"), help: "Port of the default HTTP listener.")
    var httpPort = 9501

    @Option(name: .customLong("ws-port"), help: "Port of the default WebSocket listener.")
    var wsPort = 9502

    @Option(help: "How connections are spread over workers: reusePort or acceptor.")
    var distribution: ConnectionDistribution?

    @Option(name: .customLong("config"), help: "JSON file describing the server and its listeners (replaces the default listeners).")
    var configPath: String?

    @Flag(name: .customLong("permessage-deflate"), help: "Offer permessage-deflate compression on the echo, relay and chat routes.")
    var permessageDeflate = false

    @Option(
        name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.",
        transform: { name in
            guard let level = Logger.Level(rawValue: name) else { throw ValidationError("unknown log level '\(name)'") }
            return level
        })
    var logLevel: Logger.Level = .info

    func run() throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let (file, fileConfiguration) = try makeConfiguration()
        var configuration = fileConfiguration
        var webSocket = WebSocketConfiguration()
        if let file {
            webSocket = file.webSocketConfiguration(deflateFlag: permessageDeflate)
        } else {
            webSocket.deflate.isEnabled = permessageDeflate
        }
        let stats = ServerStats()
        DemoApplication.install(on: &configuration, webSocket: webSocket, stats: stats)

        // Workers inherit this mask, so SIGINT/SIGTERM reach only the sigwait below.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &signals, nil)

        let server = Server(configuration: configuration)
        stats.attach(server)
        do {
            try server.start()
        } catch {
            FileHandle.standardError.write(Data("ringwire: \(error)\n".utf8))
            throw ExitCode.failure
        }
        var received: Int32 = 0
        sigwait(&signals, &received)
        configuration.logger.info("received signal \(received); stopping gracefully")
        server.stop()
        server.wait()
        configuration.logger.info("stopped")
    }

    private func makeConfiguration() throws -> (ConfigurationFile?, ServerConfiguration) {
        var configuration: ServerConfiguration
        var file: ConfigurationFile?
        if let configPath {
            do {
                let loaded = try ConfigurationFile.load(path: configPath)
                file = loaded
                configuration = loaded.serverConfiguration()
            } catch {
                throw ValidationError("cannot read configuration file \(configPath): \(error)")
            }
        } else {
            configuration = ServerConfiguration(listeners: [
                Listener(name: "http", host: host, port: httpPort, kind: .http),
                Listener(name: "ws", host: host, port: wsPort, kind: .webSocket),
            ])
        }
        if let workers { configuration.workers = workers }
        if let distribution { configuration.distribution = distribution }
        return (file, configuration)
    }
}

extension ConnectionDistribution: ExpressibleByArgument {}
