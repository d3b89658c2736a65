/// The header fields of a request or response: ordered (name, value) pairs with names kept as
/// sent. Lookups compare names ASCII case-insensitively, as RFC 9110 §5.1 requires.
///
/// Stored as a plain array because heads hold a handful of fields: a linear scan beats hashing,
/// and order (which matters for repeated fields) is kept for free.
public struct HTTPHeaders: Sendable, Sequence, Equatable {
    /// One field: its name as sent and its value trimmed of surrounding whitespace.
    public typealias Element = (name: String, value: String)

    private var fields: [Element]

    /// Creates an empty header set.
    public init() {
        fields = []
    }

    /// Creates headers from `(name, value)` pairs, keeping their order.
    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { (name: $0.0, value: $0.1) }
    }

    /// Reserves room for `capacity` fields; the parser knows the count before building them.
    package init(reservingCapacity capacity: Int) {
        fields = []
        fields.reserveCapacity(capacity)
    }

    /// The number of fields, counting each repetition of a name.
    public var count: Int { fields.count }

    /// The first value of the field `name` (case-insensitive), or nil when absent.
    public subscript(name: String) -> String? {
        fields.first { HTTPByte.equalsIgnoringCase($0.name.utf8, name.utf8) }?.value
    }

    /// The value of `name` when there is exactly one such field; nil when there is none or several.
    /// (No array, unlike `values(for:)`: the handshake asks this of every upgrade.)
    func onlyValue(for name: String) -> String? {
        var found: String?
        for field in fields where HTTPByte.equalsIgnoringCase(field.name.utf8, name.utf8) {
            guard found == nil else { return nil }
            found = field.value
        }
        return found
    }

    /// Every value of the field `name`, in order.
    public func values(for name: String) -> [String] {
        fields.compactMap { HTTPByte.equalsIgnoringCase($0.name.utf8, name.utf8) ? $0.value : nil }
    }

    /// Whether `token` appears (case-insensitively) among the comma-separated elements of any
    /// `name` field, e.g. `containsToken("upgrade", in: "Connection")` for `Connection: keep-alive, Upgrade`.
    public func containsToken(_ token: String, in name: String) -> Bool {
        for field in fields where HTTPByte.equalsIgnoringCase(field.name.utf8, name.utf8) {
            var found = false
            HTTPByte.forEachListElement(in: field.value.utf8) { element in
                found = HTTPByte.equalsIgnoringCase(element, token.utf8)
                return !found
            }
            if found { return true }
        }
        return false
    }

    /// Appends a field, keeping any existing ones with the same name.
    public mutating func add(name: String, value: String) {
        fields.append((name: name, value: value))
    }

    /// Replaces the first `name` field's value and removes its repetitions, or appends it.
    public mutating func replaceOrAdd(name: String, value: String) {
        guard let index = fields.firstIndex(where: { HTTPByte.equalsIgnoringCase($0.name.utf8, name.utf8) }) else {
            add(name: name, value: value)
            return
        }
        fields[index].value = value
        let later = fields.index(after: index)
        fields[later...].removeAll { HTTPByte.equalsIgnoringCase($0.name.utf8, name.utf8) }
    }

    /// Removes every `name` field.
    public mutating func remove(name: String) {
        fields.removeAll { HTTPByte.equalsIgnoringCase($0.name.utf8, name.utf8) }
    }

    /// Iterates the fields in order.
    public func makeIterator() -> IndexingIterator<[Element]> {
        fields.makeIterator()
    }

    /// Headers are equal when they hold the same fields, names compared exactly, in the same order.
    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }
}
