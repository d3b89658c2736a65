/// One argument of a Redis command: text, bytes or an integer, so that a command mixing them
/// (`PUBLISH` with a text channel and a binary message, `XRANGE` with counts) is written without
/// first converting everything to one type.
package enum RESPArgument: Sendable, Equatable {
    /// Sent as its UTF-8 bytes.
    case string(String)
    /// Sent as is.
    case bytes([UInt8])
    /// Sent as its decimal digits, which is how Redis reads numeric arguments.
    case integer(Int64)
}

extension RESPArgument: ExpressibleByStringLiteral {
    /// A text argument, typically the command name: `["GET", .bytes(key)]`.
    package init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension RESPArgument: ExpressibleByIntegerLiteral {
    /// A numeric argument: `["EXPIRE", .bytes(key), 15]`.
    package init(integerLiteral value: Int64) {
        self = .integer(value)
    }
}
