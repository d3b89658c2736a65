import Glibc
import RingwireTestSupport
import XCTest

@testable import RingwireServer

/// The message timestamp's arithmetic against glibc's `gmtime_r`.
final class ChatTimestampTests: XCTestCase {
    private func reference(_ seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func testKnownInstants() {
        XCTAssertEqual(ChatTimestamp.format(epochSeconds: 0), "1970-01-01T00:00:00Z")
        XCTAssertEqual(ChatTimestamp.format(epochSeconds: 951_782_400), "2000-02-29T00:00:00Z")
        XCTAssertEqual(ChatTimestamp.format(epochSeconds: 1_764_140_399), "2025-11-26T06:59:59Z")
        XCTAssertEqual(ChatTimestamp.format(epochSeconds: 4_107_542_400), "2100-03-01T00:00:00Z")
        XCTAssertEqual(ChatTimestamp.format(epochSeconds: 253_402_300_799), "9999-12-31T23:59:59Z")
    }

    func testMatchesGmtimeOnSeededInstantsAndDayBoundaries() {
        var random = SplitMix(seed: 0x7173)
        for _ in 0..<20_000 {
            let seconds = Int(random.next() % 253_402_300_800)
            XCTAssertEqual(ChatTimestamp.format(epochSeconds: seconds), reference(seconds))
        }
        for day in stride(from: 0, to: 73_000, by: 1) {
            let midnight = day * 86_400
            XCTAssertEqual(ChatTimestamp.format(epochSeconds: midnight - 1), reference(midnight - 1))
        }
    }

    func testNowHasTheShape() {
        let now = Array(ChatTimestamp.now().utf8)
        XCTAssertEqual(now.count, 20)
        XCTAssertEqual(now[10], UInt8(ascii: "T"))
        XCTAssertEqual(now[19], UInt8(ascii: "Z"))
    }
}
