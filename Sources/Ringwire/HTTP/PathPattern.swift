/// A route path such as `/`, `/health`, `/rooms/:id` or `/static/*`, split into segments.
///
/// `:name` matches one non-empty path segment and captures it as parameter `name`; a final `*`
/// matches the rest of the path (possibly empty, but after a `/`) as parameter `"*"`. Patterns
/// are written by the programmer, so a malformed one stops the program at startup.
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
    public init(_ pattern: String) {
        precondition(pattern.first == "/", "route pattern \(pattern) must start with /")
        let parts = pattern.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        segments = parts.enumerated().map { index, part in
            if part == "*" {
                precondition(index == parts.count - 1, "* must be the last segment of \(pattern)")
                return .wildcard
            }
            if part.first == ":" {
                precondition(part.count > 1, "empty parameter name in \(pattern)")
                return .parameter(String(part.dropFirst()))
            }
            return .literal(String(part))
        }
    }
}
