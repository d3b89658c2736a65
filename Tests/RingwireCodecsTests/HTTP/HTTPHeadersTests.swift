import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

final class HTTPHeadersTests: XCTestCase {
    func testLookupIsCaseInsensitiveAndOrdered() {
        var headers = HTTPHeaders([("Accept", "a"), ("X-Tag", "1"), ("x-tag", "2")])
        XCTAssertEqual(headers["ACCEPT"], "a")
        XCTAssertEqual(headers["x-TAG"], "1")
        XCTAssertNil(headers["Missing"])
        XCTAssertEqual(headers.values(for: "X-Tag"), ["1", "2"])
        XCTAssertEqual(headers.count, 3)
        headers.add(name: "Cookie", value: "c")
        XCTAssertEqual(Array(headers).map(\.name), ["Accept", "X-Tag", "x-tag", "Cookie"])
    }

    func testReplaceOrAddAndRemove() {
        var headers = HTTPHeaders([("A", "1"), ("B", "2"), ("a", "3")])
        headers.replaceOrAdd(name: "a", value: "9")
        XCTAssertEqual(Array(headers).map { [$0.name, $0.value] }, [["A", "9"], ["B", "2"]])
        headers.replaceOrAdd(name: "C", value: "4")
        XCTAssertEqual(headers["c"], "4")
        headers.remove(name: "b")
        XCTAssertEqual(Array(headers).map(\.name), ["A", "C"])
    }

    func testContainsTokenAcrossRepeatedFields() {
        let headers = HTTPHeaders([("Connection", "keep-alive , Upgrade"), ("connection", "TE,,close")])
        XCTAssertTrue(headers.containsToken("upgrade", in: "Connection"))
        XCTAssertTrue(headers.containsToken("Keep-Alive", in: "connection"))
        XCTAssertTrue(headers.containsToken("close", in: "CONNECTION"))
        XCTAssertTrue(headers.containsToken("te", in: "Connection"))
        XCTAssertFalse(headers.containsToken("keep", in: "Connection"))
        XCTAssertFalse(headers.containsToken("upgrade", in: "Upgrade"))
    }
}
