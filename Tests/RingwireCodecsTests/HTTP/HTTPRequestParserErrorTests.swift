import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

/// Every parse error with its exact status, each checked across every split of its input.
final class HTTPRequestParserErrorTests: XCTestCase {
    private func fails(_ request: String, _ error: HTTPParseError, _ status: Int, line: UInt = #line) {
        assertFails(bytes(request), with: error, status: status, line: line)
    }

    func testRequestLineErrors() {
        fails("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine, 400)
        fails(" / HTTP/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine, 400)
        fails("GET  / HTTP/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine, 400)
        fails("GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine, 400)
        fails("GET / HTTP/1.1 \r\nHost: a\r\n\r\n", .malformedRequestLine, 400)
        fails("GET / http/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine, 400)
        fails("GET / HTTP/1.x\r\nHost: a\r\n\r\n", .malformedRequestLine, 400)
        fails("GET /\r\nHost: a\r\n\r\n", .malformedRequestLine, 400)
        fails("GET / HTTP/1.1\r\r\nHost: a\r\n\r\n", .malformedRequestLine, 400)
    }

    func testTargetErrors() {
        assertFails(bytes("GET /caf") + [0xC3, 0xA9] + bytes(" HTTP/1.1\r\nHost: a\r\n\r\n"), with: .invalidTarget, status: 400)
        fails("GET /a\u{7F} HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget, 400)
        fails("GET * HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget, 400)
        fails("GET index.html HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget, 400)
        fails("GET 1http://a/ HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget, 400)
        fails("CONNECT /a HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget, 400)
    }

    func testUnknownMethodIsNotImplemented() {
        fails("BREW /pot HTTP/1.1\r\nHost: a\r\n\r\n", .unknownMethod, 501)
        fails("get / HTTP/1.1\r\nHost: a\r\n\r\n", .unknownMethod, 501)
    }

    func testUnsupportedVersion() {
        fails("GET / HTTP/2.0\r\nHost: a\r\n\r\n", .unsupportedVersion, 505)
        fails("GET / HTTP/1.2\r\nHost: a\r\n\r\n", .unsupportedVersion, 505)
        fails("GET / HTTP/0.9\r\n\r\n", .unsupportedVersion, 505)
    }

    func testBareLineFeedIsRefused() {
        fails("GET / HTTP/1.1\nHost: a\r\n\r\n", .bareLineFeed, 400)
        fails("GET / HTTP/1.1\r\nHost: a\nX: y\r\n\r\n", .bareLineFeed, 400)
        fails("GET / HTTP/1.1\r\nHost: a\r\n\n", .bareLineFeed, 400)
        fails("\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", .bareLineFeed, 400)
    }

    func testHeaderSyntaxErrors() {
        fails("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", .obsoleteLineFolding, 400)
        fails("GET / HTTP/1.1\r\n\tHost: a\r\n\r\n", .obsoleteLineFolding, 400)
        fails("GET / HTTP/1.1\r\nHost : a\r\n\r\n", .whitespaceBeforeColon, 400)
        fails("GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", .whitespaceBeforeColon, 400)
        fails("GET / HTTP/1.1\r\nHo st: a\r\n\r\n", .invalidHeaderName, 400)
        fails("GET / HTTP/1.1\r\n: a\r\n\r\n", .invalidHeaderName, 400)
        fails("GET / HTTP/1.1\r\nHost a\r\n\r\n", .invalidHeaderName, 400)
        fails("GET / HTTP/1.1\r\nHost\r\n\r\n", .invalidHeaderName, 400)
        fails("GET / HTTP/1.1\r\nHo(st: a\r\n\r\n", .invalidHeaderName, 400)
        fails("GET / HTTP/1.1\r\nHost: a\u{01}b\r\n\r\n", .invalidHeaderValue, 400)
        fails("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", .invalidHeaderValue, 400)
        fails("GET / HTTP/1.1\r\nHost: a\u{0}\r\n\r\n", .invalidHeaderValue, 400)
        fails("GET / HTTP/1.1\r\nHost: a\u{7F}\r\n\r\n", .invalidHeaderValue, 400)
    }

    func testHostErrors() {
        fails("GET / HTTP/1.1\r\n\r\n", .missingHost, 400)
        fails("GET / HTTP/1.1\r\nX: y\r\n\r\n", .missingHost, 400)
        fails("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", .multipleHost, 400)
        fails("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", .multipleHost, 400)
    }

    func testContentLengthErrors() {
        fails("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", .invalidContentLength, 400)
        fails("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n", .invalidContentLength, 400)
        fails("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\n", .invalidContentLength, 400)
        fails("POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", .invalidContentLength, 400)
        fails("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n", .invalidContentLength, 400)
        fails("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", .conflictingContentLength, 400)
        fails("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 4\r\n\r\n", .conflictingContentLength, 400)
    }

    func testTransferEncodingErrors() {
        fails(
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", .contentLengthWithTransferEncoding, 400
        )
        fails(
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", .contentLengthWithTransferEncoding, 400
        )
        fails("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", .unsupportedTransferEncoding, 501)
        fails("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .unsupportedTransferEncoding, 501)
        fails("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", .invalidTransferEncoding, 400)
        fails(
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", .invalidTransferEncoding, 400)
        fails("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: ,\r\n\r\n", .invalidTransferEncoding, 400)
        fails("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", .invalidTransferEncoding, 400)
    }

    private func chunked(_ body: String, _ error: HTTPParseError, _ status: Int, line: UInt = #line) {
        fails("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + body, error, status, line: line)
    }

    func testChunkErrors() {
        chunked("zz\r\n", .invalidChunkSize, 400)
        chunked("\r\n", .invalidChunkSize, 400)
        chunked(";ext\r\n", .invalidChunkSize, 400)
        chunked("5x\r\n", .invalidChunkSize, 400)
        chunked("5\rx", .invalidChunkSize, 400)
        chunked("5;a\u{01}\r\n", .invalidChunkSize, 400)
        chunked("5\nhello", .bareLineFeed, 400)
        chunked("5;ext\nhello", .bareLineFeed, 400)
        chunked("5\r\nhelloX\r\n", .invalidChunkFraming, 400)
        chunked("5\r\nhello\rX", .invalidChunkFraming, 400)
        chunked("0\r\nX: \u{01}\r\n\r\n", .invalidTrailer, 400)
        chunked("0\r\nX: 1\rY\r\n\r\n", .invalidTrailer, 400)
        chunked("0\r\nX: 1\n\r\n", .bareLineFeed, 400)
    }

    func testErrorsAreReportedBeforeLaterBytesAreRead() {
        // A malformed first request fails even though a valid one follows in the same buffer.
        XCTAssertEqual(parse([bytes("GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")]), [.error(.missingHost)])
    }
}
