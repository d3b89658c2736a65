extension RESPValue: Equatable {
    /// Structural equality, written out because maps hold tuples. A `nan` double equals another
    /// `nan`, so that a value always equals itself after an encode and parse round trip.
    package static func == (lhs: RESPValue, rhs: RESPValue) -> Bool {
        switch (lhs, rhs) {
        case (.simpleString(let a), .simpleString(let b)): a == b
        case (.error(let a), .error(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.bulkString(let a), .bulkString(let b)): a == b
        case (.nullBulkString, .nullBulkString), (.nullArray, .nullArray), (.null, .null): true
        case (.array(let a), .array(let b)): a == b
        case (.boolean(let a), .boolean(let b)): a == b
        case (.double(let a), .double(let b)): a == b || (a.isNaN && b.isNaN)
        case (.bigNumber(let a), .bigNumber(let b)): a == b
        case (.bulkError(let a), .bulkError(let b)): a == b
        case (.verbatimString(let formatA, let textA), .verbatimString(let formatB, let textB)):
            formatA == formatB && textA == textB
        case (.map(let a), .map(let b)): pairsEqual(a, b)
        case (.set(let a), .set(let b)): a == b
        case (.push(let a), .push(let b)): a == b
        case (.attributed(let attributesA, let valueA), .attributed(let attributesB, let valueB)):
            pairsEqual(attributesA, attributesB) && valueA == valueB
        default: false
        }
    }

    private static func pairsEqual(
        _ a: [(key: RESPValue, value: RESPValue)], _ b: [(key: RESPValue, value: RESPValue)]
    ) -> Bool {
        a.elementsEqual(b) { $0.key == $1.key && $0.value == $1.value }
    }
}
