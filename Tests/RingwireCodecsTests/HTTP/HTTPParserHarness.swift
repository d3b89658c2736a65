import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

/// One parser event in a form tests can compare; consecutive body slices are merged so the
/// record does not depend on how the input was split.
enum HTTPRecordedEvent: Equatable {
    case head(HTTPRequestHead)
    case body([UInt8])
    case end
    case error(HTTPParseError)
}

/// Feeds `pieces` to one parser in order, as successive receive buffers, and records the events.
/// Stops at the first error (after checking that the parser repeats it).
func parse(_ pieces: [[UInt8]], limits: HTTPLimits = HTTPLimits()) -> [HTTPRecordedEvent] {
    var parser = HTTPRequestParser(limits: limits)
    var events: [HTTPRecordedEvent] = []
    for piece in pieces {
        var failed = false
        piece.withUnsafeBytes { buffer in
            var input = buffer
            loop: while true {
                switch parser.next(&input) {
                case .needMoreData:
                    XCTAssertTrue(input.isEmpty, "needMoreData must mean all input was consumed")
                    break loop
                case .head(let head):
                    events.append(.head(head))
                case .body(let bytes):
                    if case .body(let previous) = events.last {
                        events[events.count - 1] = .body(previous + Array(bytes))
                    } else {
                        events.append(.body(Array(bytes)))
                    }
                case .end:
                    events.append(.end)
                case .error(let error):
                    events.append(.error(error))
                    if case .error(let again) = parser.next(&input) {
                        XCTAssertEqual(again, error, "a failed parser repeats its error")
                    } else {
                        XCTFail("a failed parser must keep failing")
                    }
                    failed = true
                    break loop
                }
            }
        }
        if failed { break }
    }
    return events
}

/// Asserts that `bytes` produce `expected` when fed whole, split in two at every byte boundary,
/// and one byte at a time.
func assertEverySplit(
    _ bytes: [UInt8], limits: HTTPLimits = HTTPLimits(), produce expected: [HTTPRecordedEvent],
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(parse([bytes], limits: limits), expected, "fed whole", file: file, line: line)
    for cut in 1..<max(1, bytes.count) {
        let events = parse([Array(bytes[..<cut]), Array(bytes[cut...])], limits: limits)
        if events != expected {
            XCTFail("split at \(cut): \(events)", file: file, line: line)
            return
        }
    }
    XCTAssertEqual(parse(bytes.map { [$0] }, limits: limits), expected, "byte by byte", file: file, line: line)
}

/// Asserts that `bytes` fail with `error`, and that the error maps to `status`, however split.
func assertFails(
    _ bytes: [UInt8], with error: HTTPParseError, status: Int, limits: HTTPLimits = HTTPLimits(),
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(error.status.code, status, "status of \(error)", file: file, line: line)
    let whole = parse([bytes], limits: limits)
    guard case .error(let found)? = whole.last else {
        XCTFail("expected \(error), got \(whole)", file: file, line: line)
        return
    }
    XCTAssertEqual(found, error, file: file, line: line)
    assertEverySplit(bytes, limits: limits, produce: whole, file: file, line: line)
}

/// The UTF-8 bytes of `string`.
func bytes(_ string: String) -> [UInt8] {
    Array(string.utf8)
}
