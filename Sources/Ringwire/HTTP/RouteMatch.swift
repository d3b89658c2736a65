/// The outcome of looking a request up in a `RouteTable`.
public enum RouteMatch<Value> {
    /// A route matched; `parameters` holds the percent-decoded `:name` and `*` captures.
    case found(Value, parameters: [String: String])
    /// The path matched routes, none for this method; `allowed` is what the 405 response's
    /// `Allow` header lists (in `HTTPMethod` declaration order, HEAD included when GET is).
    case methodNotAllowed(allowed: [HTTPMethod])
    /// No route matches the path: 404.
    case notFound
}

extension RouteMatch: Sendable where Value: Sendable {}

extension RouteMatch: Equatable where Value: Equatable {}
