/// One reply (or pushed message) from a Redis server, in any type of RESP2 or RESP3
/// (https://redis.io/docs/latest/develop/reference/protocol-spec/).
///
/// Bulk payloads stay bytes (`[UInt8]`): keys and values are binary-safe, and a client decides
/// when they are text. Line types (simple strings, errors, big numbers) cannot hold CR or LF and
/// are decoded as UTF-8, invalid sequences replaced, since they are status words and messages.
/// The three nulls are kept apart so that a value encodes back to the bytes it came from.
package enum RESPValue: Sendable {
    /// `+OK\r\n`: a short status line.
    case simpleString(String)
    /// `-ERR unknown command\r\n`: a command failed; the first word is the error kind.
    case error(String)
    /// `:42\r\n`: a signed 64-bit integer.
    case integer(Int64)
    /// `$5\r\nhello\r\n`: binary-safe bytes.
    case bulkString([UInt8])
    /// `$-1\r\n`: RESP2's missing value (a key that does not exist).
    case nullBulkString
    /// `*2\r\n...`: an ordered list of values.
    case array([RESPValue])
    /// `*-1\r\n`: RESP2's missing list (a timed-out blocking pop).
    case nullArray
    /// `_\r\n`: RESP3's one null.
    case null
    /// `#t\r\n` or `#f\r\n`.
    case boolean(Bool)
    /// `,3.14\r\n`, also `inf`, `-inf` and `nan`.
    case double(Double)
    /// `(3492890328409238509324850943850943825024385\r\n`: an integer beyond 64 bits, as its
    /// decimal digits with an optional leading minus.
    case bigNumber(String)
    /// `!21\r\nSYNTAX invalid syntax\r\n`: an error whose message is binary-safe.
    case bulkError([UInt8])
    /// `=15\r\ntxt:Some string\r\n`: text with a three-character format (`txt`, `mkd`).
    case verbatimString(format: String, text: [UInt8])
    /// `%2\r\n...`: key-value pairs in the order the server sent them (keys may repeat).
    case map([(key: RESPValue, value: RESPValue)])
    /// `~3\r\n...`: an unordered collection, in the order the server sent it.
    case set([RESPValue])
    /// `>3\r\n...`: an out-of-band message (pub/sub, invalidation), not the reply to a command.
    case push([RESPValue])
    /// `|1\r\n...` followed by a value: metadata the server attached to `value` (key popularity,
    /// client-side caching hints). The attribute is not an element of its own, so an array with an
    /// attributed element has the same count as without; `withoutAttributes` drops them all.
    indirect case attributed(attributes: [(key: RESPValue, value: RESPValue)], value: RESPValue)
}

extension RESPValue {
    /// Whether this is any of the nulls (RESP2 null bulk string or array, RESP3 null).
    package var isNull: Bool {
        switch self {
        case .null, .nullBulkString, .nullArray: true
        case .attributed(_, let value): value.isNull
        default: false
        }
    }

    /// The value with every attribute removed, at any depth: what a client that does not use
    /// attributes reads.
    package var withoutAttributes: RESPValue {
        switch self {
        case .attributed(_, let value):
            value.withoutAttributes
        case .array(let elements):
            .array(elements.map(\.withoutAttributes))
        case .set(let elements):
            .set(elements.map(\.withoutAttributes))
        case .push(let elements):
            .push(elements.map(\.withoutAttributes))
        case .map(let pairs):
            .map(pairs.map { (key: $0.key.withoutAttributes, value: $0.value.withoutAttributes) })
        default:
            self
        }
    }
}
