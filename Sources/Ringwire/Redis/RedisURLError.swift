/// Why a Redis URL was refused; each message names the part of the URL at fault (never the password).
package enum RedisURLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The URL does not start with `redis://`.
    case scheme
    /// The user information before `@` is not `user:password` or `:password`.
    case userInfo
    /// The host is empty, or an IPv6 literal lacks its closing `]`.
    case host
    /// The port is not a decimal number from 1 to 65535.
    case port(String)
    /// The database is not a decimal number from 0 to the maximum allowed.
    case database(String, maximum: Int)
    /// A query or fragment, which this client does not read.
    case unsupported(String)

    package var description: String {
        switch self {
        case .scheme: "Redis URL scheme: expected redis://"
        case .userInfo: "Redis URL user information: expected user:password@ or :password@"
        case .host: "Redis URL host: missing or malformed"
        case .port(let text): "Redis URL port '\(text)': expected a number from 1 to 65535"
        case .database(let text, let maximum): "Redis URL database '\(text)': expected a number from 0 to \(maximum)"
        case .unsupported(let text): "Redis URL '\(text)': queries and fragments are not supported"
        }
    }
}
