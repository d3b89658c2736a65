import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

final class HTTPRequestTests: XCTestCase {
    private func request(target: String, query: String?, body: [UInt8] = []) -> HTTPRequest {
        HTTPRequest(
            head: HTTPRequestHead(
                method: .get, target: target, path: "/search", query: query,
                headers: HTTPHeaders([("Host", "a")])),
            body: body, pathParameters: ["id": "7"])
    }

    func testConveniences() {
        let request = request(target: "/search?q=1", query: "q=1", body: bytes("héllo"))
        XCTAssertEqual(request.method, .get)
        XCTAssertEqual(request.path, "/search")
        XCTAssertEqual(request.query, "q=1")
        XCTAssertEqual(request.headers["host"], "a")
        XCTAssertEqual(request.parameter("id"), "7")
        XCTAssertNil(request.parameter("other"))
        XCTAssertEqual(request.bodyText, "héllo")
        XCTAssertNil(self.request(target: "/", query: nil, body: [0xFF, 0xFE]).bodyText)
    }

    func testQueryItems() {
        let items = request(target: "", query: "q=caf%C3%A9+au+lait&flag&&empty=&a%3Db=c%26d&x=1=2").queryItems
        XCTAssertEqual(
            items.map { [$0.0, $0.1] },
            [
                ["q", "café au lait"], ["flag", ""], ["empty", ""], ["a=b", "c&d"], ["x", "1=2"],
            ])
        XCTAssertTrue(request(target: "", query: nil).queryItems.isEmpty)
    }
}
