@_spi(RingwireInternal) import RingwireTransport

/// Settings the server cannot honour are refused at `start()`, naming the setting and its value,
/// instead of failing later (a trap on a conversion, a timeout that fires at once, a header
/// injected through `serverName`).
extension ServerConfiguration {
    func validate() throws(ServerError) {
        guard workers >= 1 && workers <= Self.maximumWorkers else {
            throw .invalidConfiguration("workers must be 1...\(Self.maximumWorkers), not \(workers)")
        }
        guard !listeners.isEmpty else { throw .invalidConfiguration("at least one listener is needed") }
        var names = Set<String>()
        for listener in listeners {
            guard names.insert(listener.name).inserted else {
                throw .invalidConfiguration("two listeners are named '\(listener.name)'")
            }
            if let problem = listener.configurationProblem {
                throw .invalidConfiguration("listener '\(listener.name)': \(problem)")
            }
        }
        guard receiveBufferCount > 0, receiveBufferCount & (receiveBufferCount - 1) == 0, receiveBufferCount <= 32768 else {
            throw .invalidConfiguration("receiveBufferCount must be a power of two ≤ 32768, not \(receiveBufferCount)")
        }
        guard (512...(16 << 20)).contains(receiveBufferSize) else {
            throw .invalidConfiguration("receiveBufferSize must be 512...16777216, not \(receiveBufferSize)")
        }
        guard messageBufferBudgetPerWorker >= 1 else {
            throw .invalidConfiguration("messageBufferBudgetPerWorker must be at least 1, not \(messageBufferBudgetPerWorker)")
        }
        guard (1...32768).contains(ringEntries) else {
            throw .invalidConfiguration("ringEntries must be 1...32768, not \(ringEntries)")
        }
        guard (1...Int(Int32.max)).contains(backlog) else {
            throw .invalidConfiguration("backlog must be 1...\(Int32.max), not \(backlog)")
        }
        if let maxConnections, !(1...workers * ConnectionTable.maximumSlots).contains(maxConnections) {
            throw .invalidConfiguration(
                "maxConnections must be 1...\(workers * ConnectionTable.maximumSlots) with \(workers) worker(s), not \(maxConnections)")
        }
        let durations = [
            ("shutdownGracePeriod", shutdownGracePeriod), ("lingerTimeout", lingerTimeout),
            ("idleMemoryRelease", idleMemoryRelease ?? .zero),
        ]
        for (name, duration) in durations where duration < .zero {
            throw .invalidConfiguration("\(name) must not be negative, not \(duration)")
        }
    }
}

extension Listener {
    /// What is wrong with this listener's settings, if anything.
    var configurationProblem: String? {
        guard (0...65535).contains(port) else { return "port \(port) is outside 0...65535" }
        if let problem = http.configurationProblem { return problem }
        if let invalid = routes.invalidPatterns.first ?? webSocketRoutes.invalidPatterns.first { return "\(invalid)" }
        var problem: String?
        webSocketRoutes.forEachRoute { pattern, route in
            if problem == nil, let routeProblem = route.configuration.configurationProblem {
                problem = "WebSocket route \(pattern): \(routeProblem)"
            }
        }
        return problem
    }
}

extension HTTPConfiguration {
    var configurationProblem: String? {
        let sizes = [
            ("maxRequestLineLength", limits.maxRequestLineLength), ("maxHeaderBytes", limits.maxHeaderBytes),
            ("maxHeaderCount", limits.maxHeaderCount), ("maxChunkLineLength", limits.maxChunkLineLength),
            ("maxBufferedResponseBytes", maxBufferedResponseBytes),
        ]
        if let (name, value) = sizes.first(where: { $0.1 <= 0 }) { return "\(name) must be positive, not \(value)" }
        if limits.maxBodySize < 0 { return "maxBodySize must not be negative, not \(limits.maxBodySize)" }
        let timeouts = [
            ("headerReadTimeout", headerReadTimeout), ("bodyReadTimeout", bodyReadTimeout),
            ("keepAliveTimeout", keepAliveTimeout),
        ]
        if let (name, value) = timeouts.first(where: { $0.1 <= .zero }) { return "\(name) must be positive, not \(value)" }
        // RFC 9110 §5.5: a field value is visible characters, spaces and tabs; CR or LF would let
        // the setting inject headers into every response.
        if !serverName.utf8.allSatisfy(HTTPByte.isFieldValue) {
            return "serverName must not contain control characters"
        }
        return nil
    }
}

extension WebSocketConfiguration {
    var configurationProblem: String? {
        if limits.maxFrameSize <= 0 { return "maxFrameSize must be positive, not \(limits.maxFrameSize)" }
        if limits.maxMessageSize <= 0 { return "maxMessageSize must be positive, not \(limits.maxMessageSize)" }
        if maxBackpressure < 0 { return "maxBackpressure must not be negative, not \(maxBackpressure)" }
        if let idleTimeout, idleTimeout <= .zero { return "idleTimeout must be positive (or nil for none), not \(idleTimeout)" }
        if closeTimeout <= .zero { return "closeTimeout must be positive, not \(closeTimeout)" }
        if let problem = deflate.configurationProblem { return problem }
        if let progress = minimumMessageProgress {
            if progress.bytes <= 0 { return "minimumMessageProgress.bytes must be positive, not \(progress.bytes)" }
            if progress.interval <= .zero { return "minimumMessageProgress.interval must be positive, not \(progress.interval)" }
        }
        return nil
    }
}

extension PerMessageDeflateConfiguration {
    var configurationProblem: String? {
        let ranges = [
            ("serverMaxWindowBits", serverMaxWindowBits, 8...15), ("clientMaxWindowBits", clientMaxWindowBits, 8...15),
            ("memLevel", memLevel, 1...9), ("compressionLevel", compressionLevel, 0...9),
        ]
        for (name, value, range) in ranges where !range.contains(value) {
            return "deflate.\(name) must be \(range.lowerBound)...\(range.upperBound), not \(value)"
        }
        if minimumSizeToCompress < 0 { return "deflate.minimumSizeToCompress must not be negative, not \(minimumSizeToCompress)" }
        return nil
    }
}
