import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

/// Every limit exactly at and one past its value, with the default limits (fed whole and byte
/// by byte) and with small limits (every split).
final class HTTPRequestParserLimitTests: XCTestCase {
    private let small = HTTPLimits(
        maxRequestLineLength: 32, maxHeaderBytes: 128, maxHeaderCount: 4, maxBodySize: 16, maxChunkLineLength: 8
    )

    /// Whether `events` is one complete request without a body: its head, then its end.
    private func isHead(_ events: [HTTPRecordedEvent]) -> Bool {
        guard events.count == 2, case .head = events[0] else { return false }
        return events[1] == .end
    }

    /// A GET whose request line is exactly `length` bytes long (without CRLF).
    private func requestLine(length: Int) -> String {
        "GET /" + String(repeating: "a", count: length - 14) + " HTTP/1.1"
    }

    func testRequestLineLengthAtAndOverDefaultLimit() {
        let limit = HTTPLimits().maxRequestLineLength
        let atLimit = bytes(requestLine(length: limit) + "\r\nHost: a\r\n\r\n")
        XCTAssertTrue(isHead(parse([atLimit])))
        XCTAssertTrue(isHead(parse(atLimit.map { [$0] })))
        let over = bytes(requestLine(length: limit + 1) + "\r\nHost: a\r\n\r\n")
        XCTAssertEqual(parse([over]), [.error(.requestLineTooLong)])
        XCTAssertEqual(parse(over.map { [$0] }), [.error(.requestLineTooLong)])
    }

    func testRequestLineTooLongIsDetectedBeforeItsEnd() {
        let limit = HTTPLimits().maxRequestLineLength
        let line = bytes(requestLine(length: 9 * 1024))
        // limit bytes and a CR may still be a line at the limit: wait.
        XCTAssertEqual(parse([Array(line[..<limit]) + [HTTPByte.cr]]), [])
        XCTAssertEqual(parse([Array(line[..<limit])]), [])
        // One more content byte without CRLF is certain to be too long.
        XCTAssertEqual(parse([Array(line[...limit])]), [.error(.requestLineTooLong)])
        XCTAssertEqual(parse([Array(line[..<limit]), [UInt8(ascii: "b")]]), [.error(.requestLineTooLong)])
    }

    func testRequestLineLengthEverySplit() {
        assertEverySplit(
            bytes(requestLine(length: 32) + "\r\nHost: a\r\n\r\n"), limits: small,
            produce: [
                .head(
                    HTTPRequestHead(
                        method: .get, target: "/" + String(repeating: "a", count: 18),
                        path: "/" + String(repeating: "a", count: 18), headers: HTTPHeaders([("Host", "a")]))),
                .end,
            ])
        assertFails(bytes(requestLine(length: 33) + "\r\nHost: a\r\n\r\n"), with: .requestLineTooLong, status: 414, limits: small)
        assertFails(bytes(requestLine(length: 40)), with: .requestLineTooLong, status: 414, limits: small)
    }

    /// A head of exactly `size` bytes, including the final empty line.
    private func head(size: Int) -> [UInt8] {
        let prefix = "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: "
        let suffix = "\r\n\r\n"
        return bytes(prefix + String(repeating: "p", count: size - prefix.utf8.count - suffix.utf8.count) + suffix)
    }

    func testHeaderBytesAtAndOverDefaultLimit() {
        let limit = HTTPLimits().maxHeaderBytes
        XCTAssertTrue(isHead(parse([head(size: limit)])))
        XCTAssertTrue(isHead(parse(head(size: limit).map { [$0] })))
        XCTAssertEqual(parse([head(size: limit + 1)]), [.error(.headersTooLarge)])
        XCTAssertEqual(parse(head(size: limit + 1).map { [$0] }), [.error(.headersTooLarge)])
    }

    func testHeaderBytesTooLargeIsDetectedBeforeTheEnd() {
        let limit = HTTPLimits().maxHeaderBytes
        let unterminated = head(size: limit + 100)
        XCTAssertEqual(parse([Array(unterminated[..<limit])]), [])
        XCTAssertEqual(parse([Array(unterminated[...limit])]), [.error(.headersTooLarge)])
    }

    func testHeaderBytesEverySplit() {
        XCTAssertTrue(isHead(parse([head(size: 128)], limits: small)))
        assertEverySplit(head(size: 128), limits: small, produce: parse([head(size: 128)], limits: small))
        assertFails(head(size: 129), with: .headersTooLarge, status: 431, limits: small)
    }

    private func request(headerCount: Int) -> [UInt8] {
        let extra = (1..<headerCount).map { "X-\($0): v\r\n" }.joined()
        return bytes("GET / HTTP/1.1\r\nHost: a\r\n" + extra + "\r\n")
    }

    func testHeaderCountAtAndOverLimit() {
        let limit = HTTPLimits().maxHeaderCount
        guard case .head(let head)? = parse([request(headerCount: limit)]).first else { return XCTFail("no head") }
        XCTAssertEqual(head.headers.count, limit)
        XCTAssertEqual(parse([request(headerCount: limit + 1)]), [.error(.tooManyHeaders)])
        XCTAssertTrue(isHead(parse([request(headerCount: 4)], limits: small)))
        assertEverySplit(request(headerCount: 4), limits: small, produce: parse([request(headerCount: 4)], limits: small))
        assertFails(request(headerCount: 5), with: .tooManyHeaders, status: 431, limits: small)
    }

    func testContentLengthAtAndOverLimitIsDecidedAtHeadTime() {
        let limit = HTTPLimits().maxBodySize
        let atLimit = bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(limit)\r\n\r\n")
        guard case .head(let head)? = parse([atLimit]).first else { return XCTFail("no head") }
        XCTAssertEqual(head.bodyFraming, .contentLength(limit))
        let over = bytes("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: \(limit + 1)\r\n\r\n")
        XCTAssertEqual(parse([over]), [.error(.bodyTooLarge)])
        let huge = bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999999\r\n\r\n")
        XCTAssertEqual(parse([huge]), [.error(.bodyTooLarge)])
    }

    func testContentLengthBodyAtLimitIsDelivered() {
        let limit = HTTPLimits().maxBodySize
        let body = [UInt8](repeating: 7, count: limit)
        let events = parse([bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(limit)\r\n\r\n") + body])
        XCTAssertEqual(events.dropFirst(), [.body(body), .end])
        assertFails(bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 17\r\n\r\n"), with: .bodyTooLarge, status: 413, limits: small)
    }

    private func chunked(_ body: String) -> [UInt8] {
        bytes("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
    }

    func testChunkedTotalAtAndOverLimit() {
        let sixteen = chunked("8\r\n01234567\r\n8\r\n89abcdef\r\n0\r\n\r\n")
        assertEverySplit(
            sixteen, limits: small,
            produce: [
                .head(
                    HTTPRequestHead(
                        method: .post, target: "/", path: "/",
                        headers: HTTPHeaders([("Host", "a"), ("Transfer-Encoding", "chunked")]), bodyFraming: .chunked)),
                .body(bytes("0123456789abcdef")), .end,
            ])
        assertFails(chunked("8\r\n01234567\r\n9\r\n89abcdefg\r\n0\r\n\r\n"), with: .bodyTooLarge, status: 413, limits: small)
        // The size alone is enough to refuse, before any data arrives.
        assertFails(chunked("11\r\n"), with: .bodyTooLarge, status: 413, limits: small)
        assertFails(chunked("fffffffffffffffffffffffff"), with: .bodyTooLarge, status: 413)
    }

    func testChunkSizeLineAtAndOverLimit() {
        let atLimit = chunked("1;abcdef\r\nx\r\n0\r\n\r\n")
        XCTAssertEqual(parse([atLimit], limits: small).dropFirst(), [.body(bytes("x")), .end])
        assertEverySplit(atLimit, limits: small, produce: parse([atLimit], limits: small))
        assertFails(chunked("1;abcdefg\r\nx\r\n0\r\n\r\n"), with: .invalidChunkSize, status: 400, limits: small)
        assertFails(chunked("000000001\r\n"), with: .invalidChunkSize, status: 400, limits: small)
    }

    func testTrailerBytesAtAndOverLimit() {
        // Trailer section (lines, CRLFs and the final CRLF) of exactly 128 bytes.
        let trailer = "X: " + String(repeating: "t", count: 128 - 3 - 4) + "\r\n\r\n"
        let atLimit = chunked("1\r\nx\r\n0\r\n" + trailer)
        XCTAssertEqual(parse([atLimit], limits: small).dropFirst(), [.body(bytes("x")), .end])
        let over = chunked("1\r\nx\r\n0\r\nX: " + String(repeating: "t", count: 128 - 3 - 4 + 1) + "\r\n\r\n")
        assertFails(over, with: .headersTooLarge, status: 431, limits: small)
    }
}
