import Foundation

@testable import Ringwire
@_spi(RingwireInternal) @testable import RingwireCodecs

/// handshake: the part of a WebSocket upgrade reachable without a ring. Each request head that
/// `HTTPRequestParser` accepts is routed (`RouteTable`), validated (`WebSocketHandshake`),
/// negotiated (`PerMessageDeflateNegotiation`), answered (`writeAcceptance`, or the refusal's
/// response through `HTTPResponseSerializer`), and seen as the application's
/// `WebSocketUpgradeRequest` (cookies, query items).
///
/// Input: options byte (bit 0: only `https://chat.example` may connect; bit 1: echo the request's
/// headers into the 101 as if the application added them), then the request bytes.
/// Properties: an accepted handshake is HTTP/1.1 with version 13, a key that is base64 of 16 bytes
/// and an accept key that is base64 of 20, an allowed origin, and trimmed, non-empty subprotocols;
/// every response is a well-formed head (CRLF line ends only, one blank line, `name: value`
/// fields), so nothing from the request can split it.
@_cdecl("LLVMFuzzerTestOneInput")
public func handshakeFuzzTarget(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = FuzzInput(bytes, count: count)
    let allowedOrigins = input.option(0) ? ["https://chat.example"] : nil
    var parser = HTTPRequestParser(limits: HTTPLimits())
    input.data.withUnsafeBytes { buffer in
        var rest = buffer
        for _ in 0...(3 * buffer.count + 3) {
            switch parser.next(&rest) {
            case .head(let head):
                checkUpgrade(head, allowedOrigins: allowedOrigins, echoesHeaders: input.option(1))
            case .body, .end:
                continue
            case .needMoreData, .error:
                return
            }
        }
    }
    return 0
}

private let routes: RouteTable<Int> = {
    var routes = RouteTable<Int>()
    routes.add(.get, "/chat", 0)
    routes.add(.get, "/rooms/:room", 1)
    routes.add(.get, "/files/*", 2)
    return routes
}()

private func checkUpgrade(_ head: HTTPRequestHead, allowedOrigins: [String]?, echoesHeaders: Bool) {
    var pathParameters: [String: String] = [:]
    if case .found(_, let parameters) = routes.match(method: .get, path: head.path) { pathParameters = parameters }

    switch WebSocketHandshake.validate(head, allowedOrigins: allowedOrigins) {
    case .failure(let refusal):
        var response: [UInt8] = []
        HTTPResponseSerializer.write(
            refusal.response, to: &response, version: head.version, isHeadRequest: false, keepAlive: false,
            date: "Wed, 02 Dec 2026 08:00:00 GMT", server: "ringwire")
        checkResponseHead(response, fieldLines: nil)
    case .success(let offer):
        fuzzRequire(head.version == .http1_1, "upgrade accepted on \(head.version)")
        fuzzRequire(head.headers.onlyValue(for: "Sec-WebSocket-Version") == "13", "upgrade accepted without version 13")
        let key = head.headers.onlyValue(for: "Sec-WebSocket-Key") ?? ""
        fuzzRequire(Data(base64Encoded: key)?.count == 16, "key \(key.debugDescription) accepted")
        fuzzRequire(offer.acceptKey.utf8.count == 28 && Data(base64Encoded: offer.acceptKey)?.count == 20, "accept key \(offer.acceptKey)")
        if let allowedOrigins {
            fuzzRequire(allowedOrigins.contains { $0.lowercased() == head.headers["Origin"]?.lowercased() }, "origin not allowed")
        }
        for subprotocol in offer.subprotocols {
            fuzzRequire(
                !subprotocol.isEmpty && subprotocol == subprotocol.trimmingOWS && !subprotocol.contains(","),
                "subprotocol \(subprotocol.debugDescription)")
        }
        var deflate = PerMessageDeflateConfiguration()
        deflate.isEnabled = true
        let extensions = PerMessageDeflateNegotiation.negotiate(offers: offer.extensionOffers, configuration: deflate)?
            .responseHeaderValue
        let headers = echoesHeaders ? head.headers : HTTPHeaders()
        var response: [UInt8] = []
        WebSocketHandshake.writeAcceptance(
            acceptKey: offer.acceptKey, subprotocol: offer.subprotocols.first, extensions: extensions,
            headers: headers, to: &response)
        let written = headers.filter { HTTPResponseSerializer.isWritable(name: $0.name, value: $0.value) }.count
        checkResponseHead(response, fieldLines: 3 + (offer.subprotocols.isEmpty ? 0 : 1) + (extensions == nil ? 0 : 1) + written)

        let request = WebSocketUpgradeRequest(
            head: head, pathParameters: pathParameters, subprotocols: offer.subprotocols,
            connectionID: ConnectionID(worker: 0, slot: 0, generation: 0))
        // What the application's upgrade hook reads first: computed from client bytes, must not trap.
        _ = request.cookies
        _ = request.queryItems
    }
}

/// A response head: status line, `fieldLines` fields (when given) and one blank line, every line
/// ending in CRLF and no CR or LF anywhere else; any body follows the blank line.
private func checkResponseHead(_ response: [UInt8], fieldLines: Int?) {
    var lines: [ArraySlice<UInt8>] = []
    var start = 0
    var index = 0
    while index < response.count {
        let byte = response[index]
        if byte == UInt8(ascii: "\r") {
            fuzzRequire(index + 1 < response.count && response[index + 1] == UInt8(ascii: "\n"), "bare CR in the response")
            lines.append(response[start..<index])
            index += 2
            start = index
            if lines.last?.isEmpty == true { break }
        } else {
            fuzzRequire(byte != UInt8(ascii: "\n"), "bare LF in the response")
            index += 1
        }
    }
    fuzzRequire(lines.last?.isEmpty == true, "response head without a blank line")
    fuzzRequire(lines.first?.starts(with: Array("HTTP/1.1 ".utf8)) == true, "status line")
    let fields = lines.dropFirst().dropLast()
    for field in fields {
        guard let colon = field.firstIndex(of: UInt8(ascii: ":")) else { fuzzFail("field without a colon") }
        fuzzRequire(colon > field.startIndex && field[..<colon].allSatisfy(HTTPByte.isToken), "field name")
    }
    if let fieldLines { fuzzRequire(fields.count == fieldLines, "\(fields.count) field lines, expected \(fieldLines)") }
}
