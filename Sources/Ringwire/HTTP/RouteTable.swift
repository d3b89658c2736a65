/// Maps (method, path) to a value: an `HTTPHandler` for HTTP routes, or whatever the WebSocket
/// layer registers for its endpoints.
///
/// Routes form a tree of segments stored in one array (indices instead of references keep the
/// table a `Sendable` value that workers can share read-only). Lookup walks the path once,
/// trying at each level literal segments, then parameters, then a wildcard, and backtracks when
/// a branch dead-ends, so static segments win over parameters wherever both match.
public struct RouteTable<Value: Sendable>: Sendable {
    private struct Node: Sendable {
        var literals: [(segment: String, node: Int)] = []
        var parameters: [(name: String, node: Int)] = []
        var wildcard: Int?
        /// Routes ending here; a nil method accepts any method.
        var routes: [(method: HTTPMethod?, value: Value)] = []
    }

    private var nodes = [Node()]
    /// Patterns that could not be registered: a server refuses to start with any
    /// (`ServerError.invalidConfiguration`), so a typo is reported, never served half-way.
    public private(set) var invalidPatterns: [RoutePatternError] = []

    /// Creates an empty table.
    public init() {}

    /// Registers `value` for `method` (nil: any method) on `pattern` (see `PathPattern`),
    /// replacing an earlier registration of the same method and pattern. A malformed pattern is
    /// kept in `invalidPatterns` instead.
    public mutating func add(_ method: HTTPMethod?, _ pattern: String, _ value: Value) {
        let parsed: PathPattern
        do {
            parsed = try PathPattern(pattern)
        } catch {
            invalidPatterns.append(error)
            return
        }
        var current = 0
        for segment in parsed.segments {
            switch segment {
            case .literal(let text):
                if let existing = nodes[current].literals.first(where: { $0.segment == text }) {
                    current = existing.node
                } else {
                    current = appendChild(of: current) { $0.literals.append((text, $1)) }
                }
            case .parameter(let name):
                if let existing = nodes[current].parameters.first(where: { $0.name == name }) {
                    current = existing.node
                } else {
                    current = appendChild(of: current) { $0.parameters.append((name, $1)) }
                }
            case .wildcard:
                if let existing = nodes[current].wildcard {
                    current = existing
                } else {
                    current = appendChild(of: current) { $0.wildcard = $1 }
                }
            }
        }
        if let index = nodes[current].routes.firstIndex(where: { $0.method == method }) {
            nodes[current].routes[index].value = value
        } else {
            nodes[current].routes.append((method, value))
        }
    }

    /// Calls `body` with the pattern (as written, e.g. `/rooms/:id`) and value of every route.
    func forEachRoute(_ body: (_ pattern: String, _ value: Value) -> Void) {
        func visit(_ index: Int, _ path: String) {
            for route in nodes[index].routes { body(path, route.value) }
            for literal in nodes[index].literals { visit(literal.node, path + "/" + literal.segment) }
            for parameter in nodes[index].parameters { visit(parameter.node, path + "/:" + parameter.name) }
            if let wildcard = nodes[index].wildcard { visit(wildcard, path + "/*") }
        }
        visit(0, "")
    }

    /// Appends a new node, lets `link` record it in `parent`, and returns its index.
    private mutating func appendChild(of parent: Int, link: (inout Node, Int) -> Void) -> Int {
        nodes.append(Node())
        link(&nodes[parent], nodes.count - 1)
        return nodes.count - 1
    }

    /// Finds the route for `method` on `path` (a request's path, without query).
    ///
    /// At a node whose routes match the path: the exact method wins, then GET for a HEAD
    /// request, then an any-method route. Only when no matching node accepts the method is the
    /// result 405, listing every method the matching nodes accept.
    public func match(method: HTTPMethod, path: String) -> RouteMatch<Value> {
        var search = Search(nodes: nodes, method: method, path: path)
        guard let value = search.run(node: 0, from: search.firstSegment) else {
            guard search.pathMatched else { return .notFound }
            let allowed = HTTPMethod.allCases.filter {
                search.allowed.contains($0) || ($0 == .head && search.allowed.contains(.get))
            }
            return .methodNotAllowed(allowed: allowed)
        }
        var parameters: [String: String] = [:]
        for (name, bytes) in search.captures {
            parameters[name] = PercentDecoding.decode(bytes, plusAsSpace: false)
        }
        return .found(value, parameters: parameters)
    }

    /// The state of one backtracking lookup.
    private struct Search {
        let nodes: [Node]
        let method: HTTPMethod
        let path: Substring.UTF8View
        /// Where the first segment starts (after the leading `/`).
        let firstSegment: String.Index
        var captures: [(name: String, bytes: Substring.UTF8View)] = []
        var pathMatched = false
        var allowed: Set<HTTPMethod> = []

        init(nodes: [Node], method: HTTPMethod, path: String) {
            self.nodes = nodes
            self.method = method
            let bytes = path[...].utf8
            self.path = bytes
            firstSegment = bytes.first == UInt8(ascii: "/") ? bytes.index(after: bytes.startIndex) : bytes.startIndex
        }

        /// Matches the segment starting at `start` and the rest after it; nil `start`: no segments
        /// left. Segments are sliced as the walk reaches them (no array of them per request).
        mutating func run(node: Int, from start: String.Index?) -> Value? {
            guard let start else { return accept(node) }
            let end = path[start...].firstIndex(of: UInt8(ascii: "/")) ?? path.endIndex
            let segment = path[start..<end]
            let next = end == path.endIndex ? nil : path.index(after: end)
            for literal in nodes[node].literals where segment.elementsEqual(literal.segment.utf8) {
                if let value = run(node: literal.node, from: next) { return value }
            }
            if !segment.isEmpty {
                for parameter in nodes[node].parameters {
                    captures.append((parameter.name, segment))
                    if let value = run(node: parameter.node, from: next) { return value }
                    captures.removeLast()
                }
            }
            if let wildcard = nodes[node].wildcard {
                captures.append(("*", path[segment.startIndex...]))
                if let value = accept(wildcard) { return value }
                captures.removeLast()
            }
            return nil
        }

        /// The value at `node` for the method, recording its methods when it has none for it.
        private mutating func accept(_ node: Int) -> Value? {
            let routes = nodes[node].routes
            guard !routes.isEmpty else { return nil }
            if let route = routes.first(where: { $0.method == method })
                ?? (method == .head ? routes.first(where: { $0.method == .get }) : nil)
                ?? routes.first(where: { $0.method == nil })
            {
                return route.value
            }
            pathMatched = true
            for route in routes {
                if let method = route.method { allowed.insert(method) }
            }
            return nil
        }
    }
}
