import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

/// Each limit passes a value exactly at it and refuses one just past it, however split.
final class RESPParserLimitTests: XCTestCase {
    func testDefaults() {
        let limits = RESPLimits()
        XCTAssertEqual(limits.maxBulkLength, 64 * 1024 * 1024)
        XCTAssertEqual(limits.maxAggregateCount, 1_048_576)
        XCTAssertEqual(limits.maxDepth, 64)
        XCTAssertEqual(limits.maxLineLength, 64 * 1024)
        XCTAssertEqual(limits.maxValueBytes, 128 * 1024 * 1024)
    }

    func testMaxLineLength() {
        let limits = RESPLimits(maxLineLength: 5)
        assertRESP("+hello\r\n", parsesTo: .simpleString("hello"), limits: limits)
        assertRESP(":-1234\r\n", parsesTo: .integer(-1234), limits: limits)
        assertRESPFails("+hello!\r\n", with: .lineTooLong, limits: limits)
        assertRESPFails(",1.2345\r\n", with: .lineTooLong, limits: limits)
        // Refused without waiting for an end of line that may never come.
        assertRESPFails("-errors!", with: .lineTooLong, limits: limits)
    }

    func testMaxBulkLength() {
        let limits = RESPLimits(maxBulkLength: 4)
        assertRESP("$4\r\nabcd\r\n", parsesTo: bulk("abcd"), limits: limits)
        assertRESP("=4\r\ntxt:\r\n", parsesTo: .verbatimString(format: "txt", text: []), limits: limits)
        // Refused at the header, before any payload byte.
        assertRESPFails("$5\r\n", with: .bulkTooLong, limits: limits)
        assertRESPFails("!5\r\n", with: .bulkTooLong, limits: limits)
        assertRESPFails("=5\r\n", with: .bulkTooLong, limits: limits)
    }

    func testMaxAggregateCount() {
        let limits = RESPLimits(maxAggregateCount: 2)
        assertRESP("*2\r\n:1\r\n:2\r\n", parsesTo: .array([.integer(1), .integer(2)]), limits: limits)
        assertRESP(
            "%2\r\n:1\r\n:2\r\n:3\r\n:4\r\n",
            parsesTo: .map([(key: .integer(1), value: .integer(2)), (key: .integer(3), value: .integer(4))]), limits: limits)
        for type in ["*", "~", ">", "%", "|"] {
            assertRESPFails(type + "3\r\n", with: .aggregateTooLarge, limits: limits)
        }
    }

    func testMaxDepthCountsAggregatesAndAttributes() {
        let limits = RESPLimits(maxDepth: 3)
        assertRESP("*1\r\n~1\r\n>0\r\n", parsesTo: .array([.set([.push([])])]), limits: limits)
        assertRESPFails("*1\r\n~1\r\n%1\r\n*0\r\n", with: .nestingTooDeep, limits: limits)
        // An attribute wraps the value after it: one level, like an aggregate.
        assertRESP(
            "*1\r\n|0\r\n*0\r\n", parsesTo: .array([.attributed(attributes: [], value: .array([]))]), limits: limits)
        assertRESPFails("|0\r\n|0\r\n|0\r\n|0\r\n", with: .nestingTooDeep, limits: limits)
    }

    func testDefaultDepthRefusesOneLevelMore() {
        assertRESPFails(String(repeating: "*1\r\n", count: 65) + ":1\r\n", with: .nestingTooDeep)
    }

    func testMaxValueBytesSpansOneTopLevelValue() {
        // `*2\r\n$3\r\nabc\r\n$3\r\ndef\r\n` is 4 + 9 + 9 = 22 bytes.
        let limits = RESPLimits(maxValueBytes: 22)
        let reply = "*2\r\n$3\r\nabc\r\n$3\r\ndef\r\n"
        let value = RESPValue.array([bulk("abc"), bulk("def")])
        // The count starts again at each top-level value.
        assertRESP(reply + reply, parsesTo: value, value, limits: limits)
        assertRESPFails("*2\r\n$3\r\nabc\r\n$4\r\n", with: .valueTooLarge, limits: limits)
        assertRESPFails("*3\r\n:1\r\n:2\r\n:3\r\n:4\r\n", with: .valueTooLarge, limits: RESPLimits(maxValueBytes: 12))
    }

    /// A header alone (a large count or length, no elements yet) makes the parser reserve only a
    /// little: storage follows the bytes that actually arrive.
    func testAnnouncedSizesAreNotReservedUpFront() {
        var parser = RESPParser()
        Array("*1000000\r\n$60000000\r\nab".utf8).withUnsafeBytes { buffer in
            var input = buffer
            XCTAssertEqual(parser.next(&input), .needMoreData)
        }
        XCTAssertEqual(parser.bufferedByteCount, 2)
        XCTAssertLessThanOrEqual(parser.bufferedCapacity, 2 * 1024 * 1024)
        XCTAssertEqual(parser.depth, 1)
    }
}
