import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

final class ExtensionOfferParserTests: XCTestCase {
    private typealias Parameter = ExtensionOffer.Parameter

    func testPlainOffer() {
        XCTAssertEqual(
            ExtensionOfferParser.parse(["permessage-deflate"]),
            [ExtensionOffer(name: "permessage-deflate", parameters: [])]
        )
    }

    func testParametersWithAndWithoutValues() {
        XCTAssertEqual(
            ExtensionOfferParser.parse(["permessage-deflate; client_max_window_bits; server_max_window_bits=10"]),
            [
                ExtensionOffer(
                    name: "permessage-deflate",
                    parameters: [
                        Parameter(name: "client_max_window_bits", value: nil),
                        Parameter(name: "server_max_window_bits", value: "10"),
                    ]
                )
            ]
        )
    }

    func testWhitespaceAroundSeparatorsIsOptional() {
        let expected = [
            ExtensionOffer(name: "a", parameters: [Parameter(name: "x", value: "1"), Parameter(name: "y", value: nil)]),
            ExtensionOffer(name: "b", parameters: []),
        ]
        XCTAssertEqual(ExtensionOfferParser.parse(["a;x=1;y,b"]), expected)
        XCTAssertEqual(ExtensionOfferParser.parse([" \ta \t; x = 1 ;\ty , b "]), expected)
    }

    func testQuotedValuesAreUnquotedAndUnescaped() {
        XCTAssertEqual(
            ExtensionOfferParser.parse([#"a; x="10"; y="q\"uo,te;d""#]),
            [ExtensionOffer(name: "a", parameters: [Parameter(name: "x", value: "10"), Parameter(name: "y", value: #"q"uo,te;d"#)])]
        )
    }

    func testSeveralHeadersAndEmptyElements() {
        XCTAssertEqual(
            ExtensionOfferParser.parse(["a, ,b", "", ",c,"]).map(\.name),
            ["a", "b", "c"]
        )
    }

    func testMalformedOffersAreDroppedAndLaterOnesKept() {
        let malformed = [
            "a; =1",  // parameter without a name
            "a; x=",  // missing value
            "a; x=\"unterminated",  // the rest of the header is inside the quotes
            "a b",  // junk after the name
            "a; x=1 2",  // junk after a value
            "a; x=\"1\"2",  // junk after a quoted value
            "; x",  // no extension name
            "a; x=\"1\\",  // escape at the end
        ]
        for header in malformed {
            XCTAssertEqual(ExtensionOfferParser.parse([header]), [], header)
        }
        XCTAssertEqual(ExtensionOfferParser.parse([#"a b, c; x="1,2", d"#]).map(\.name), ["c", "d"])
        XCTAssertEqual(ExtensionOfferParser.parse([#"a; x="1,2" junk, d"#]).map(\.name), ["d"])
        XCTAssertEqual(ExtensionOfferParser.parse(["a; x=\"1,\\\"2\" junk, d"]).map(\.name), ["d"])
    }

    func testNonTokenBytesAreRejected() {
        XCTAssertEqual(ExtensionOfferParser.parse(["a(b)"]), [])
        XCTAssertEqual(ExtensionOfferParser.parse(["défi"]), [])
        XCTAssertEqual(ExtensionOfferParser.parse(["!#$%&'*+-.^_`|~09AZaz"]).map(\.name), ["!#$%&'*+-.^_`|~09AZaz"])
    }
}
