import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

final class HTTPRequestParserTests: XCTestCase {
    private func head(
        _ method: HTTPMethod, _ target: String, path: String? = nil, query: String? = nil,
        version: HTTPVersion = .http1_1, _ headers: [(String, String)], keepAlive: Bool = true,
        expectsContinue: Bool = false, framing: HTTPBodyFraming = .none
    ) -> HTTPRecordedEvent {
        .head(
            HTTPRequestHead(
                method: method, version: version, target: target, path: path ?? target, query: query,
                headers: HTTPHeaders(headers), keepAlive: keepAlive, expectsContinue: expectsContinue,
                bodyFraming: framing
            ))
    }

    // MARK: Corpus, every request fed whole, split in two everywhere, and byte by byte

    func testGet() {
        let request = "GET /index.html?x=1&y=%20 HTTP/1.1\r\nHost: example.com\r\nUser-Agent:  test/1.0 \r\nAccept:*/*\r\n\r\n"
        assertEverySplit(
            bytes(request),
            produce: [
                head(
                    .get, "/index.html?x=1&y=%20", path: "/index.html", query: "x=1&y=%20",
                    [("Host", "example.com"), ("User-Agent", "test/1.0"), ("Accept", "*/*")]),
                .end,
            ])
    }

    func testHeadWithConnectionClose() {
        assertEverySplit(
            bytes("HEAD / HTTP/1.1\r\nhost: a\r\nConnection: foo, Close\r\n\r\n"),
            produce: [
                head(.head, "/", [("host", "a"), ("Connection", "foo, Close")], keepAlive: false), .end,
            ])
    }

    func testPostWithContentLength() {
        let request = "POST /submit HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world"
        assertEverySplit(
            bytes(request),
            produce: [
                head(
                    .post, "/submit", [("Host", "a"), ("Content-Type", "text/plain"), ("Content-Length", "11")],
                    framing: .contentLength(11)),
                .body(bytes("hello world")), .end,
            ])
    }

    func testRepeatedIdenticalContentLengthIsAccepted() {
        let request = "PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok"
        assertEverySplit(
            bytes(request),
            produce: [
                head(
                    .put, "/x", [("Host", "a"), ("Content-Length", "2, 2"), ("Content-Length", "2")],
                    framing: .contentLength(2)),
                .body(bytes("ok")), .end,
            ])
    }

    func testExplicitZeroContentLength() {
        assertEverySplit(
            bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n"),
            produce: [
                head(.post, "/", [("Host", "a"), ("Content-Length", "0")], framing: .contentLength(0)), .end,
            ])
    }

    func testChunkedWithExtensionsAndTrailers() {
        let chunked =
            "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n"
            + "5;name=val\r\nhello\r\n6 ; x=\"q\"\r\n world\r\nA\r\n0123456789\r\n0;last\r\nX-Trailer: 1\r\nX-Other: 2\r\n\r\n"
        assertEverySplit(
            bytes(chunked),
            produce: [
                head(.post, "/up", [("Host", "a"), ("Transfer-Encoding", "Chunked")], framing: .chunked),
                .body(bytes("hello world0123456789")), .end,
            ])
    }

    func testChunkedWithoutTrailersAndLeadingZeros() {
        let request = "PATCH /p HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0003\r\nabc\r\n000\r\n\r\n"
        assertEverySplit(
            bytes(request),
            produce: [
                head(.patch, "/p", [("Host", "a"), ("Transfer-Encoding", "chunked")], framing: .chunked),
                .body(bytes("abc")), .end,
            ])
    }

    func testHTTP10() {
        assertEverySplit(
            bytes("GET /old HTTP/1.0\r\nUser-Agent: x\r\n\r\n"),
            produce: [
                head(.get, "/old", version: .http1_0, [("User-Agent", "x")], keepAlive: false), .end,
            ])
        assertEverySplit(
            bytes("GET /old HTTP/1.0\r\nConnection: Keep-Alive\r\nExpect: 100-continue\r\n\r\n"),
            produce: [
                head(.get, "/old", version: .http1_0, [("Connection", "Keep-Alive"), ("Expect", "100-continue")]),
                .end,
            ])
    }

    func testPipelinedRequests() {
        let stream =
            "GET /a HTTP/1.1\r\nHost: a\r\n\r\n"
            + "POST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nxyz"
            + "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n"
            + "DELETE /d?all HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
        assertEverySplit(
            bytes(stream),
            produce: [
                head(.get, "/a", [("Host", "a")]), .end,
                head(.post, "/b", [("Host", "a"), ("Content-Length", "3")], framing: .contentLength(3)),
                .body(bytes("xyz")), .end,
                head(.post, "/c", [("Host", "a"), ("Transfer-Encoding", "chunked")], framing: .chunked),
                .body(bytes("hi")), .end,
                head(.delete, "/d?all", path: "/d", query: "all", [("Host", "a"), ("Connection", "close")], keepAlive: false),
                .end,
            ])
    }

    func testAbsoluteFormTarget() {
        assertEverySplit(
            bytes("GET http://example.com:8080/a/b?c=d HTTP/1.1\r\nHost: example.com:8080\r\n\r\n"),
            produce: [
                head(.get, "http://example.com:8080/a/b?c=d", path: "/a/b", query: "c=d", [("Host", "example.com:8080")]),
                .end,
            ])
        assertEverySplit(
            bytes("GET https://example.com?q HTTP/1.1\r\nHost: example.com\r\n\r\n"),
            produce: [
                head(.get, "https://example.com?q", path: "/", query: "q", [("Host", "example.com")]), .end,
            ])
    }

    func testAsteriskAndAuthorityForms() {
        assertEverySplit(
            bytes("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"),
            produce: [
                head(.options, "*", [("Host", "a")]), .end,
            ])
        assertEverySplit(
            bytes("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"),
            produce: [
                head(.connect, "example.com:443", [("Host", "example.com:443")]), .end,
            ])
    }

    func testExpectContinue() {
        let request = "PUT /file HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 4\r\n\r\ndata"
        assertEverySplit(
            bytes(request),
            produce: [
                head(
                    .put, "/file", [("Host", "a"), ("Expect", "100-Continue"), ("Content-Length", "4")],
                    expectsContinue: true, framing: .contentLength(4)),
                .body(bytes("data")), .end,
            ])
    }

    func testLeadingEmptyLinesAreIgnored() {
        assertEverySplit(
            bytes("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"),
            produce: [
                head(.get, "/", [("Host", "a")]), .end,
            ])
    }

    func testObsTextInValueIsKept() {
        assertEverySplit(
            [UInt8]("GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf".utf8) + [0xC3, 0xA9] + bytes("\r\n\r\n"),
            produce: [
                head(.get, "/", [("Host", "a"), ("X-Name", "café")]), .end,
            ])
    }

    // MARK: Consumption stops exactly at the end of the request

    private func remainder(after request: String, extra: [UInt8]) -> [UInt8] {
        var parser = HTTPRequestParser(limits: HTTPLimits())
        return (bytes(request) + extra).withUnsafeBytes { buffer in
            var input = buffer
            while true {
                switch parser.next(&input) {
                case .end: return Array(input)
                case .needMoreData, .error: return []
                case .head, .body: continue
                }
            }
        }
    }

    func testBytesAfterTheRequestAreLeftInInput() {
        let frame: [UInt8] = [0x81, 0x05] + bytes("hello")
        XCTAssertEqual(
            remainder(after: "GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", extra: frame), frame)
        XCTAssertEqual(remainder(after: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi", extra: frame), frame)
        XCTAssertEqual(
            remainder(after: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nT: 1\r\n\r\n", extra: frame),
            frame)
    }

    func testHeadOfBodylessRequestIsFollowedByEndWithoutConsuming() {
        var parser = HTTPRequestParser(limits: HTTPLimits())
        let stream = bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\nNEXT")
        stream.withUnsafeBytes { buffer in
            var input = buffer
            guard case .head = parser.next(&input) else { return XCTFail("expected head") }
            XCTAssertEqual(Array(input), bytes("NEXT"))
            guard case .end = parser.next(&input) else { return XCTFail("expected end") }
            XCTAssertEqual(Array(input), bytes("NEXT"))
        }
    }
}
