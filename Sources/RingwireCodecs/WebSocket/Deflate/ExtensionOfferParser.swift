/// One extension offer from a `Sec-WebSocket-Extensions` header: `name; param; param=value`.
struct ExtensionOffer: Equatable {
    /// One `name` or `name=value` parameter; quoted values arrive unquoted and unescaped.
    struct Parameter: Equatable {
        package var name: String
        package var value: String?
    }

    package var name: String
    package var parameters: [Parameter]
}

/// Splits `Sec-WebSocket-Extensions` header values into offers (RFC 6455 section 9.1 grammar:
/// `1#extension`, `extension = token *( ";" param )`, `param = token [ "=" (token / quoted-string) ]`,
/// with optional whitespace around the separators).
///
/// Runs once per handshake, so it favours plain code over speed. A malformed offer is dropped, not
/// the whole header: offers are alternatives, and the client may have a well-formed one later.
enum ExtensionOfferParser {
    /// The well-formed offers of every header value, in the order the client listed them.
    package static func parse(_ headerValues: [String]) -> [ExtensionOffer] {
        var offers: [ExtensionOffer] = []
        for value in headerValues {
            var scanner = Scanner(bytes: Array(value.utf8))
            scanner.appendOffers(to: &offers)
        }
        return offers
    }

    private struct Scanner {
        package let bytes: [UInt8]
        package var index = 0

        package init(bytes: [UInt8]) { self.bytes = bytes }

        private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func appendOffers(to offers: inout [ExtensionOffer]) {
            while index < bytes.count {
                skipWhitespace()
                // RFC 9110 section 5.6.1: recipients accept empty list elements ("a, , b").
                if current == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                if index == bytes.count { return }
                if let offer = parseOffer() {
                    offers.append(offer)
                } else {
                    skipPastNextComma()
                }
            }
        }

        /// Parses one offer, leaving the cursor after its terminating comma (or at the end).
        private mutating func parseOffer() -> ExtensionOffer? {
            guard let name = parseToken() else { return nil }
            var offer = ExtensionOffer(name: name, parameters: [])
            skipWhitespace()
            while current == UInt8(ascii: ";") {
                index += 1
                skipWhitespace()
                guard let parameterName = parseToken() else { return nil }
                skipWhitespace()
                var value: String?
                if current == UInt8(ascii: "=") {
                    index += 1
                    skipWhitespace()
                    guard let parsed = current == UInt8(ascii: "\"") ? parseQuotedString() : parseToken() else {
                        return nil
                    }
                    value = parsed
                    skipWhitespace()
                }
                offer.parameters.append(.init(name: parameterName, value: value))
            }
            switch current {
            case nil: return offer
            case UInt8(ascii: ","):
                index += 1
                return offer
            default: return nil
            }
        }

        private mutating func parseToken() -> String? {
            let start = index
            while let byte = current, HTTPByte.isToken(byte) { index += 1 }
            guard index > start else { return nil }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        /// Parses `"..."` with backslash escapes; the cursor is on the opening quote.
        private mutating func parseQuotedString() -> String? {
            index += 1
            var unescaped: [UInt8] = []
            while let byte = current {
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: unescaped, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard let escaped = current else { return nil }
                    index += 1
                    unescaped.append(escaped)
                default:
                    unescaped.append(byte)
                }
            }
            return nil  // unterminated
        }

        /// Recovers from a malformed offer: skips to the next comma outside quotes.
        private mutating func skipPastNextComma() {
            var inQuotes = false
            while let byte = current {
                index += 1
                if inQuotes {
                    if byte == UInt8(ascii: "\\") {
                        index += 1
                    } else if byte == UInt8(ascii: "\"") {
                        inQuotes = false
                    }
                } else if byte == UInt8(ascii: "\"") {
                    inQuotes = true
                } else if byte == UInt8(ascii: ",") {
                    return
                }
            }
        }

        private mutating func skipWhitespace() {
            while current == UInt8(ascii: " ") || current == UInt8(ascii: "\t") { index += 1 }
        }
    }
}
