/// A WebSocket close status code (RFC 6455 §7.4), carried big-endian in the first two bytes of a
/// close frame's payload.
///
/// A struct rather than an enum because peers may legitimately send any code in the
/// application (3000–3999) and private (4000–4999) ranges.
public struct WebSocketCloseCode: RawRepresentable, Hashable, Sendable {
    /// The numeric status code.
    public var rawValue: UInt16

    /// Wraps any numeric code, valid on the wire or not (see `isValidOnWire`).
    @inlinable
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// 1000: the purpose of the connection has been fulfilled.
    public static let normalClosure = WebSocketCloseCode(rawValue: 1000)
    /// 1001: the endpoint is going away (server shutdown, browser navigating away).
    public static let goingAway = WebSocketCloseCode(rawValue: 1001)
    /// 1002: the peer violated the protocol (bad framing, bad close payload...).
    public static let protocolError = WebSocketCloseCode(rawValue: 1002)
    /// 1003: the endpoint cannot accept this kind of data (e.g. binary on a text-only endpoint).
    public static let unsupportedData = WebSocketCloseCode(rawValue: 1003)
    /// 1005: a close frame arrived without a status code. Reported locally, never sent.
    public static let noStatusReceived = WebSocketCloseCode(rawValue: 1005)
    /// 1006: the connection dropped without a close frame. Reported locally, never sent.
    public static let abnormalClosure = WebSocketCloseCode(rawValue: 1006)
    /// 1007: a message's payload is inconsistent with its type (text that is not UTF-8).
    public static let invalidPayloadData = WebSocketCloseCode(rawValue: 1007)
    /// 1008: a message violates the endpoint's policy (generic catch-all).
    public static let policyViolation = WebSocketCloseCode(rawValue: 1008)
    /// 1009: a frame or message is larger than the endpoint accepts.
    public static let messageTooBig = WebSocketCloseCode(rawValue: 1009)
    /// 1010: the client expected an extension the server did not negotiate (sent by clients).
    public static let mandatoryExtension = WebSocketCloseCode(rawValue: 1010)
    /// 1011: the server hit an unexpected condition while handling the connection.
    public static let internalError = WebSocketCloseCode(rawValue: 1011)
    /// 1013: the server is overloaded; the client should reconnect later (IANA registry).
    public static let tryAgainLater = WebSocketCloseCode(rawValue: 1013)

    /// Whether this code may appear in a close frame on the wire; a peer sending any other code
    /// fails the connection with `protocolError`.
    ///
    /// Valid: 1000–1003, 1007–1011, the IANA-registered 1012 (service restart), 1013 (try again
    /// later) and 1014 (bad gateway), and the application/private range 3000–4999. Accepting
    /// 1012–1014 matches browsers and the current Autobahn suite (whose invalid-code cases 7.9.x
    /// no longer include them). Invalid: below 1000, 1004 (reserved), 1005/1006/1015 (local-only
    /// pseudo codes), the unassigned 1016–2999, and 5000 and above.
    @inlinable
    public var isValidOnWire: Bool {
        switch rawValue {
        case 1000...1003, 1007...1014, 3000...4999: return true
        default: return false
        }
    }
}
