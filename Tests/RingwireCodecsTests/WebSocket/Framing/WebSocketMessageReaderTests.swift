import RingwireTestSupport
import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

final class WebSocketMessageReaderTests: XCTestCase {
    // MARK: - Corpus fed at every split

    /// Frame sequences with the events they must produce, whatever the receive-buffer boundaries.
    static let corpus: [(name: String, bytes: [UInt8], events: [RecordedEvent])] = {
        let binary200 = (0..<200).map { UInt8($0 & 0xFF) }
        let text300 = String(repeating: "héllo ", count: 43)  // 301 bytes, multi-byte characters
        let kosme = Array("κόσμε".utf8)  // 11 bytes; cut at 4 splits "ό" between fragments
        return [
            (
                "small frames of every kind",
                clientFrame(2, [1, 2, 3, 4, 5]) + clientFrame(1, "Hello") + clientFrame(9, "p") + clientFrame(10, [])
                    + clientFrame(8, closePayload(1000, Array("bye".utf8))),
                [
                    .message(.binary, [1, 2, 3, 4, 5], compressed: false), .message(.text, Array("Hello".utf8), compressed: false),
                    .ping(Array("p".utf8)), .pong([]), .close(1000, "bye"),
                ]
            ),
            (
                "16-bit lengths, including a non-minimal one",
                clientFrame(2, binary200) + clientFrame(1, text300) + clientFrame(1, "short", length: .sixteenBit),
                [
                    .message(.binary, binary200, compressed: false), .message(.text, Array(text300.utf8), compressed: false),
                    .message(.text, Array("short".utf8), compressed: false),
                ]
            ),
            (
                "64-bit length field",
                clientFrame(1, "sixty-four", length: .sixtyFourBit) + clientFrame(9, [7, 7]),
                [.message(.text, Array("sixty-four".utf8), compressed: false), .ping([7, 7])]
            ),
            (
                "fragmented text with interleaved control frames, character split across fragments",
                clientFrame(1, Array(kosme[..<4]), fin: false) + clientFrame(9, "ping") + clientFrame(0, Array(kosme[4...]), fin: false)
                    + clientFrame(10, "pong") + clientFrame(0, "!") + clientFrame(8, []),
                [
                    .ping(Array("ping".utf8)), .pong(Array("pong".utf8)), .message(.text, kosme + Array("!".utf8), compressed: false),
                    .close(nil, ""),
                ]
            ),
            (
                "fragmented binary with empty fragments, then empty messages",
                clientFrame(2, [], fin: false) + clientFrame(0, [9, 8, 7], fin: false) + clientFrame(0, [], fin: false)
                    + clientFrame(0, [6])
                    + clientFrame(1, "") + clientFrame(2, []),
                [
                    .message(.binary, [9, 8, 7, 6], compressed: false), .message(.text, [], compressed: false),
                    .message(.binary, [], compressed: false),
                ]
            ),
            (
                "close then trailing bytes, which are ignored",
                clientFrame(8, closePayload(4000, Array("é".utf8))) + clientFrame(1, "after close") + [0xFF, 0xFF],
                [.close(4000, "é")]
            ),
        ]
    }()

    func testCorpusInOnePiece() {
        for entry in Self.corpus {
            XCTAssertEqual(readEvents(entry.bytes), entry.events, entry.name)
        }
    }

    func testCorpusAtEverySingleSplit() {
        for entry in Self.corpus {
            for cut in 0...entry.bytes.count {
                XCTAssertEqual(readEvents(entry.bytes, cuts: [cut]), entry.events, "\(entry.name), cut at \(cut)")
            }
        }
    }

    func testCorpusByteByByte() {
        for entry in Self.corpus {
            XCTAssertEqual(readEvents(entry.bytes, cuts: Array(1..<entry.bytes.count)), entry.events, entry.name)
        }
    }

    func testCorpusAtEveryPairOfSplits() {
        for entry in Self.corpus where entry.bytes.count <= 120 {
            for first in 0...entry.bytes.count {
                for second in first...entry.bytes.count {
                    XCTAssertEqual(readEvents(entry.bytes, cuts: [first, second]), entry.events, "\(entry.name), cuts \(first) \(second)")
                }
            }
        }
    }

    func testLargeSixtyFourBitFrameAtSampledSplits() {
        let payload = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let bytes = clientFrame(2, payload) + clientFrame(9, "after")
        let expected: [RecordedEvent] = [.message(.binary, payload, compressed: false), .ping(Array("after".utf8))]
        XCTAssertEqual(bytes[1], 0xFF, "uses the 64-bit length form")
        let cuts = Array(0...40) + Array(stride(from: 41, to: bytes.count - 40, by: 997)) + Array((bytes.count - 40)...bytes.count)
        for cut in cuts {
            XCTAssertEqual(readEvents(bytes, cuts: [cut]), expected, "cut at \(cut)")
        }
        XCTAssertEqual(readEvents(bytes, cuts: Array(stride(from: 1, to: bytes.count, by: 1000))), expected)
    }

    func testFastPathReturnsViewIntoInput() {
        var bytes = clientFrame(1, "Hello") + clientFrame(2, [1, 2])
        bytes.withUnsafeMutableBytes { buffer in
            var reader = WebSocketMessageReader(limits: WebSocketReaderLimits(), allowsRSV1: false)
            var input = buffer
            guard case .message(.text, let payload, compressed: false) = reader.next(&input) else { return XCTFail("no message") }
            XCTAssertEqual(payload.baseAddress, UnsafeRawPointer(buffer.baseAddress.map { $0 + 6 }))
            XCTAssertEqual(Array(payload), Array("Hello".utf8))
            XCTAssertEqual(input.count, 8)
            guard case .message(.binary, let second, compressed: false) = reader.next(&input) else { return XCTFail("no message") }
            XCTAssertEqual(Array(second), [1, 2])
            guard case .needMoreData = reader.next(&input) else { return XCTFail("expected needMoreData") }
            XCTAssertEqual(input.count, 0)
        }
    }

    func testEmptyInputNeedsMoreData() {
        var reader = WebSocketMessageReader(limits: WebSocketReaderLimits(), allowsRSV1: false)
        var input = UnsafeMutableRawBufferPointer(start: nil, count: 0)
        guard case .needMoreData = reader.next(&input) else { return XCTFail("expected needMoreData") }
    }

    // MARK: - Compression flag

    func testRSV1MarksFirstFrameCompressedWhenNegotiated() {
        // Not valid UTF-8, but compressed text is validated by the layer that inflates it.
        let bytes =
            clientFrame(1, [0xFF, 0x00], rsv: 4) + clientFrame(2, [1], fin: false, rsv: 4) + clientFrame(0, [0xC3], fin: false)
            + clientFrame(9, "x") + clientFrame(0, [2])
        let expected: [RecordedEvent] = [
            .message(.text, [0xFF, 0x00], compressed: true), .ping([0x78]), .message(.binary, [1, 0xC3, 2], compressed: true),
        ]
        for cut in 0...bytes.count {
            XCTAssertEqual(readEvents(bytes, cuts: [cut], allowsRSV1: true), expected, "cut at \(cut)")
        }
        let text = clientFrame(1, [0xFF], fin: false, rsv: 4) + clientFrame(0, [0xFE])
        XCTAssertEqual(readEvents(text, cuts: [3], allowsRSV1: true), [.message(.text, [0xFF, 0xFE], compressed: true)])
    }

    // MARK: - Violations, each with its close code, whole and byte by byte

    /// Asserts `bytes` ends in a failure with `code`, preceded by `before`, at every split.
    private func assertFails(
        _ bytes: [UInt8], code: WebSocketCloseCode, before: [RecordedEvent] = [],
        limits: WebSocketReaderLimits = WebSocketReaderLimits(), allowsRSV1: Bool = false,
        _ message: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        let whole = readEvents(bytes, limits: limits, allowsRSV1: allowsRSV1)
        XCTAssertEqual(whole.dropLast(), before[...], message, file: file, line: line)
        XCTAssertEqual(whole.last?.failureCode, code.rawValue, "\(message): \(whole)", file: file, line: line)
        XCTAssertEqual(
            readEvents(bytes, cuts: Array(1..<max(bytes.count, 1)), limits: limits, allowsRSV1: allowsRSV1), whole,
            "\(message), byte by byte", file: file, line: line)
        for cut in 0...bytes.count {
            XCTAssertEqual(
                readEvents(bytes, cuts: [cut], limits: limits, allowsRSV1: allowsRSV1), whole, "\(message), cut at \(cut)", file: file,
                line: line)
        }
    }

    func testUnmaskedFrameIsProtocolError() {
        assertFails(clientFrame(1, Array("hi".utf8), masked: false), code: .protocolError, "unmasked text")
        assertFails(clientFrame(9, [], masked: false), code: .protocolError, "unmasked ping")
    }

    func testReservedBitsAreProtocolErrors() {
        assertFails(clientFrame(1, Array("hi".utf8), rsv: 4), code: .protocolError, "RSV1 without negotiation")
        assertFails(clientFrame(1, Array("hi".utf8), rsv: 2), code: .protocolError, "RSV2")
        assertFails(clientFrame(1, Array("hi".utf8), rsv: 1), code: .protocolError, "RSV3")
        assertFails(clientFrame(2, [1], rsv: 2), code: .protocolError, allowsRSV1: true, "RSV2 with deflate")
        assertFails(clientFrame(2, [1], rsv: 1), code: .protocolError, allowsRSV1: true, "RSV3 with deflate")
        assertFails(
            clientFrame(2, [1], fin: false) + clientFrame(0, [2], rsv: 4), code: .protocolError, allowsRSV1: true, "RSV1 on continuation")
        assertFails(clientFrame(9, [], rsv: 4), code: .protocolError, allowsRSV1: true, "RSV1 on ping")
        assertFails(clientFrame(8, [], rsv: 4), code: .protocolError, allowsRSV1: true, "RSV1 on close")
    }

    func testReservedOpcodesAreProtocolErrors() {
        for opcode: UInt8 in [3, 4, 5, 6, 7, 11, 12, 13, 14, 15] {
            assertFails(clientFrame(opcode, [1, 2]), code: .protocolError, "opcode \(opcode)")
            assertFails(
                clientFrame(1, "ok") + clientFrame(opcode, []), code: .protocolError,
                before: [.message(.text, Array("ok".utf8), compressed: false)], "opcode \(opcode) after a message")
        }
    }

    func testOversizedOrFragmentedControlFramesAreProtocolErrors() {
        let big = [UInt8](repeating: 0x61, count: 126)
        assertFails(clientFrame(9, big), code: .protocolError, "ping of 126 bytes (16-bit length)")
        assertFails(clientFrame(10, big), code: .protocolError, "pong of 126 bytes")
        assertFails(clientFrame(8, closePayload(1000, Array(big[2...]) + [0x61])), code: .protocolError, "close of 127 bytes")
        assertFails(clientFrame(9, [1], length: .sixtyFourBit), code: .protocolError, "ping with a 64-bit length field")
        assertFails(clientFrame(9, [1], fin: false), code: .protocolError, "fragmented ping")
        assertFails(clientFrame(8, [], fin: false), code: .protocolError, "fragmented close")
        XCTAssertEqual(readEvents(clientFrame(9, Array(big[1...]))), [.ping(Array(big[1...]))], "125 bytes is allowed")
    }

    func testSixtyFourBitLengthWithTopBitIsProtocolError() {
        let header: [UInt8] = [0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4]
        assertFails(header, code: .protocolError, "64-bit length with MSB set")
        XCTAssertEqual(readEvents(Array(header[..<10])).last?.failureCode, 1002, "detected before the masking key arrives")
    }

    func testFragmentSequencingErrors() {
        assertFails(clientFrame(0, "x"), code: .protocolError, "continuation with no message")
        assertFails(clientFrame(0, "x", fin: false), code: .protocolError, "non-final continuation with no message")
        assertFails(
            clientFrame(1, "a") + clientFrame(0, "b"), code: .protocolError,
            before: [.message(.text, Array("a".utf8), compressed: false)], "continuation after a complete message")
        assertFails(clientFrame(1, "a", fin: false) + clientFrame(1, "b"), code: .protocolError, "text while fragmented text open")
        assertFails(
            clientFrame(2, [1], fin: false) + clientFrame(9, []) + clientFrame(2, [2]), code: .protocolError,
            before: [.ping([])], "binary while fragmented binary open")
    }

    func testInvalidTextIsInvalidPayloadData() {
        assertFails(clientFrame(1, [0x61, 0xC0, 0x80]), code: .invalidPayloadData, "overlong in one frame")
        assertFails(clientFrame(1, [0xED, 0xA0, 0x80]), code: .invalidPayloadData, "surrogate")
        assertFails(clientFrame(1, [0xF4, 0x90, 0x80, 0x80]), code: .invalidPayloadData, "above U+10FFFF")
        assertFails(clientFrame(1, [0x61, 0xE2, 0x82]), code: .invalidPayloadData, "truncated at the end of a single frame")
        assertFails(
            clientFrame(1, [0xE2], fin: false) + clientFrame(0, [0x82], fin: false) + clientFrame(0, []),
            code: .invalidPayloadData, "truncated at the final fragment")
        assertFails(
            clientFrame(1, [0x61], fin: false) + clientFrame(0, [0xFF], fin: false) + clientFrame(0, []),
            code: .invalidPayloadData, "invalid middle fragment")
        XCTAssertEqual(
            readEvents(clientFrame(1, [0xE2], fin: false) + clientFrame(0, [0x82], fin: false) + clientFrame(0, [0xAC])),
            [.message(.text, [0xE2, 0x82, 0xAC], compressed: false)], "a character spread over three fragments is fine")
    }

    func testInvalidTextFailsBeforeTheMessageEnds() {
        // Only the first, non-final fragment is sent: its bytes are already invalid.
        XCTAssertEqual(readEvents(clientFrame(1, [0x61, 0xF4, 0x90], fin: false)).last?.failureCode, 1007)
        // Only the first 3 payload bytes of a spanning single frame: 0xC0 is already invalid.
        let frame = clientFrame(1, [0x61, 0xC0] + [UInt8](repeating: 0x61, count: 50))
        XCTAssertEqual(readEvents(Array(frame[..<(6 + 3)])).last?.failureCode, 1007)
    }

    func testCloseFrameValidation() {
        assertFails(clientFrame(8, [0x03]), code: .protocolError, "close payload of 1 byte")
        for code: UInt16 in [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535] {
            assertFails(clientFrame(8, closePayload(code)), code: .protocolError, "close code \(code)")
        }
        assertFails(clientFrame(8, closePayload(1000, [0xCE, 0xBA, 0xED, 0xA0, 0x80])), code: .invalidPayloadData, "reason not UTF-8")
        assertFails(clientFrame(8, closePayload(1000, [0xCE])), code: .invalidPayloadData, "reason truncated")
        for code: UInt16 in [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999] {
            XCTAssertEqual(readEvents(clientFrame(8, closePayload(code, Array("why".utf8)))), [.close(code, "why")], "close code \(code)")
        }
        let longReason = String(repeating: "é", count: 61) + "x"  // 123 bytes: the longest allowed
        XCTAssertEqual(readEvents(clientFrame(8, closePayload(1001, Array(longReason.utf8))), cuts: [50]), [.close(1001, longReason)])
    }

    func testFrameAndMessageLimitsAreMessageTooBig() {
        let limits = WebSocketReaderLimits(maxFrameSize: 10, maxMessageSize: 16)
        XCTAssertEqual(
            readEvents(clientFrame(2, [UInt8](repeating: 1, count: 10)), limits: limits),
            [.message(.binary, [UInt8](repeating: 1, count: 10), compressed: false)])
        assertFails(clientFrame(2, [UInt8](repeating: 1, count: 11)), code: .messageTooBig, limits: limits, "frame over maxFrameSize")
        assertFails(
            clientFrame(2, [UInt8](repeating: 1, count: 10), fin: false) + clientFrame(0, [UInt8](repeating: 2, count: 7)),
            code: .messageTooBig, limits: limits, "fragments over maxMessageSize")
        XCTAssertEqual(
            readEvents(clientFrame(1, "0123456789", fin: false) + clientFrame(0, "abcdef"), limits: limits),
            [.message(.text, Array("0123456789abcdef".utf8), compressed: false)], "exactly maxMessageSize")
        // The declared length alone fails the connection: no payload byte is sent or buffered.
        let header = Array(clientFrame(2, [UInt8](repeating: 1, count: 11))[..<6])
        XCTAssertEqual(readEvents(header, limits: limits).last?.failureCode, 1009)
        let huge: [UInt8] = [0x82, 0xFF, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]  // 2^62 bytes declared
        XCTAssertEqual(readEvents(huge).last?.failureCode, 1009)
        let messageLimit = WebSocketReaderLimits(maxFrameSize: 100, maxMessageSize: 16)
        assertFails(
            clientFrame(2, [UInt8](repeating: 1, count: 17)), code: .messageTooBig, limits: messageLimit, "single frame over maxMessageSize"
        )
    }

    func testFailureIsSticky() {
        var bytes = clientFrame(1, Array("x".utf8), masked: false) + clientFrame(1, "y")
        bytes.withUnsafeMutableBytes { buffer in
            var reader = WebSocketMessageReader(limits: WebSocketReaderLimits(), allowsRSV1: false)
            var input = buffer
            for _ in 0..<2 {
                guard case .failure(let code, _) = reader.next(&input) else { return XCTFail("expected failure") }
                XCTAssertEqual(code, .protocolError)
            }
        }
    }
}
