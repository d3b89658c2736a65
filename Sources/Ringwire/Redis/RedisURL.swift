@_spi(RingwireInternal) import RingwireCodecs

/// Where a Redis server is and how to log in: `redis://[user:password@]host[:port][/db]`.
///
/// The port defaults to 6379 and the database to 0; user and password are percent-decoded (an
/// escape that is not `%XX` is kept as written). `:password@` alone means Redis's `default` user,
/// as `requirepass` sets it up.
package struct RedisURL: Sendable, Equatable, CustomStringConvertible {
    /// The host as written (a name, an IPv4 address, or an IPv6 address without brackets).
    package let host: String
    package let port: UInt16
    /// Credentials for `HELLO 3 AUTH`; nil when the URL has none.
    package let credentials: (user: String, password: String)?
    package let database: Int

    /// Redis's default number of databases is 16 (`databases` in redis.conf).
    package static let defaultMaximumDatabase = 15

    /// Parses `text`, accepting databases 0 through `maximumDatabase`.
    package init(_ text: String, maximumDatabase: Int = Self.defaultMaximumDatabase) throws(RedisURLError) {
        let scheme = "redis://"
        guard text.lowercased().hasPrefix(scheme) else { throw .scheme }
        let rest = text.dropFirst(scheme.count)
        if rest.contains("?") || rest.contains("#") { throw .unsupported(String(rest)) }
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        var hostPort = authority
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            guard let colon = userInfo.firstIndex(of: ":") else { throw .userInfo }
            let user = PercentDecoding.decode(userInfo[..<colon].utf8, plusAsSpace: false)
            let password = PercentDecoding.decode(userInfo[userInfo.index(after: colon)...].utf8, plusAsSpace: false)
            credentials = (user.isEmpty ? "default" : user, password)
            hostPort = authority[authority.index(after: at)...]
        } else {
            credentials = nil
        }
        let portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw .host }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else { throw .host }
            portText = after.isEmpty ? nil : after.dropFirst()
        } else if let colon = hostPort.firstIndex(of: ":") {
            host = String(hostPort[..<colon])
            portText = hostPort[hostPort.index(after: colon)...]
        } else {
            host = String(hostPort)
            portText = nil
        }
        guard !host.isEmpty else { throw .host }
        if let portText {
            guard portText.allSatisfy(\.isASCIIDigit), let number = UInt16(portText), number > 0 else { throw .port(String(portText)) }
            port = number
        } else {
            port = 6379
        }
        let databaseText = path.dropFirst()
        if databaseText.isEmpty {
            database = 0
        } else {
            guard databaseText.allSatisfy(\.isASCIIDigit), let number = Int(databaseText), number <= maximumDatabase else {
                throw .database(String(databaseText), maximum: maximumDatabase)
            }
            database = number
        }
    }

    /// The URL with the password left out, for logs.
    package var description: String {
        let user = credentials.map { "\($0.user):***@" } ?? ""
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "redis://\(user)\(shownHost):\(port)/\(database)"
    }

    package static func == (lhs: RedisURL, rhs: RedisURL) -> Bool {
        lhs.host == rhs.host && lhs.port == rhs.port && lhs.database == rhs.database
            && lhs.credentials?.user == rhs.credentials?.user && lhs.credentials?.password == rhs.credentials?.password
    }
}

extension Character {
    /// `0` through `9` only (`isNumber` also takes other scripts' digits and fractions).
    fileprivate var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
