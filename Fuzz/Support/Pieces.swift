/// Cuts a byte stream the way receive buffers might: every byte alone, a few bytes at a time, or
/// in large irregular pieces. Each piece is its own allocation, so AddressSanitizer catches a
/// parser that reads past the end of the piece it was given.
enum Pieces {
    static func split(_ bytes: [UInt8], using random: inout SplitMix64) -> [[UInt8]] {
        guard !bytes.isEmpty else { return [] }
        let maxPiece: Int
        switch random.next() % 4 {
        case 0: maxPiece = 1
        case 1: maxPiece = 4
        case 2: maxPiece = 32
        default: maxPiece = max(bytes.count / 2, 1)
        }
        var pieces: [[UInt8]] = []
        var start = 0
        while start < bytes.count {
            let length = min(Int.random(in: 1...maxPiece, using: &random), bytes.count - start)
            pieces.append(Array(bytes[start..<(start + length)]))
            start += length
        }
        return pieces
    }
}
