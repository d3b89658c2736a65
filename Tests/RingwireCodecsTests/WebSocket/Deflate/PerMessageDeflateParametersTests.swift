import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

final class PerMessageDeflateParametersTests: XCTestCase {
    func testResponseHeaderValue() {
        XCTAssertEqual(PerMessageDeflateParameters().responseHeaderValue, "permessage-deflate")
        XCTAssertEqual(
            PerMessageDeflateParameters(serverNoContextTakeover: true, clientMaxWindowBits: 10).responseHeaderValue,
            "permessage-deflate; server_no_context_takeover; client_max_window_bits=10"
        )
        XCTAssertEqual(
            PerMessageDeflateParameters(clientNoContextTakeover: true, serverMaxWindowBits: 8).responseHeaderValue,
            "permessage-deflate; client_no_context_takeover; server_max_window_bits=8"
        )
    }

    func testOfferedServerWindowIsAnsweredEvenAtFifteen() {
        var parameters = PerMessageDeflateParameters()
        parameters.answersServerMaxWindowBits = true
        XCTAssertEqual(parameters.responseHeaderValue, "permessage-deflate; server_max_window_bits=15")
    }
}
