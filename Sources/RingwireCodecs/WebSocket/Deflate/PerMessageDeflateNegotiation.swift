/// Chooses permessage-deflate parameters from a client's handshake (RFC 7692 section 7.1).
@_spi(RingwireInternal) public enum PerMessageDeflateNegotiation {
    /// Parses the client's `Sec-WebSocket-Extensions` header values (one string per header; each may
    /// list several comma-separated offers, each `name; param; param=value`, values may be quoted)
    /// and returns the parameters of the first permessage-deflate offer we can honour, or `nil`,
    /// in which case the connection runs without compression.
    ///
    /// An offer is declined (skipped) when it is malformed, repeats a parameter, names an unknown
    /// one, gives a value to `*_no_context_takeover`, omits the value of `server_max_window_bits`,
    /// or gives window bits other than `8`...`15` (RFC 7692 7.1: no leading zeros or signs).
    /// What the client asks for is honoured; our `configuration` may add context resets and
    /// lower the windows. With `sharedCompressor`, an offer demanding a window smaller than
    /// `serverMaxWindowBits` is declined, since the worker's single compressor uses that window.
    public static func negotiate(
        offers: [String],
        configuration: PerMessageDeflateConfiguration
    ) -> PerMessageDeflateParameters? {
        guard configuration.isEnabled else { return nil }
        for offer in ExtensionOfferParser.parse(offers) where HTTPByte.equalsIgnoringCase(offer.name.utf8, "permessage-deflate".utf8) {
            if let request = ClientRequest(offer),
                let parameters = accept(request, configuration: configuration)
            {
                return parameters
            }
        }
        return nil
    }

    /// The RFC 7692 parameters of one offer, validated.
    private struct ClientRequest {
        package var serverNoContextTakeover = false
        package var clientNoContextTakeover = false
        /// The window the client can inflate with; nil when it did not say.
        package var serverMaxWindowBits: Int?
        /// Whether `client_max_window_bits` was offered (lets us send one back), and its value (the
        /// window the client will use at most; nil means it left the choice to us).
        var offersClientMaxWindowBits = false
        package var clientMaxWindowBits: Int?

        /// Nil when the offer must be declined.
        package init?(_ offer: ExtensionOffer) {
            var seen: Set<String> = []
            for parameter in offer.parameters {
                let name = parameter.name.lowercased()
                guard seen.insert(name).inserted else { return nil }
                switch name {
                case "server_no_context_takeover":
                    guard parameter.value == nil else { return nil }
                    serverNoContextTakeover = true
                case "client_no_context_takeover":
                    guard parameter.value == nil else { return nil }
                    clientNoContextTakeover = true
                case "server_max_window_bits":
                    guard let value = parameter.value, let bits = Self.windowBits(value) else { return nil }
                    serverMaxWindowBits = bits
                case "client_max_window_bits":
                    offersClientMaxWindowBits = true
                    if let value = parameter.value {
                        guard let bits = Self.windowBits(value) else { return nil }
                        clientMaxWindowBits = bits
                    }
                default:
                    return nil
                }
            }
        }

        /// RFC 7692 7.1.2: exactly "8" through "15".
        private static func windowBits(_ text: String) -> Int? {
            guard let bits = Int(text), (8...15).contains(bits), String(bits) == text else { return nil }
            return bits
        }
    }

    private static func accept(
        _ request: ClientRequest,
        configuration: PerMessageDeflateConfiguration
    ) -> PerMessageDeflateParameters? {
        let ourServerBits = configuration.clampedServerMaxWindowBits
        let serverBits = min(ourServerBits, request.serverMaxWindowBits ?? 15)
        if configuration.sharedCompressor && serverBits < ourServerBits { return nil }

        // Without the parameter in the offer we may not constrain the client, which then uses 15.
        let clientBits =
            request.offersClientMaxWindowBits
            ? min(configuration.clampedClientMaxWindowBits, request.clientMaxWindowBits ?? 15) : 15

        var parameters = PerMessageDeflateParameters(
            serverNoContextTakeover: request.serverNoContextTakeover || configuration.serverNoContextTakeover
                || configuration.sharedCompressor,
            // Echoing the client's own hint lets us reset the inflater per message.
            clientNoContextTakeover: request.clientNoContextTakeover || configuration.clientNoContextTakeover,
            serverMaxWindowBits: serverBits,
            clientMaxWindowBits: clientBits
        )
        parameters.answersServerMaxWindowBits = request.serverMaxWindowBits != nil
        return parameters
    }
}
