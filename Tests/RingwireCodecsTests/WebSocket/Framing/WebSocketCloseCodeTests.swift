import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

final class WebSocketCloseCodeTests: XCTestCase {
    func testWireValidity() {
        let valid: [UInt16] = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999]
        let invalid: [UInt16] = [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535]
        for code in valid { XCTAssertTrue(WebSocketCloseCode(rawValue: code).isValidOnWire, "\(code)") }
        for code in invalid { XCTAssertFalse(WebSocketCloseCode(rawValue: code).isValidOnWire, "\(code)") }
    }

    func testNamedConstants() {
        XCTAssertEqual(
            [
                WebSocketCloseCode.normalClosure, .goingAway, .protocolError, .unsupportedData, .noStatusReceived, .abnormalClosure,
                .invalidPayloadData, .policyViolation, .messageTooBig, .mandatoryExtension, .internalError, .tryAgainLater,
            ].map(\.rawValue),
            [1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1013])
        XCTAssertFalse(WebSocketCloseCode.noStatusReceived.isValidOnWire)
        XCTAssertFalse(WebSocketCloseCode.abnormalClosure.isValidOnWire)
    }
}
