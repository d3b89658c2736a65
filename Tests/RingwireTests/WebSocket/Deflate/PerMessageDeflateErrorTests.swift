import XCTest

@testable import Ringwire

final class PerMessageDeflateErrorTests: XCTestCase {
    func testCloseCodes() {
        XCTAssertEqual(PerMessageDeflateError.messageTooBig.closeCodeValue, 1009)
        XCTAssertEqual(PerMessageDeflateError.invalidData.closeCodeValue, 1007)
    }
}
