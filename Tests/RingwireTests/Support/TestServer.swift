import Logging
import XCTest

@testable import Ringwire

/// Starts a server on ephemeral loopback ports for one test and stops it afterwards.
final class TestServer {
    let server: Server

    init(
        workers: Int = 2, distribution: ConnectionDistribution = .reusePort, listeners: [Listener],
        configure: (inout ServerConfiguration) -> Void = { _ in }
    ) throws {
        var configuration = ServerConfiguration(
            listeners: listeners.map { listener in
                var listener = listener
                listener.host = "127.0.0.1"
                listener.port = 0
                return listener
            })
        configuration.workers = workers
        configuration.distribution = distribution
        configuration.logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        configuration.shutdownGracePeriod = .seconds(2)
        configure(&configuration)
        server = Server(configuration: configuration)
        try server.start()
    }

    func port(_ name: String) -> Int { server.port(of: name) ?? -1 }

    func stop() {
        server.stop()
        server.wait()
    }

    deinit { stop() }
}
