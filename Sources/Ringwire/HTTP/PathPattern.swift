/// A route path such as `/`, `/health`, `/rooms/:id` or `/static/*`, split into segments.
///
/// `:name` matches one non-empty path segment and captures it as parameter `name`; a final `*`
/// matches the rest of the path (possibly empty, but after a `/`) as parameter `"*"`. A malformed
/// pattern throws; a route table keeps it aside so the server refuses to start with it
/// (`ServerError.invalidConfiguration`), naming the pattern.
public struct PathPattern: Sendable, Hashable {
    /// One `/`-separated piece of a pattern.
    public enum Segment: Sendable, Hashable {
        /// Must equal the path segment byte for byte (before percent-decoding).
        case literal(String)
        /// Matches any non-empty segment, captured under this name.
        case parameter(String)
        /// Matches the rest of the path; only allowed last.
        case wildcard
    }

    /// The segments after the leading `/`; `/` itself is one empty literal segment.
    public let segments: [Segment]

    /// Parses `pattern`, which must start with `/`.
    public init(_ pattern: String) throws(RoutePatternError) {
        guard pattern.first == "/" else { throw RoutePatternError(pattern: pattern, problem: "it must start with /") }
        let parts = pattern.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        var segments: [Segment] = []
        for (index, part) in parts.enumerated() {
            if part == "*" {
                guard index == parts.count - 1 else { throw RoutePatternError(pattern: pattern, problem: "* must be its last segment") }
                segments.append(.wildcard)
            } else if part.first == ":" {
                guard part.count > 1 else { throw RoutePatternError(pattern: pattern, problem: "a parameter has no name") }
                segments.append(.parameter(String(part.dropFirst())))
            } else {
                segments.append(.literal(String(part)))
            }
        }
        self.segments = segments
    }
}

/// A route pattern `PathPattern` cannot parse, and why.
public struct RoutePatternError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String
    /// What is wrong with it.
    public let problem: String

    public var description: String { "route pattern '\(pattern)': \(problem)" }
}
