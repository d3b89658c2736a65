import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

/// Every kind of malformed input fails with its own error, however it is split.
final class RESPParserErrorTests: XCTestCase {
    func testInvalidTypeByte() {
        assertRESPFails("x\r\n", with: .invalidTypeByte(UInt8(ascii: "x")))
        assertRESPFails("\r\n", with: .invalidTypeByte(0x0D))
        assertRESPFails("*1\r\n@\r\n", with: .invalidTypeByte(UInt8(ascii: "@")))
    }

    func testLinesMustEndInCRLF() {
        assertRESPFails("+OK\n", with: .missingCRLF)
        assertRESPFails("+O\rK\r\n", with: .missingCRLF)
        assertRESPFails(":1\r\r\n", with: .missingCRLF)
        assertRESPFails("$3\n", with: .missingCRLF)
    }

    func testBulkPayloadMustBeFollowedByCRLF() {
        assertRESPFails("$3\r\nabcd\r\n", with: .missingCRLF)
        assertRESPFails("$3\r\nabc\rX", with: .missingCRLF)
        assertRESPFails("$3\r\nabc\n", with: .missingCRLF)
        assertRESPFails("!1\r\nab", with: .missingCRLF)
    }

    func testInvalidLengths() {
        for header in ["$", "$abc", "$+3", "$ 3", "$3 ", "$-2", "$-0", "*-2", "*1x", "%-1", "~-1", ">-1", "|-1", "!-1", "=-1"] {
            assertRESPFails(header + "\r\n", with: .invalidLength)
        }
    }

    func testInvalidIntegers() {
        for line in [":", ":-", ":+", ":abc", ":1.5", ":1 ", ": 1", ":--1", ":0x10"] {
            assertRESPFails(line + "\r\n", with: .invalidInteger)
        }
    }

    func testIntegerOverflow() {
        assertRESPFails(":9223372036854775808\r\n", with: .integerOverflow)
        assertRESPFails(":-9223372036854775809\r\n", with: .integerOverflow)
        assertRESPFails(":99999999999999999999999\r\n", with: .integerOverflow)
    }

    func testInvalidDoubles() {
        for line in [",", ",1.", ",.5", ",1e", ",1e+", ",infinity", ",Inf", ",+nan", ",0x1p3", ",abc", ",1.5.2", ", 1"] {
            assertRESPFails(line + "\r\n", with: .invalidDouble)
        }
    }

    func testInvalidBooleans() {
        for line in ["#", "#x", "#tt", "#1", "#T"] {
            assertRESPFails(line + "\r\n", with: .invalidBoolean)
        }
    }

    func testInvalidBigNumbers() {
        for line in ["(", "(-", "(12a", "(1.0", "( 1"] {
            assertRESPFails(line + "\r\n", with: .invalidBigNumber)
        }
    }

    func testNullWithContent() {
        assertRESPFails("_x\r\n", with: .invalidNull)
    }

    func testInvalidVerbatimStrings() {
        assertRESPFails("=3\r\ntxt\r\n", with: .invalidVerbatimString)
        assertRESPFails("=4\r\ntxt;\r\n", with: .invalidVerbatimString)
        assertRESPFails("=5\r\nt t:a\r\n", with: .invalidVerbatimString)
        assertRESPFails([0x3D, 0x34, 0x0D, 0x0A, 0x74, 0xFF, 0x74, 0x3A, 0x0D, 0x0A], with: .invalidVerbatimString)
    }

    /// A length or count too large for any limit is refused, never overflows.
    func testHugeLengthsAreRefused() {
        assertRESPFails("$99999999999999999999999999\r\n", with: .bulkTooLong)
        assertRESPFails("*99999999999999999999999999\r\n", with: .aggregateTooLarge)
        assertRESPFails("%9223372036854775807\r\n", with: .aggregateTooLarge)
    }
}
