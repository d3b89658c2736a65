import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

/// Every RESP2 and RESP3 type, fed whole, split in two at every byte and one byte at a time.
final class RESPParserTests: XCTestCase {
    // MARK: RESP2

    func testSimpleString() {
        assertRESP("+OK\r\n", parsesTo: .simpleString("OK"))
        assertRESP("+\r\n", parsesTo: .simpleString(""))
    }

    func testError() {
        assertRESP(
            "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
            parsesTo: .error("WRONGTYPE Operation against a key holding the wrong kind of value"))
    }

    func testIntegers() {
        assertRESP(":0\r\n", parsesTo: .integer(0))
        assertRESP(":+42\r\n", parsesTo: .integer(42))
        assertRESP(":-1\r\n", parsesTo: .integer(-1))
        assertRESP(":9223372036854775807\r\n", parsesTo: .integer(.max))
        assertRESP(":-9223372036854775808\r\n", parsesTo: .integer(.min))
    }

    func testBulkStringsAreBinarySafe() {
        assertRESP("$5\r\nhello\r\n", parsesTo: bulk("hello"))
        assertRESP("$0\r\n\r\n", parsesTo: bulk(""))
        assertRESPEverySplit(
            [0x24, 0x34, 0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0xFF, 0x0D, 0x0A],
            produce: [.value(.bulkString([0x0D, 0x0A, 0x00, 0xFF]))])
    }

    func testRESP2Nulls() {
        assertRESP("$-1\r\n", parsesTo: .nullBulkString)
        assertRESP("*-1\r\n", parsesTo: .nullArray)
        XCTAssertTrue(RESPValue.nullBulkString.isNull)
        XCTAssertTrue(RESPValue.nullArray.isNull)
        XCTAssertFalse(RESPValue.bulkString([]).isNull)
    }

    func testArrays() {
        assertRESP("*0\r\n", parsesTo: .array([]))
        assertRESP(
            "*3\r\n$3\r\nfoo\r\n:7\r\n$-1\r\n",
            parsesTo: .array([bulk("foo"), .integer(7), .nullBulkString]))
        assertRESP(
            "*2\r\n*2\r\n+a\r\n*0\r\n*1\r\n-E\r\n",
            parsesTo: .array([.array([.simpleString("a"), .array([])]), .array([.error("E")])]))
    }

    /// An XREAD reply: streams, each with entries, each an id and its field-value list.
    func testNestedStreamReply() {
        let reply = "*1\r\n*2\r\n$4\r\nroom\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nm\r\n$2\r\nhi\r\n"
        assertRESP(
            reply,
            parsesTo: .array([.array([bulk("room"), .array([.array([bulk("1-0"), .array([bulk("m"), bulk("hi")])])])])]))
    }

    // MARK: RESP3

    func testNull() {
        assertRESP("_\r\n", parsesTo: .null)
        XCTAssertTrue(RESPValue.null.isNull)
    }

    func testBooleans() {
        assertRESP("#t\r\n#f\r\n", parsesTo: .boolean(true), .boolean(false))
    }

    func testDoubles() {
        assertRESP(",1.23\r\n", parsesTo: .double(1.23))
        assertRESP(",10\r\n", parsesTo: .double(10))
        assertRESP(",-1.5e+20\r\n", parsesTo: .double(-1.5e20))
        assertRESP(",2E-3\r\n", parsesTo: .double(0.002))
        assertRESP(",inf\r\n", parsesTo: .double(.infinity))
        assertRESP(",-inf\r\n", parsesTo: .double(-.infinity))
        assertRESP(",nan\r\n", parsesTo: .double(.nan))
    }

    func testBigNumber() {
        assertRESP(
            "(3492890328409238509324850943850943825024385\r\n",
            parsesTo: .bigNumber("3492890328409238509324850943850943825024385"))
        assertRESP("(-12\r\n", parsesTo: .bigNumber("-12"))
    }

    func testBulkError() {
        assertRESP("!21\r\nSYNTAX invalid syntax\r\n", parsesTo: .bulkError(Array("SYNTAX invalid syntax".utf8)))
    }

    func testVerbatimString() {
        assertRESP("=15\r\ntxt:Some string\r\n", parsesTo: .verbatimString(format: "txt", text: Array("Some string".utf8)))
        assertRESP("=4\r\nmkd:\r\n", parsesTo: .verbatimString(format: "mkd", text: []))
    }

    func testMapKeepsOrderAndRepeatedKeys() {
        assertRESP("%0\r\n", parsesTo: .map([]))
        assertRESP(
            "%3\r\n+first\r\n:1\r\n+second\r\n:2\r\n+first\r\n%1\r\n#t\r\n_\r\n",
            parsesTo: .map([
                (key: .simpleString("first"), value: .integer(1)),
                (key: .simpleString("second"), value: .integer(2)),
                (key: .simpleString("first"), value: .map([(key: .boolean(true), value: .null)])),
            ]))
    }

    func testSet() {
        assertRESP("~2\r\n+orange\r\n+apple\r\n", parsesTo: .set([.simpleString("orange"), .simpleString("apple")]))
    }

    /// A pub/sub message as a RESP3 server pushes it, between two replies.
    func testPushBetweenReplies() {
        assertRESP(
            "+OK\r\n>3\r\n$7\r\nmessage\r\n$4\r\nroom\r\n$5\r\nhello\r\n:1\r\n",
            parsesTo: .simpleString("OK"), .push([bulk("message"), bulk("room"), bulk("hello")]), .integer(1))
    }

    /// The spec's example: the attribute describes the value after it, and is not counted as an
    /// element of the array around them.
    func testAttributeAttachesToTheValueItPrecedes() {
        let popularity = RESPValue.map([
            (key: bulk("a"), value: .double(0.1923)), (key: bulk("b"), value: .double(0.0012)),
        ])
        let attributes = [(key: RESPValue.simpleString("key-popularity"), value: popularity)]
        let reply = "|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n"
        let attributed = RESPValue.attributed(attributes: attributes, value: .array([.integer(2_039_123), .integer(9_543_892)]))
        assertRESP(reply, parsesTo: attributed)
        XCTAssertEqual(attributed.withoutAttributes, .array([.integer(2_039_123), .integer(9_543_892)]))

        assertRESP(
            "*2\r\n:1\r\n|1\r\n+ttl\r\n:3600\r\n:2\r\n",
            parsesTo: .array([
                .integer(1), .attributed(attributes: [(key: .simpleString("ttl"), value: .integer(3600))], value: .integer(2)),
            ]))
    }

    func testEmptyAndStackedAttributes() {
        assertRESP("|0\r\n+x\r\n", parsesTo: .attributed(attributes: [], value: .simpleString("x")))
        let inner = RESPValue.attributed(attributes: [(key: .integer(2), value: .null)], value: .nullArray)
        assertRESP(
            "|1\r\n:1\r\n_\r\n|1\r\n:2\r\n_\r\n*-1\r\n",
            parsesTo: .attributed(attributes: [(key: .integer(1), value: .null)], value: inner))
        XCTAssertTrue(inner.isNull)
        XCTAssertEqual(
            RESPValue.map([(key: inner, value: .set([inner]))]).withoutAttributes, .map([(key: .nullArray, value: .set([.nullArray]))]))
    }

    // MARK: Streams of replies

    func testPipelinedRepliesInOneBuffer() {
        assertRESP(
            "+OK\r\n$3\r\nbar\r\n:2\r\n*2\r\n$1\r\na\r\n$-1\r\n-ERR no\r\n_\r\n",
            parsesTo: .simpleString("OK"), bulk("bar"), .integer(2), .array([bulk("a"), .nullBulkString]), .error("ERR no"), .null)
    }

    /// The parser stops at the end of each value: what follows stays in the caller's buffer.
    func testNeverConsumesPastTheValueItReturns() {
        var parser = RESPParser()
        Array("+OK\r\n:1\r\n".utf8).withUnsafeBytes { buffer in
            var input = buffer
            XCTAssertEqual(parser.next(&input), .value(.simpleString("OK")))
            XCTAssertEqual(Array(input), Array(":1\r\n".utf8))
            XCTAssertEqual(parser.next(&input), .value(.integer(1)))
            XCTAssertEqual(parser.next(&input), .needMoreData)
        }
    }

    func testErrorAfterValidReplies() {
        assertRESPEverySplit(
            Array("+OK\r\n:1\r\n?".utf8), produce: [.value(.simpleString("OK")), .value(.integer(1)), .error(.invalidTypeByte(0x3F))])
    }

    // MARK: Deep and large

    func testNestingAtTheDepthLimit() {
        let depth = RESPLimits().maxDepth
        var expected = RESPValue.integer(1)
        for _ in 0..<depth { expected = .array([expected]) }
        assertRESP(String(repeating: "*1\r\n", count: depth) + ":1\r\n", parsesTo: expected)
    }

    /// Fed one byte at a time, a large array is parsed in time linear in its size: a parser that
    /// rescanned the partial value on each byte would take minutes here.
    func testLargeArrayFedByteByByte() {
        let count = 20_000
        let bytes = Array(("*\(count)\r\n" + String(repeating: "$2\r\nab\r\n", count: count)).utf8)
        let expected = RESPRecord.value(.array(Array(repeating: bulk("ab"), count: count)))
        XCTAssertEqual(parseRESP(bytes.map { [$0] }), [expected])
        XCTAssertEqual(parseRESP([bytes]), [expected])
    }

    func testLargeBulkStringAcrossManyBuffers() {
        let payload = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let bytes = Array("$\(payload.count)\r\n".utf8) + payload + [0x0D, 0x0A]
        var pieces: [[UInt8]] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + 4093, bytes.count)
            pieces.append(Array(bytes[start..<end]))
            start = end
        }
        XCTAssertEqual(parseRESP(pieces), [.value(.bulkString(payload))])
    }
}
