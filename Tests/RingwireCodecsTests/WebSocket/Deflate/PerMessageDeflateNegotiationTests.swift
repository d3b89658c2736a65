import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

final class PerMessageDeflateNegotiationTests: XCTestCase {
    private var enabled: PerMessageDeflateConfiguration {
        var configuration = PerMessageDeflateConfiguration()
        configuration.isEnabled = true
        return configuration
    }

    private func negotiate(_ offers: String..., configuration: PerMessageDeflateConfiguration? = nil) -> PerMessageDeflateParameters? {
        PerMessageDeflateNegotiation.negotiate(offers: offers, configuration: configuration ?? enabled)
    }

    private func response(_ offers: String..., configuration: PerMessageDeflateConfiguration? = nil) -> String? {
        PerMessageDeflateNegotiation.negotiate(offers: offers, configuration: configuration ?? enabled)?.responseHeaderValue
    }

    func testDisabledConfigurationDeclinesEverything() {
        XCTAssertNil(negotiate("permessage-deflate", configuration: PerMessageDeflateConfiguration()))
    }

    func testNoOfferMeansNoCompression() {
        XCTAssertNil(negotiate())
        XCTAssertNil(negotiate(""))
        XCTAssertNil(negotiate("x-webkit-deflate-frame"))
    }

    func testPlainOffer() {
        XCTAssertEqual(negotiate("permessage-deflate"), PerMessageDeflateParameters())
        XCTAssertEqual(response("permessage-deflate"), "permessage-deflate")
        XCTAssertEqual(response("PerMessage-Deflate; Client_Max_Window_Bits"), "permessage-deflate")
    }

    func testEachParameter() {
        XCTAssertEqual(
            negotiate("permessage-deflate; server_no_context_takeover"),
            PerMessageDeflateParameters(serverNoContextTakeover: true)
        )
        XCTAssertEqual(
            response("permessage-deflate; server_no_context_takeover"),
            "permessage-deflate; server_no_context_takeover"
        )
        XCTAssertEqual(
            negotiate("permessage-deflate; client_no_context_takeover"),
            PerMessageDeflateParameters(clientNoContextTakeover: true)
        )
        XCTAssertEqual(
            response("permessage-deflate; client_no_context_takeover"),
            "permessage-deflate; client_no_context_takeover"
        )
        XCTAssertEqual(negotiate("permessage-deflate; server_max_window_bits=10")?.serverMaxWindowBits, 10)
        XCTAssertEqual(
            response("permessage-deflate; server_max_window_bits=10"),
            "permessage-deflate; server_max_window_bits=10"
        )
        // An offered server_max_window_bits is answered even at 15 (RFC 7692 7.1.2.1).
        XCTAssertEqual(
            response("permessage-deflate; server_max_window_bits=15"),
            "permessage-deflate; server_max_window_bits=15"
        )
        XCTAssertEqual(negotiate("permessage-deflate; client_max_window_bits=9")?.clientMaxWindowBits, 9)
        XCTAssertEqual(
            response("permessage-deflate; client_max_window_bits=9"),
            "permessage-deflate; client_max_window_bits=9"
        )
        XCTAssertEqual(negotiate("permessage-deflate; server_max_window_bits=8")?.serverMaxWindowBits, 8)
    }

    func testAllParametersTogether() {
        XCTAssertEqual(
            response(
                "permessage-deflate; client_no_context_takeover; server_no_context_takeover; server_max_window_bits=12; client_max_window_bits=11"
            ),
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=12; client_max_window_bits=11"
        )
    }

    func testQuotedValues() {
        XCTAssertEqual(negotiate(#"permessage-deflate; server_max_window_bits="10""#)?.serverMaxWindowBits, 10)
        XCTAssertEqual(negotiate(#"permessage-deflate; client_max_window_bits="12""#)?.clientMaxWindowBits, 12)
        XCTAssertNil(negotiate(#"permessage-deflate; server_max_window_bits="1 0""#))
    }

    func testFirstAcceptableOfferWins() {
        XCTAssertEqual(
            response("permessage-deflate; server_max_window_bits=16, permessage-deflate; client_no_context_takeover, permessage-deflate"),
            "permessage-deflate; client_no_context_takeover"
        )
        XCTAssertEqual(
            response("foo; bar", "permessage-deflate; unknown", "permessage-deflate; server_max_window_bits=9"),
            "permessage-deflate; server_max_window_bits=9"
        )
        XCTAssertEqual(response("permessage-deflate; x=\"a,b\" junk, permessage-deflate"), "permessage-deflate")
    }

    func testInvalidOffersAreDeclined() {
        let invalid = [
            "permessage-deflate; unknown_parameter",
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
            "permessage-deflate; client_max_window_bits; client_max_window_bits=10",
            "permessage-deflate; server_max_window_bits=10; SERVER_MAX_WINDOW_BITS=10",
            "permessage-deflate; server_no_context_takeover=true",
            "permessage-deflate; client_no_context_takeover=\"\"",
            "permessage-deflate; server_max_window_bits",
            "permessage-deflate; server_max_window_bits=7",
            "permessage-deflate; server_max_window_bits=16",
            "permessage-deflate; server_max_window_bits=010",
            "permessage-deflate; server_max_window_bits=+9",
            "permessage-deflate; server_max_window_bits=-9",
            "permessage-deflate; server_max_window_bits=ten",
            "permessage-deflate; client_max_window_bits=7",
            "permessage-deflate; client_max_window_bits=16",
            "permessage-deflate; client_max_window_bits=",
            "permessage-deflate;",
        ]
        for offer in invalid {
            XCTAssertNil(negotiate(offer), offer)
        }
    }

    func testConfigurationLimitsApply() {
        var configuration = enabled
        configuration.serverMaxWindowBits = 12
        configuration.clientMaxWindowBits = 10
        // Our smaller window is announced even unasked; the client's smaller one wins.
        XCTAssertEqual(response("permessage-deflate", configuration: configuration), "permessage-deflate; server_max_window_bits=12")
        XCTAssertEqual(negotiate("permessage-deflate; server_max_window_bits=9", configuration: configuration)?.serverMaxWindowBits, 9)
        XCTAssertEqual(negotiate("permessage-deflate; server_max_window_bits=14", configuration: configuration)?.serverMaxWindowBits, 12)
        // client_max_window_bits goes out only when offered, as the smaller of both sides.
        XCTAssertEqual(negotiate("permessage-deflate", configuration: configuration)?.clientMaxWindowBits, 15)
        XCTAssertEqual(negotiate("permessage-deflate; client_max_window_bits", configuration: configuration)?.clientMaxWindowBits, 10)
        XCTAssertEqual(negotiate("permessage-deflate; client_max_window_bits=9", configuration: configuration)?.clientMaxWindowBits, 9)
        XCTAssertEqual(negotiate("permessage-deflate; client_max_window_bits=13", configuration: configuration)?.clientMaxWindowBits, 10)

        configuration.serverNoContextTakeover = true
        configuration.clientNoContextTakeover = true
        XCTAssertEqual(
            response("permessage-deflate; client_max_window_bits", configuration: configuration),
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=12; client_max_window_bits=10"
        )
    }

    func testOutOfRangeConfigurationIsClamped() {
        var configuration = enabled
        configuration.serverMaxWindowBits = 4
        configuration.clientMaxWindowBits = 99
        let parameters = negotiate("permessage-deflate; client_max_window_bits", configuration: configuration)
        XCTAssertEqual(parameters?.serverMaxWindowBits, 8)
        XCTAssertEqual(parameters?.clientMaxWindowBits, 15)
    }

    func testSharedCompressorForcesServerNoContextTakeover() {
        var configuration = enabled
        configuration.sharedCompressor = true
        configuration.serverMaxWindowBits = 13
        XCTAssertEqual(
            response("permessage-deflate", configuration: configuration),
            "permessage-deflate; server_no_context_takeover; server_max_window_bits=13"
        )
        // The worker's compressor cannot use a smaller window for one connection.
        XCTAssertNil(negotiate("permessage-deflate; server_max_window_bits=12", configuration: configuration))
        XCTAssertEqual(
            negotiate(
                "permessage-deflate; server_max_window_bits=12, permessage-deflate; server_max_window_bits=14", configuration: configuration
            )?
            .serverMaxWindowBits,
            13
        )
    }
}
