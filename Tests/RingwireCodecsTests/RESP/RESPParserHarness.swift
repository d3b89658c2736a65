import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

/// What the parser reported: the values it returned, then its error if it failed.
enum RESPRecord: Equatable {
    case value(RESPValue)
    case error(RESPParseError)
}

/// Feeds `pieces` to one parser in order, as successive receive buffers, and records what it
/// returns. Stops at the first error (after checking that the parser repeats it); checks after
/// every call that `.needMoreData` consumed everything and that the held bytes and open
/// aggregates stay within `limits`.
func parseRESP(_ pieces: [[UInt8]], limits: RESPLimits = RESPLimits()) -> [RESPRecord] {
    var parser = RESPParser(limits: limits)
    var records: [RESPRecord] = []
    for piece in pieces {
        var failed = false
        piece.withUnsafeBytes { buffer in
            var input = buffer
            loop: while true {
                let event = parser.next(&input)
                XCTAssertLessThanOrEqual(parser.bufferedByteCount, max(limits.maxLineLength + 2, limits.maxBulkLength))
                XCTAssertLessThanOrEqual(parser.depth, limits.maxDepth)
                switch event {
                case .needMoreData:
                    XCTAssertTrue(input.isEmpty, "needMoreData must mean all input was consumed")
                    break loop
                case .value(let value):
                    records.append(.value(value))
                case .error(let error):
                    records.append(.error(error))
                    XCTAssertEqual(parser.next(&input), .error(error), "a failed parser repeats its error")
                    failed = true
                    break loop
                }
            }
        }
        if failed { break }
    }
    return records
}

/// Asserts that `bytes` produce `expected` when fed whole, split in two at every byte boundary,
/// and one byte at a time.
func assertRESPEverySplit(
    _ bytes: [UInt8], limits: RESPLimits = RESPLimits(), produce expected: [RESPRecord],
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(parseRESP([bytes], limits: limits), expected, "fed whole", file: file, line: line)
    for cut in 1..<max(1, bytes.count) {
        let records = parseRESP([Array(bytes[..<cut]), Array(bytes[cut...])], limits: limits)
        if records != expected {
            XCTFail("split at \(cut): \(records)", file: file, line: line)
            return
        }
    }
    XCTAssertEqual(parseRESP(bytes.map { [$0] }, limits: limits), expected, "byte by byte", file: file, line: line)
}

/// Asserts that `text` parses to `values`, however split.
func assertRESP(
    _ text: String, parsesTo values: RESPValue..., limits: RESPLimits = RESPLimits(),
    file: StaticString = #filePath, line: UInt = #line
) {
    assertRESPEverySplit(Array(text.utf8), limits: limits, produce: values.map(RESPRecord.value), file: file, line: line)
}

/// Asserts that `bytes` fail with `error`, however split, and never produce a value first.
func assertRESPFails(
    _ bytes: [UInt8], with error: RESPParseError, limits: RESPLimits = RESPLimits(),
    file: StaticString = #filePath, line: UInt = #line
) {
    assertRESPEverySplit(bytes, limits: limits, produce: [.error(error)], file: file, line: line)
}

/// Asserts that `text` fails with `error`, however split.
func assertRESPFails(
    _ text: String, with error: RESPParseError, limits: RESPLimits = RESPLimits(),
    file: StaticString = #filePath, line: UInt = #line
) {
    assertRESPFails(Array(text.utf8), with: error, limits: limits, file: file, line: line)
}

/// A bulk string of the UTF-8 bytes of `text`.
func bulk(_ text: String) -> RESPValue {
    .bulkString(Array(text.utf8))
}
