/// What `RESPParser.next(_:)` found.
package enum RESPParserEvent: Equatable, Sendable {
    /// A complete top-level value (a reply, or a push); the input starts after it.
    case value(RESPValue)
    /// Every byte of the input was consumed without completing a value; call again with the next
    /// received bytes.
    case needMoreData
    /// The stream is not valid RESP; the connection must close.
    case error(RESPParseError)
}
