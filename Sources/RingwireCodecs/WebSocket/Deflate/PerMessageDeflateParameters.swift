/// What one connection agreed on for permessage-deflate (RFC 7692 section 7.1), seen from the
/// server: "server" is the direction we compress, "client" the direction we inflate.
@_spi(RingwireInternal) public struct PerMessageDeflateParameters: Sendable, Equatable {
    /// We reset our compression context after every message.
    public var serverNoContextTakeover: Bool

    /// The client resets its compression context after every message, so we reset our inflater.
    public var clientNoContextTakeover: Bool

    /// The largest window (as log2 bytes, 8...15) our compressed messages may refer back into.
    public var serverMaxWindowBits: Int

    /// The largest window (8...15) the client compresses with, and so the window our inflater needs.
    public var clientMaxWindowBits: Int

    /// Whether the response must name `server_max_window_bits` even at 15: RFC 7692 7.1.2.1 says a
    /// server accepts an offer carrying the parameter by answering it.
    var answersServerMaxWindowBits: Bool

    /// Parameters with the given values; the defaults are what a plain `permessage-deflate` offer
    /// agrees to.
    public init(
        serverNoContextTakeover: Bool = false,
        clientNoContextTakeover: Bool = false,
        serverMaxWindowBits: Int = 15,
        clientMaxWindowBits: Int = 15
    ) {
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBits = clientMaxWindowBits
        self.answersServerMaxWindowBits = false
    }

    /// The value of the `Sec-WebSocket-Extensions` response header that confirms these parameters,
    /// e.g. `permessage-deflate; server_no_context_takeover; client_max_window_bits=10`.
    ///
    /// Window sizes of 15 are left out (15 is what an absent parameter means), except that an
    /// offered `server_max_window_bits` is always answered.
    public var responseHeaderValue: String {
        var value = "permessage-deflate"
        if serverNoContextTakeover { value += "; server_no_context_takeover" }
        if clientNoContextTakeover { value += "; client_no_context_takeover" }
        if serverMaxWindowBits < 15 || answersServerMaxWindowBits {
            value += "; server_max_window_bits=\(serverMaxWindowBits)"
        }
        // Negotiation only lowers this below 15 when the client offered the parameter, which is
        // the only case RFC 7692 7.1.2.2 lets a server send it.
        if clientMaxWindowBits < 15 { value += "; client_max_window_bits=\(clientMaxWindowBits)" }
        return value
    }
}
