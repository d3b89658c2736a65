/// A complete request as handed to an `HTTPHandler`: the head, the whole body and the path
/// parameters captured by the route.
public struct HTTPRequest: Sendable {
    /// The parsed request line and headers.
    public var head: HTTPRequestHead
    /// The body, already de-chunked.
    public var body: [UInt8]
    /// Percent-decoded captures of the matched route (`:name` segments and `*`).
    public var pathParameters: [String: String]

    /// Creates a request.
    public init(head: HTTPRequestHead, body: [UInt8] = [], pathParameters: [String: String] = [:]) {
        self.head = head
        self.body = body
        self.pathParameters = pathParameters
    }

    /// The request method.
    public var method: HTTPMethod { head.method }
    /// The path without query, not percent-decoded.
    public var path: String { head.path }
    /// The raw query without `?`, or nil.
    public var query: String? { head.query }
    /// The request headers.
    public var headers: HTTPHeaders { head.headers }

    /// The path parameter `name` captured by the route, percent-decoded.
    public func parameter(_ name: String) -> String? {
        pathParameters[name]
    }

    /// The query's `name=value` pairs in order, percent-decoded with `+` as space; an item
    /// without `=` has an empty value, empty items are skipped.
    public var queryItems: [(String, String)] {
        guard let query else { return [] }
        return query.utf8.split(separator: UInt8(ascii: "&")).map { item in
            guard let equals = item.firstIndex(of: UInt8(ascii: "=")) else {
                return (PercentDecoding.decode(item, plusAsSpace: true), "")
            }
            return (
                PercentDecoding.decode(item[..<equals], plusAsSpace: true),
                PercentDecoding.decode(item[item.index(after: equals)...], plusAsSpace: true)
            )
        }
    }

    /// The body as a String, or nil when it is not valid UTF-8.
    public var bodyText: String? {
        String(validating: body, as: UTF8.self)
    }
}

/// Produces the response to one request. Runs on the worker that owns the connection, so it
/// must not block; it is `@Sendable` because the route table is shared by all workers.
public typealias HTTPHandler = @Sendable (HTTPRequest) -> HTTPResponse
