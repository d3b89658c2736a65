import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

final class HTTPResponseSerializerTests: XCTestCase {
    private let date = "Sun, 06 Nov 1994 08:49:37 GMT"

    private func serialize(
        _ response: HTTPResponse, version: HTTPVersion = .http1_1, head: Bool = false, keepAlive: Bool = true,
        server: String = "ringwire"
    ) -> String {
        var out: [UInt8] = []
        HTTPResponseSerializer.write(
            response, to: &out, version: version, isHeadRequest: head,
            keepAlive: keepAlive, date: date, server: server)
        return String(decoding: out, as: UTF8.self)
    }

    func testNormalResponse() {
        XCTAssertEqual(
            serialize(HTTPResponse(text: "hello")),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\n"
                + "Date: \(date)\r\nServer: ringwire\r\n\r\nhello")
    }

    func testBinaryBodyAndCustomHeaders() {
        let response = HTTPResponse(
            status: .created, headers: HTTPHeaders([("Location", "/rooms/1"), ("X-A", "1")]),
            body: [0, 1, 2])
        XCTAssertEqual(
            serialize(response),
            "HTTP/1.1 201 Created\r\nLocation: /rooms/1\r\nX-A: 1\r\nContent-Length: 3\r\n"
                + "Date: \(date)\r\nServer: ringwire\r\n\r\n\u{0}\u{1}\u{2}")
    }

    func testEmptyBodyHasZeroContentLength() {
        XCTAssertEqual(
            serialize(HTTPResponse(status: .notFound)),
            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nDate: \(date)\r\nServer: ringwire\r\n\r\n")
    }

    func testHeadRequestKeepsContentLengthButOmitsBody() {
        XCTAssertEqual(
            serialize(HTTPResponse(text: "hello"), head: true),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\n"
                + "Date: \(date)\r\nServer: ringwire\r\n\r\n")
    }

    func testNoContentHasNeitherLengthNorBody() {
        XCTAssertEqual(
            serialize(HTTPResponse(status: .noContent, body: [1, 2, 3])),
            "HTTP/1.1 204 No Content\r\nDate: \(date)\r\nServer: ringwire\r\n\r\n")
    }

    func testNotModifiedHasNeitherLengthNorBody() {
        let response = HTTPResponse(status: .notModified, headers: HTTPHeaders([("ETag", "\"v1\"")]), body: [1])
        XCTAssertEqual(
            serialize(response),
            "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nDate: \(date)\r\nServer: ringwire\r\n\r\n")
    }

    func testCloseAndKeepAlive() {
        XCTAssertEqual(
            serialize(HTTPResponse(text: "x"), keepAlive: false),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 1\r\n"
                + "Date: \(date)\r\nServer: ringwire\r\nConnection: close\r\n\r\nx")
        XCTAssertEqual(
            serialize(HTTPResponse(text: "x"), version: .http1_0, keepAlive: true),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 1\r\n"
                + "Date: \(date)\r\nServer: ringwire\r\nConnection: keep-alive\r\n\r\nx")
        XCTAssertEqual(
            serialize(HTTPResponse(text: "x"), version: .http1_0, keepAlive: false),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 1\r\n"
                + "Date: \(date)\r\nServer: ringwire\r\nConnection: close\r\n\r\nx")
    }

    func testSwitchingProtocolsKeepsItsConnectionHeader() {
        let response = HTTPResponse(
            status: .switchingProtocols,
            headers: HTTPHeaders([
                ("Upgrade", "websocket"), ("Connection", "Upgrade"), ("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
            ]))
        XCTAssertEqual(
            serialize(response, server: ""),
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nDate: \(date)\r\n\r\n")
    }

    func testHandlerHeadersThatWouldBreakFramingAreDropped() {
        let response = HTTPResponse(
            headers: HTTPHeaders([
                ("Content-Length", "999"), ("Date", "custom"), ("server", "mine"), ("Connection", "keep-alive"),
                ("X-Evil", "a\r\nSet-Cookie: b"), ("Bad Name", "v"), ("", "v"),
            ]), body: [65])
        XCTAssertEqual(
            serialize(response, keepAlive: false),
            "HTTP/1.1 200 OK\r\nDate: custom\r\nserver: mine\r\nContent-Length: 1\r\nConnection: close\r\n\r\nA")
    }

    func testContinue() {
        var out: [UInt8] = []
        HTTPResponseSerializer.writeContinue(to: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "HTTP/1.1 100 Continue\r\n\r\n")
    }

    func testTextInitKeepsGivenContentType() {
        let response = HTTPResponse(headers: HTTPHeaders([("content-type", "application/json")]), text: "{}")
        XCTAssertEqual(Array(response.headers).map(\.name), ["content-type"])
        XCTAssertEqual(response.body, bytes("{}"))
    }

    func testStatusesAndParseErrorStatuses() {
        XCTAssertFalse(HTTPStatus.continue.allowsBody)
        XCTAssertFalse(HTTPStatus.switchingProtocols.allowsBody)
        XCTAssertTrue(HTTPStatus.ok.allowsBody)
        XCTAssertEqual(HTTPStatus.requestHeaderFieldsTooLarge.code, 431)
        XCTAssertEqual(HTTPStatus.uriTooLong.reasonPhrase, "URI Too Long")
    }
}
