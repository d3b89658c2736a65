import RingwireTestSupport
import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

final class WebSocketFrameEncoderTests: XCTestCase {
    private func header(_ opcode: WebSocketOpcode, length: Int, fin: Bool = true, rsv1: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        WebSocketFrameEncoder.writeHeader(opcode: opcode, payloadLength: length, fin: fin, rsv1: rsv1, to: &out)
        return out
    }

    func testHeadersAreByteExactAtLengthBoundaries() {
        XCTAssertEqual(header(.binary, length: 0), [0x82, 0x00])
        XCTAssertEqual(header(.text, length: 125), [0x81, 0x7D])
        XCTAssertEqual(header(.text, length: 126), [0x81, 0x7E, 0x00, 0x7E])
        XCTAssertEqual(header(.binary, length: 65535), [0x82, 0x7E, 0xFF, 0xFF])
        XCTAssertEqual(header(.binary, length: 65536), [0x82, 0x7F, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00])
        XCTAssertEqual(header(.binary, length: 0x1_0203_0405), [0x82, 0x7F, 0, 0, 0, 0x01, 0x02, 0x03, 0x04, 0x05])
        for length in [0, 125, 126, 65535, 65536, 1 << 40] {
            XCTAssertEqual(WebSocketFrameEncoder.headerSize(payloadLength: length), header(.binary, length: length).count, "\(length)")
        }
    }

    func testFlagsAndOpcodes() {
        XCTAssertEqual(header(.text, length: 1, fin: false), [0x01, 0x01])
        XCTAssertEqual(header(.continuation, length: 1, fin: true), [0x80, 0x01])
        XCTAssertEqual(header(.text, length: 1, rsv1: true), [0xC1, 0x01])
        XCTAssertEqual(header(.ping, length: 0), [0x89, 0x00])
        XCTAssertEqual(header(.pong, length: 3), [0x8A, 0x03])
    }

    func testWriteFrameIsHeaderThenUnmaskedPayload() {
        var out: [UInt8] = []
        let payload = [UInt8](repeating: 0x5A, count: 300)
        payload.withUnsafeBytes { WebSocketFrameEncoder.writeFrame(opcode: .binary, payload: $0, to: &out) }
        XCTAssertEqual(out, [0x82, 0x7E, 0x01, 0x2C] + payload)
        out = []
        WebSocketFrameEncoder.writeFrame(opcode: .text, payload: UnsafeRawBufferPointer(start: nil, count: 0), to: &out)
        XCTAssertEqual(out, [0x81, 0x00])
    }

    func testCloseFrames() {
        var out: [UInt8] = []
        WebSocketFrameEncoder.writeClose(code: .normalClosure, reason: "bye", to: &out)
        XCTAssertEqual(out, [0x88, 0x05, 0x03, 0xE8] + Array("bye".utf8))
        out = []
        WebSocketFrameEncoder.writeClose(code: nil, reason: "ignored", to: &out)
        XCTAssertEqual(out, [0x88, 0x00])
        out = []
        WebSocketFrameEncoder.writeClose(code: .noStatusReceived, reason: "never sent", to: &out)
        XCTAssertEqual(out, [0x88, 0x00], "1005 may not go on the wire")
        out = []
        WebSocketFrameEncoder.writeClose(code: .messageTooBig, to: &out)
        XCTAssertEqual(out, [0x88, 0x02, 0x03, 0xF1])
    }

    func testCloseReasonIsTruncatedOnACharacterBoundary() {
        for (reason, expectedLength) in [
            (String(repeating: "a", count: 123), 123),
            (String(repeating: "a", count: 200), 123),
            (String(repeating: "a", count: 122) + "é", 122),  // é would end at byte 124
            (String(repeating: "a", count: 121) + "é", 123),  // é ends exactly at byte 123
            (String(repeating: "a", count: 121) + "😀", 121),  // 4-byte character dropped whole
            (String(repeating: "€", count: 50), 123),  // 41 whole characters
        ] {
            var out: [UInt8] = []
            WebSocketFrameEncoder.writeClose(code: .goingAway, reason: reason, to: &out)
            XCTAssertEqual(out.count, 2 + 2 + expectedLength, reason)
            XCTAssertEqual(Int(out[1]), 2 + expectedLength)
            XCTAssertEqual(Array(out[4...]), Array(reason.utf8.prefix(expectedLength)))
            XCTAssertTrue(Array(out[4...]).withUnsafeBytes(UTF8Validator.isValid), reason)
        }
    }

    func testEncodedFramesRoundTripThroughAReaderWhenMasked() {
        // The encoder's header format is the reader's, minus the mask bit and key.
        var out: [UInt8] = []
        WebSocketFrameEncoder.writeHeader(opcode: .text, payloadLength: 70_000, fin: true, rsv1: false, to: &out)
        XCTAssertEqual(out.count, 10)
        XCTAssertEqual(Array(clientFrame(1, [UInt8](repeating: 0x61, count: 70_000))[..<10]), [out[0], out[1] | 0x80] + out[2...])
    }
}
