import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

final class WebSocketAcceptKeyTests: XCTestCase {
    func testRFC6455Sample() {
        XCTAssertEqual(WebSocketAcceptKey.accept(forClientKey: "dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    func testAnotherSixteenByteKey() {
        // base64 of 16 zero bytes; digest checked against `printf '%s' KEY+GUID | sha1sum`.
        XCTAssertEqual(WebSocketAcceptKey.accept(forClientKey: "AAAAAAAAAAAAAAAAAAAAAA=="), "ICX+Yqv66kxgM0FcWaLWlFLwTAI=")
    }

    func testRejectsKeysThatAreNotSixteenBytesOfBase64() {
        for key in [
            "",
            "dGhlIHNhbXBsZSBub25jZQ",  // missing padding
            "dGhlIHNhbXBsZSBub25jZQ=",  // short padding
            "dGhlIHNhbXBsZSBub25jZQ===",
            "AAAAAAAAAAAAAAAA",  // 12 bytes
            "AAAAAAAAAAAAAAAAAAAAAAA=",  // 17 bytes
            "dGhlIHNhbXBsZSBub25jZ!==",  // not in the alphabet
            "dGhlIHNhbXBsZSBub25jZR==",  // non-zero padding bits
            " dGhlIHNhbXBsZSBub25jZQ==",
            "dGhlIHNhbXBsZSBub2=jZQ==",  // padding in the middle
            "dGhlIHNhbXBsZSBub25jZQ==dGhl",
        ] {
            XCTAssertNil(WebSocketAcceptKey.accept(forClientKey: key), key)
        }
    }
}
