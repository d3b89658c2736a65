import Foundation
import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

final class HTTPDateCacheTests: XCTestCase {
    func testKnownDates() {
        XCTAssertEqual(HTTPDateCache.format(epochSeconds: 784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT")
        XCTAssertEqual(HTTPDateCache.format(epochSeconds: 0), "Thu, 01 Jan 1970 00:00:00 GMT")
        XCTAssertEqual(HTTPDateCache.format(epochSeconds: 951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT")
        XCTAssertEqual(HTTPDateCache.format(epochSeconds: 1_767_225_599), "Wed, 31 Dec 2025 23:59:59 GMT")
    }

    func testCurrentMatchesTheClock() throws {
        var cache = HTTPDateCache()
        let before = Int(Date().timeIntervalSince1970)
        let current = cache.current()
        let after = Int(Date().timeIntervalSince1970)
        XCTAssertEqual(current.utf8.count, 29)
        XCTAssertTrue((before...after).map { HTTPDateCache.format(epochSeconds: $0) }.contains(current))
        // Cross-check the format against Foundation's formatter.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let parsed = try XCTUnwrap(formatter.date(from: current))
        XCTAssertTrue((before...after).contains(Int(parsed.timeIntervalSince1970)))
    }
}
