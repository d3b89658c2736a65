import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

final class WebSocketMaskingTests: XCTestCase {
    func testMatchesBytewiseReferenceAtEveryOffsetAndLength() {
        let keyBytes: [UInt8] = [0x12, 0xA5, 0x3C, 0xF0]
        let key = WebSocketMaskingKey(keyBytes[0], keyBytes[1], keyBytes[2], keyBytes[3])
        let source = (0..<48).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for length in 0...40 {
            for offset in 0..<9 {
                // Also at every alignment of the buffer start, since the fast path loads unaligned.
                for start in 0..<8 {
                    var buffer = source
                    let expected = (0..<length).map { source[start + $0] ^ keyBytes[(offset + $0) % 4] }
                    buffer.withUnsafeMutableBytes { raw in
                        WebSocketMasking.apply(
                            key: key, to: UnsafeMutableRawBufferPointer(rebasing: raw[start..<(start + length)]), offset: offset)
                    }
                    XCTAssertEqual(Array(buffer[start..<(start + length)]), expected, "length \(length) offset \(offset) start \(start)")
                    XCTAssertEqual(buffer[..<start], source[..<start], "bytes before untouched")
                    XCTAssertEqual(buffer[(start + length)...], source[(start + length)...], "bytes after untouched")
                }
            }
        }
    }

    func testUnmaskingInPiecesWithRunningOffsetEqualsWhole() {
        let key = WebSocketMaskingKey(1, 2, 3, 4)
        let payload = (0..<100).map { UInt8($0) }
        var whole = payload
        whole.withUnsafeMutableBytes { WebSocketMasking.apply(key: key, to: $0) }
        for cut in 0...payload.count {
            var pieces = payload
            pieces.withUnsafeMutableBytes { raw in
                WebSocketMasking.apply(key: key, to: UnsafeMutableRawBufferPointer(rebasing: raw[..<cut]), offset: 0)
                WebSocketMasking.apply(key: key, to: UnsafeMutableRawBufferPointer(rebasing: raw[cut...]), offset: cut)
            }
            XCTAssertEqual(pieces, whole, "cut at \(cut)")
        }
    }

    func testApplyingTwiceRestoresAndKeyLoadsInWireOrder() {
        let keyBytes: [UInt8] = [9, 8, 7, 6]
        let loaded = keyBytes.withUnsafeBytes { WebSocketMaskingKey(loadingFrom: $0.baseAddress!) }
        XCTAssertEqual(loaded, WebSocketMaskingKey(9, 8, 7, 6))
        var data = Array("RFC 6455 masking".utf8)
        data.withUnsafeMutableBytes { WebSocketMasking.apply(key: loaded, to: $0, offset: 3) }
        XCTAssertEqual(data[0], UInt8(ascii: "R") ^ 6)
        data.withUnsafeMutableBytes { WebSocketMasking.apply(key: loaded, to: $0, offset: 3) }
        XCTAssertEqual(data, Array("RFC 6455 masking".utf8))
    }
}
