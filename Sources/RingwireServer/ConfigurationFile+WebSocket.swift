import Ringwire

extension ConfigurationFile {
    /// `"webSocket"`: the settings of every demo WebSocket route (`WebSocketConfiguration`), durations
    /// in seconds. An absent field keeps the library's default; `null` turns off what may be off
    /// (`idleTimeoutSeconds`, `allowedOrigins`, `minimumMessageProgress`).
    struct WebSocketEntry: Decodable {
        var maxFrameSize: Int?
        var maxMessageSize: Int?
        var maxBackpressure: Int?
        var backpressurePolicy: BackpressurePolicyName?
        var idleTimeoutSeconds: Setting<Double>
        var sendsPings: Bool?
        var closeTimeoutSeconds: Double?
        var deliversPings: Bool?
        var allowedOrigins: Setting<[String]>
        var minimumMessageProgress: Setting<ProgressEntry>
        var deflate: DeflateEntry?

        /// `WebSocketBackpressurePolicy` by name.
        enum BackpressurePolicyName: String, Decodable {
            case closePolicyViolation, closeTryAgainLater, dropNewMessages
        }

        struct ProgressEntry: Decodable {
            var bytes: Int
            var intervalSeconds: Double
        }

        /// `PerMessageDeflateConfiguration`; `"permessageDeflate": true` at the top level also enables it.
        struct DeflateEntry: Decodable {
            var enabled: Bool?
            var serverNoContextTakeover: Bool?
            var clientNoContextTakeover: Bool?
            var serverMaxWindowBits: Int?
            var clientMaxWindowBits: Int?
            var memLevel: Int?
            var compressionLevel: Int?
            var minimumSizeToCompress: Int?
            var sharedCompressor: Bool?
        }

        /// Sets what the entry names on `configuration`; validation is the library's, at start.
        func apply(to configuration: inout WebSocketConfiguration) {
            if let maxFrameSize { configuration.limits.maxFrameSize = maxFrameSize }
            if let maxMessageSize { configuration.limits.maxMessageSize = maxMessageSize }
            if let maxBackpressure { configuration.maxBackpressure = maxBackpressure }
            switch backpressurePolicy {
            case .closePolicyViolation: configuration.backpressurePolicy = .close(.policyViolation)
            case .closeTryAgainLater: configuration.backpressurePolicy = .close(.tryAgainLater)
            case .dropNewMessages: configuration.backpressurePolicy = .dropNewMessages
            case nil: break
            }
            idleTimeoutSeconds.apply(to: &configuration.idleTimeout) { .seconds($0) }
            if let sendsPings { configuration.sendsPings = sendsPings }
            if let closeTimeoutSeconds { configuration.closeTimeout = .seconds(closeTimeoutSeconds) }
            if let deliversPings { configuration.deliversPings = deliversPings }
            allowedOrigins.apply(to: &configuration.allowedOrigins) { $0 }
            minimumMessageProgress.apply(to: &configuration.minimumMessageProgress) {
                WebSocketMessageProgress(bytes: $0.bytes, interval: .seconds($0.intervalSeconds))
            }
            deflate?.apply(to: &configuration.deflate)
        }
    }
}

extension ConfigurationFile.WebSocketEntry.DeflateEntry {
    func apply(to configuration: inout PerMessageDeflateConfiguration) {
        if let enabled { configuration.isEnabled = enabled }
        if let serverNoContextTakeover { configuration.serverNoContextTakeover = serverNoContextTakeover }
        if let clientNoContextTakeover { configuration.clientNoContextTakeover = clientNoContextTakeover }
        if let serverMaxWindowBits { configuration.serverMaxWindowBits = serverMaxWindowBits }
        if let clientMaxWindowBits { configuration.clientMaxWindowBits = clientMaxWindowBits }
        if let memLevel { configuration.memLevel = memLevel }
        if let compressionLevel { configuration.compressionLevel = compressionLevel }
        if let minimumSizeToCompress { configuration.minimumSizeToCompress = minimumSizeToCompress }
        if let sharedCompressor { configuration.sharedCompressor = sharedCompressor }
    }
}
