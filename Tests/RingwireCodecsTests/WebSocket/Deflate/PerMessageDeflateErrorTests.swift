import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

final class PerMessageDeflateErrorTests: XCTestCase {
    func testCloseCodes() {
        XCTAssertEqual(PerMessageDeflateError.messageTooBig.closeCodeValue, 1009)
        XCTAssertEqual(PerMessageDeflateError.invalidData.closeCodeValue, 1007)
        XCTAssertEqual(PerMessageDeflateError.tooManyStreams.closeCodeValue, 1009)
    }

    func testCloseReasonsAreDistinctAndFitAControlFrame() {
        let errors: [PerMessageDeflateError] = [.messageTooBig, .invalidData, .tooManyStreams]
        XCTAssertEqual(Set(errors.map(\.closeReason)).count, errors.count)
        for error in errors {
            XCTAssertLessThanOrEqual(error.closeReason.utf8.count, 123, "\(error)")
        }
    }
}
