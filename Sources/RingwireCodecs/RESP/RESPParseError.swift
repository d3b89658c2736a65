/// Why the bytes from a Redis server are not RESP the parser accepts. Each one is a connection
/// error: the stream cannot be resynchronised, so the connection layer closes the connection and
/// fails the commands waiting on it (the parser repeats the error on every later call).
package enum RESPParseError: Error, Equatable, Sendable {
    /// A value starts with a byte that is no RESP2 or RESP3 type.
    case invalidTypeByte(UInt8)
    /// A line does not end in CRLF (a bare CR or LF inside it, or a bare LF at its end), or a
    /// bulk payload is not followed by CRLF.
    case missingCRLF
    /// A length is not `-1` (where a null is allowed) or a decimal number without sign.
    case invalidLength
    /// An integer is not an optionally signed decimal number.
    case invalidInteger
    /// An integer does not fit in 64 bits.
    case integerOverflow
    /// A double is neither a decimal number (with optional fraction and exponent) nor
    /// `inf`, `-inf` or `nan`.
    case invalidDouble
    /// A boolean other than `t` or `f`.
    case invalidBoolean
    /// A big number that is not an optionally signed run of decimal digits.
    case invalidBigNumber
    /// A null (`_`) with bytes before its CRLF.
    case invalidNull
    /// A verbatim string shorter than its `xxx:` prefix, or whose format is not three visible
    /// ASCII characters followed by a colon.
    case invalidVerbatimString
    /// A line longer than `RESPLimits.maxLineLength`.
    case lineTooLong
    /// A bulk payload longer than `RESPLimits.maxBulkLength`.
    case bulkTooLong
    /// An aggregate with more elements than `RESPLimits.maxAggregateCount`.
    case aggregateTooLarge
    /// Aggregates or attributes nested deeper than `RESPLimits.maxDepth`.
    case nestingTooDeep
    /// A top-level value spanning more than `RESPLimits.maxValueBytes` bytes.
    case valueTooLarge
}
