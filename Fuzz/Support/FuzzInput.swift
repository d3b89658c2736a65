/// The bytes libFuzzer hands a target, split into an options byte (first) and the data the target
/// parses (the rest), plus a generator seeded from all of them: a saved input replays exactly the
/// same run, splits included.
struct FuzzInput {
    /// Chooses limits and modes; 0 when the input is empty.
    let options: UInt8
    /// What the target feeds its parser.
    let data: [UInt8]
    /// Seeded from a hash of the whole input.
    var random: SplitMix64

    init(_ pointer: UnsafePointer<UInt8>?, count: Int) {
        let bytes = pointer.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
        options = bytes.first ?? 0
        data = Array(bytes.dropFirst())
        random = SplitMix64(seed: Self.fnv1a(bytes))
    }

    /// Whether bit `index` (0...7) of the options byte is set.
    func option(_ index: Int) -> Bool {
        options & (1 << UInt8(index)) != 0
    }

    private static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }
}
