@_spi(RingwireInternal) @testable import RingwireCodecs

/// resp: `RESPParser`, with every value it returns encoded again by the test-side encoder
/// (`Tests/RingwireCodecsTests/RESP/RESPTestEncoder.swift`, compiled into this target).
///
/// Input: options byte (bit 0: small limits, from the next byte), then the server's byte stream.
/// Properties: whole and split streams give the same values and error; no call leaves input
/// unconsumed on `.needMoreData`; the bytes held between calls stay within the line and bulk
/// limits and the open aggregates within `maxDepth`; every value respects the limits (depth,
/// element counts, bulk lengths); the values encoded again and parsed (split at random) are the
/// same values.
@_cdecl("LLVMFuzzerTestOneInput")
public func respFuzzTarget(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    var input = FuzzInput(bytes, count: count)
    let limits = input.option(0) ? smallLimits(input.data.first ?? 0) : RESPLimits()
    let whole = RESPParseRun(limits: limits)
    whole.feed([input.data])
    let split = RESPParseRun(limits: limits)
    split.feed(Pieces.split(input.data, using: &input.random))
    fuzzRequire(whole.records == split.records, "whole \(whole.records) != split \(split.records)")

    var values: [RESPValue] = []
    for case .value(let value) in whole.records {
        requireWithinLimits(value, limits: limits, depth: 0)
        values.append(value)
    }
    // Room for lines that grow when encoded again: invalid UTF-8 in a simple string or error is
    // decoded to U+FFFD, three bytes for one.
    let readBack = RESPParseRun(limits: RESPLimits(maxLineLength: 3 * limits.maxLineLength + 32))
    readBack.feed(Pieces.split(values.flatMap(RESPTestEncoder.encode), using: &input.random))
    fuzzRequire(readBack.records == values.map(RESPRecord.value), "read back \(readBack.records) != \(values)")
    return 0
}

/// Limits small enough that short inputs reach every one of them.
private func smallLimits(_ byte: UInt8) -> RESPLimits {
    let value = Int(byte)
    return RESPLimits(
        maxBulkLength: value % 48,
        maxAggregateCount: 1 + value % 8,
        maxDepth: 1 + value % 6,
        maxLineLength: 1 + value % 24,
        maxValueBytes: 16 + value * 2
    )
}

/// Aborts unless `value`, found `depth` aggregates deep, respects `limits`.
private func requireWithinLimits(_ value: RESPValue, limits: RESPLimits, depth: Int) {
    func children(_ elements: [RESPValue], count: Int) {
        fuzzRequire(depth < limits.maxDepth, "aggregate at depth \(depth + 1)")
        fuzzRequire(count <= limits.maxAggregateCount, "aggregate of \(count)")
        for element in elements { requireWithinLimits(element, limits: limits, depth: depth + 1) }
    }
    switch value {
    case .bulkString(let payload), .bulkError(let payload):
        fuzzRequire(payload.count <= limits.maxBulkLength, "bulk of \(payload.count) bytes")
    case .verbatimString(let format, let text):
        fuzzRequire(format.utf8.count == 3 && text.count + 4 <= limits.maxBulkLength, "verbatim \(format) \(text.count)")
    case .array(let elements), .set(let elements), .push(let elements):
        children(elements, count: elements.count)
    case .map(let pairs):
        children(pairs.flatMap { [$0.key, $0.value] }, count: pairs.count)
    case .attributed(let attributes, let attributed):
        children(attributes.flatMap { [$0.key, $0.value] } + [attributed], count: attributes.count)
    case .simpleString, .error, .integer, .nullBulkString, .nullArray, .null, .boolean, .double, .bigNumber:
        break
    }
}

/// What the parser reported.
private enum RESPRecord: Equatable {
    case value(RESPValue)
    case error(RESPParseError)
}

/// One parser fed a sequence of pieces, checking the per-call properties as it goes.
private final class RESPParseRun {
    let limits: RESPLimits
    var parser: RESPParser
    var records: [RESPRecord] = []
    private var failed = false

    init(limits: RESPLimits) {
        self.limits = limits
        parser = RESPParser(limits: limits)
    }

    func feed(_ pieces: [[UInt8]]) {
        for piece in pieces where !failed {
            piece.withUnsafeBytes { buffer in
                var rest = buffer
                // Every value consumes at least three bytes; the last call needs more or fails.
                for _ in 0...(buffer.count + 1) {
                    let event = parser.next(&rest)
                    let held = parser.bufferedByteCount
                    fuzzRequire(held <= max(limits.maxLineLength + 2, limits.maxBulkLength), "parser holds \(held) bytes")
                    fuzzRequire(parser.depth <= limits.maxDepth, "\(parser.depth) open aggregates")
                    switch event {
                    case .needMoreData:
                        fuzzRequire(rest.isEmpty, "needMoreData with \(rest.count) bytes unconsumed")
                        return
                    case .value(let value):
                        records.append(.value(value))
                    case .error(let error):
                        records.append(.error(error))
                        failed = true
                        return
                    }
                }
                fuzzFail("parser made no progress on \(buffer.count) bytes")
            }
        }
    }
}
