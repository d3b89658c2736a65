/// An aggregate whose elements are still arriving: one entry of the parser's stack, so that
/// nested aggregates are built as their elements complete, each element handled once, however
/// the bytes are split.
struct RESPPartialAggregate {
    /// What the elements become once all have arrived.
    enum Kind {
        case array, set, push, map
        /// An attribute's pairs: once complete, they wait for the value they describe.
        case attribute
        /// Complete attribute pairs waiting for their one value.
        case attributed([(key: RESPValue, value: RESPValue)])
    }

    /// What a complete aggregate yields.
    enum Completion {
        case value(RESPValue)
        /// Attribute pairs, which attach to the value that follows rather than being one.
        case attribute([(key: RESPValue, value: RESPValue)])
    }

    let kind: Kind
    /// Elements (keys and values counted apart in maps and attributes) still to come.
    private(set) var remaining: Int
    private var elements: [RESPValue] = []

    /// Starts an aggregate of `count` elements. Storage grows as elements arrive instead of
    /// being reserved from the count, so a header alone cannot make the parser allocate.
    init(kind: Kind, count: Int) {
        self.kind = kind
        remaining = count
        elements.reserveCapacity(min(count, 16))
    }

    /// Adds the next element.
    mutating func append(_ element: RESPValue) {
        elements.append(element)
        remaining -= 1
    }

    /// The aggregate made of its elements; only once `remaining` is 0.
    consuming func finish() -> Completion {
        switch kind {
        case .array: .value(.array(elements))
        case .set: .value(.set(elements))
        case .push: .value(.push(elements))
        case .map: .value(.map(pairs()))
        case .attribute: .attribute(pairs())
        case .attributed(let attributes): .value(.attributed(attributes: attributes, value: elements[0]))
        }
    }

    private func pairs() -> [(key: RESPValue, value: RESPValue)] {
        stride(from: 0, to: elements.count, by: 2).map { (key: elements[$0], value: elements[$0 + 1]) }
    }
}
