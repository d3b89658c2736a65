import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

final class Base64Tests: XCTestCase {
    /// RFC 4648 §10 test vectors.
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    func testRFC4648Vectors() {
        for (plain, encoded) in Self.vectors {
            XCTAssertEqual(Array(plain.utf8).withUnsafeBytes(Base64.encode), encoded)
            XCTAssertEqual(Base64.decode(encoded), Array(plain.utf8), encoded)
        }
    }

    func testRoundTripsEveryByteValueAndLength() {
        let bytes = (0..<256).map { UInt8($0) }
        for length in 0...40 {
            let slice = Array(bytes[(256 - length)...])
            XCTAssertEqual(Base64.decode(slice.withUnsafeBytes(Base64.encode)), slice, "length \(length)")
        }
        XCTAssertEqual(Base64.decode(bytes.withUnsafeBytes(Base64.encode)), bytes)
    }

    func testRejectsMalformedInput() {
        for text in ["Zg", "Zg=", "Z===", "Zh==", "Zm9=", "Zm9v=", "Zm 9v", "Zm-v", "=Zm9", "Zg==Zg=="] {
            XCTAssertNil(Base64.decode(text), text)
        }
    }
}
