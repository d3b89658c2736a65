import Foundation
import Ringwire

/// The JSON configuration file (`--config FILE`): the same settings as `ServerConfiguration` and
/// `Listener`, with durations in seconds. Apart from `listeners` and each listener's `name` and
/// `port`, every field is optional and defaults as in the library.
///
/// ```json
/// { "workers": 2, "distribution": "reusePort",
///   "listeners": [ { "name": "http", "port": 9501, "protocol": "http" },
///                  { "name": "ws", "port": 9502, "protocol": "websocket" } ] }
/// ```
struct ConfigurationFile: Decodable {
    struct ListenerEntry: Decodable {
        var name: String
        var host: String?
        var port: Int
        var `protocol`: Listener.Kind?
        var webSocketUpgrades: Bool?
        var http: HTTPEntry?
    }

    struct HTTPEntry: Decodable {
        var maxRequestLineLength: Int?
        var maxHeaderBytes: Int?
        var maxHeaderCount: Int?
        var maxBodySize: Int?
        var maxChunkLineLength: Int?
        var headerReadTimeoutSeconds: Double?
        var bodyReadTimeoutSeconds: Double?
        var keepAliveTimeoutSeconds: Double?
        var maxBufferedResponseBytes: Int?
        var serverName: String?
    }

    var workers: Int?
    var distribution: ConnectionDistribution?
    var maxConnections: Int?
    var receiveBufferCount: Int?
    var receiveBufferSize: Int?
    var messageBufferBudgetPerWorker: Int?
    var ringEntries: Int?
    var backlog: Int?
    /// `null` keeps the workers' idle memory (`ServerConfiguration.idleMemoryRelease = nil`).
    var idleMemoryReleaseSeconds: Setting<Double>
    var shutdownGracePeriodSeconds: Double?
    var lingerTimeoutSeconds: Double?
    /// Offer permessage-deflate on the demo echo, relay and chat routes (as `webSocket.deflate.enabled`).
    var permessageDeflate: Bool?
    /// Settings of the demo WebSocket routes.
    var webSocket: WebSocketEntry?
    var listeners: [ListenerEntry]

    static func load(path: String) throws -> ConfigurationFile {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try JSONDecoder().decode(ConfigurationFile.self, from: data)
    }

    /// The server configuration this file describes (the demo application's handlers are added on
    /// each listener according to its protocol, with `webSocketConfiguration`).
    func serverConfiguration() -> ServerConfiguration {
        var configuration = ServerConfiguration(listeners: listeners.map(\.listener))
        if let workers { configuration.workers = workers }
        if let distribution { configuration.distribution = distribution }
        if let maxConnections { configuration.maxConnections = maxConnections }
        if let receiveBufferCount { configuration.receiveBufferCount = receiveBufferCount }
        if let receiveBufferSize { configuration.receiveBufferSize = receiveBufferSize }
        if let messageBufferBudgetPerWorker { configuration.messageBufferBudgetPerWorker = messageBufferBudgetPerWorker }
        if let ringEntries { configuration.ringEntries = ringEntries }
        if let backlog { configuration.backlog = backlog }
        idleMemoryReleaseSeconds.apply(to: &configuration.idleMemoryRelease) { .seconds($0) }
        if let shutdownGracePeriodSeconds { configuration.shutdownGracePeriod = .seconds(shutdownGracePeriodSeconds) }
        if let lingerTimeoutSeconds { configuration.lingerTimeout = .seconds(lingerTimeoutSeconds) }
        return configuration
    }
}

extension ConfigurationFile.ListenerEntry {
    var listener: Listener {
        var listener = Listener(name: name, host: host ?? "0.0.0.0", port: port, kind: self.protocol ?? .http)
        if let webSocketUpgrades { listener.acceptsWebSocketUpgrades = webSocketUpgrades }
        if let http { http.apply(to: &listener.http) }
        return listener
    }
}

extension ConfigurationFile.HTTPEntry {
    func apply(to configuration: inout HTTPConfiguration) {
        if let maxRequestLineLength { configuration.limits.maxRequestLineLength = maxRequestLineLength }
        if let maxHeaderBytes { configuration.limits.maxHeaderBytes = maxHeaderBytes }
        if let maxHeaderCount { configuration.limits.maxHeaderCount = maxHeaderCount }
        if let maxBodySize { configuration.limits.maxBodySize = maxBodySize }
        if let maxChunkLineLength { configuration.limits.maxChunkLineLength = maxChunkLineLength }
        if let headerReadTimeoutSeconds { configuration.headerReadTimeout = .seconds(headerReadTimeoutSeconds) }
        if let bodyReadTimeoutSeconds { configuration.bodyReadTimeout = .seconds(bodyReadTimeoutSeconds) }
        if let keepAliveTimeoutSeconds { configuration.keepAliveTimeout = .seconds(keepAliveTimeoutSeconds) }
        if let maxBufferedResponseBytes { configuration.maxBufferedResponseBytes = maxBufferedResponseBytes }
        if let serverName { configuration.serverName = serverName }
    }
}

extension ConfigurationFile {
    /// The demo WebSocket routes' settings: the library's defaults, then `webSocket`, then
    /// `permessageDeflate` (or the `--permessage-deflate` flag, `deflateFlag`).
    func webSocketConfiguration(deflateFlag: Bool) -> WebSocketConfiguration {
        var configuration = WebSocketConfiguration()
        webSocket?.apply(to: &configuration)
        if deflateFlag || permessageDeflate == true { configuration.deflate.isEnabled = true }
        return configuration
    }
}
