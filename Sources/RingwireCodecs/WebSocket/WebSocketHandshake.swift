/// Validates a WebSocket upgrade request (RFC 6455 section 4.2.1) and writes the server's answer.
package enum WebSocketHandshake {
    /// What a valid upgrade request offers.
    package struct Offer {
        package let acceptKey: String
        package let subprotocols: [String]
        package let extensionOffers: [String]
    }

    /// Why a request cannot be upgraded, with the response it gets.
    package enum Refusal: Error {
        /// Not HTTP/1.1, or no usable `Sec-WebSocket-Key` (400).
        case badRequest(String)
        /// A `Sec-WebSocket-Version` other than 13 (426, advertising 13).
        case unsupportedVersion
        /// The `Origin` is not allowed (403).
        case forbiddenOrigin

        package var response: HTTPResponse {
            switch self {
            case .badRequest(let reason):
                return HTTPResponse(status: .badRequest, text: "\(reason)\n")
            case .unsupportedVersion:
                var headers = HTTPHeaders()
                headers.add(name: "Sec-WebSocket-Version", value: "13")
                return HTTPResponse(status: .upgradeRequired, headers: headers, text: "Only WebSocket version 13 is supported.\n")
            case .forbiddenOrigin:
                return HTTPResponse(status: .forbidden, text: "Origin not allowed.\n")
            }
        }
    }

    package static func validate(_ head: HTTPRequestHead, allowedOrigins: [String]?) -> Result<Offer, Refusal> {
        guard head.version == .http1_1 else { return .failure(.badRequest("WebSocket upgrades need HTTP/1.1.")) }
        // Header values come trimmed of surrounding whitespace from the parser.
        guard head.headers.onlyValue(for: "Sec-WebSocket-Version") == "13" else { return .failure(.unsupportedVersion) }
        guard let key = head.headers.onlyValue(for: "Sec-WebSocket-Key"), let acceptKey = WebSocketAcceptKey.accept(forClientKey: key)
        else {
            return .failure(.badRequest("Sec-WebSocket-Key must be the base64 encoding of 16 bytes."))
        }
        if let allowedOrigins {
            guard let origin = head.headers["Origin"],
                allowedOrigins.contains(where: { HTTPByte.equalsIgnoringCase($0.utf8, origin.utf8) })
            else { return .failure(.forbiddenOrigin) }
        }
        var subprotocols: [String] = []
        for value in head.headers.values(for: "Sec-WebSocket-Protocol") {
            HTTPByte.forEachListElement(in: value.utf8) { element in
                subprotocols.append(String(Substring(element)))
                return true
            }
        }
        return .success(
            Offer(
                acceptKey: acceptKey, subprotocols: subprotocols,
                extensionOffers: head.headers.values(for: "Sec-WebSocket-Extensions")))
    }

    /// Writes the 101 response that completes the handshake.
    package static func writeAcceptance(
        acceptKey: String, subprotocol: String?, extensions: String?, headers: HTTPHeaders, to writer: inout some ByteWriter
    ) {
        var response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
        response += acceptKey
        if let subprotocol { response += "\r\nSec-WebSocket-Protocol: " + subprotocol }
        if let extensions { response += "\r\nSec-WebSocket-Extensions: " + extensions }
        for (name, value) in headers where HTTPResponseSerializer.isWritable(name: name, value: value) {
            response += "\r\n" + name + ": " + value
        }
        response += "\r\n\r\n"
        writer.write(response)
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
    package var trimmingOWS: String {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
