@_spi(RingwireInternal) import RingwireTransport

/// Lines sessions write when a client misbehaves, each limited per worker like the transport's own
/// (see `ThrottledLog`).
extension ThrottledLog.Kind {
    static let webSocketViolation = Self(summary: "WebSocket connections failed for breaking the protocol or a limit")
    static let webSocketPolicyClose = Self(summary: "WebSocket connections closed by a server policy")
    static let httpRejected = Self(summary: "HTTP requests rejected")
    static let redisConnectionFailed = Self(summary: "Redis connections failed")
    static let redisReconnecting = Self(summary: "Redis reconnect attempts")
}
