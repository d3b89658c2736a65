import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

/// Commands are written byte-exact as arrays of bulk strings, and parse back to their arguments.
final class RESPCommandEncoderTests: XCTestCase {
    func testTextArguments() {
        var bytes: [UInt8] = []
        RESPCommandEncoder.write(["SET", "key", "value"], into: &bytes)
        XCTAssertEqual(bytes, Array("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n".utf8))
    }

    func testLengthsCountUTF8Bytes() {
        var bytes: [UInt8] = []
        RESPCommandEncoder.write(["ECHO", "héllo ✓"], into: &bytes)
        XCTAssertEqual(bytes, Array("*2\r\n$4\r\nECHO\r\n$10\r\nhéllo ✓\r\n".utf8))
    }

    func testBinaryArgumentsAreWrittenAsIs() {
        var bytes: [UInt8] = []
        RESPCommandEncoder.write([Array("GET".utf8), [0x0D, 0x0A, 0x00, 0xFF], []], into: &bytes)
        XCTAssertEqual(bytes, Array("*3\r\n$3\r\nGET\r\n$4\r\n".utf8) + [0x0D, 0x0A, 0x00, 0xFF] + Array("\r\n$0\r\n\r\n".utf8))
    }

    func testMixedArguments() {
        var bytes: [UInt8] = []
        let arguments: [RESPArgument] = ["XADD", .bytes(Array("room".utf8)), "MAXLEN", 1000, .integer(-7), .integer(.min), 0]
        RESPCommandEncoder.write(arguments, into: &bytes)
        let expected =
            "*7\r\n$4\r\nXADD\r\n$4\r\nroom\r\n$6\r\nMAXLEN\r\n$4\r\n1000\r\n$2\r\n-7\r\n$20\r\n-9223372036854775808\r\n$1\r\n0\r\n"
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), expected)
    }

    func testPipelinedCommandsFollowEachOther() {
        var bytes: [UInt8] = []
        RESPCommandEncoder.write(["PING"], into: &bytes)
        RESPCommandEncoder.write([RESPArgument]([.string("INCR"), .string("n")]), into: &bytes)
        XCTAssertEqual(bytes, Array("*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n".utf8))
    }

    /// A command parses back, however split, to an array of bulk strings equal to its arguments.
    func testRoundTripThroughTheParser() {
        let payload = (0...255).map(UInt8.init)
        let arguments: [RESPArgument] = ["PUBLISH", .string("room:é"), .bytes(payload), 42, .bytes([])]
        var bytes: [UInt8] = []
        RESPCommandEncoder.write(arguments, into: &bytes)
        let expected = RESPValue.array([bulk("PUBLISH"), bulk("room:é"), .bulkString(payload), bulk("42"), .bulkString([])])
        assertRESPEverySplit(bytes, produce: [.value(expected)])
    }
}
