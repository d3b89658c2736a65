// The CPU one permessage-deflate message costs the worker that inflates it:
//
//     swift run -c release --package-path Benchmarks/inflate-cost inflate-cost [EMPTY_BLOCKS]
//
// Inflates, once each, on a fresh decompressor with the default parameters and 16 MiB limit:
// - hostile: 32 KiB of incompressible data (filling the 32 KiB window), then EMPTY_BLOCKS
//   (default 1,000,000) empty final fixed blocks `03 00`, each ending a DEFLATE stream;
// - reference: an ordinary message, 8 MiB of word-like text in one stream (about 2 MB compressed),
//   for the cost per byte of plain inflating.
// Prints the payload size, the outcome and the process CPU time of each.
import Glibc
@_spi(RingwireInternal) import RingwireCodecs

/// Deterministic incompressible bytes (SplitMix64).
func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return UInt8(truncatingIfNeeded: z ^ (z >> 31))
    }
}

/// Space-separated pseudo-random words from a small vocabulary: compresses about as well as chat JSON.
func text(_ count: Int, seed: UInt64) -> [UInt8] {
    let words = ["lorem", "ipsum", "\"key\":", "42", "dolor", "[", "]", "sit", "amet"].map { Array($0.utf8) + [0x20] }
    var result: [UInt8] = []
    result.reserveCapacity(count + 8)
    for choice in randomBytes(count, seed: seed) where result.count < count {
        result += words[Int(choice) % words.count]
    }
    return Array(result.prefix(count))
}

/// A client's compressed message (sync flush, `00 00 ff ff` removed, as RFC 7692 sends it).
func compressed(_ message: [UInt8]) -> [UInt8] {
    let compressor = PerMessageCompressor(parameters: .init(), configuration: .init())
    var payload: [UInt8] = []
    message.withUnsafeBytes { compressor.compress($0, to: &payload) }
    return payload
}

func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func measure(_ name: String, _ payload: [UInt8]) {
    let decompressor = PerMessageDecompressor(parameters: .init())
    var output: [UInt8] = []
    let start = processCPUSeconds()
    var outcome = ""
    payload.withUnsafeBytes { raw in
        do throws(PerMessageDeflateError) {
            try decompressor.decompress(raw, maxMessageSize: 16 << 20, into: &output)
            outcome = "inflated to \(output.count) bytes"
        } catch {
            outcome = "refused: \(error) (close \(error.closeCodeValue))"
        }
    }
    let seconds = processCPUSeconds() - start
    let milliseconds = (seconds * 10_000).rounded() / 10
    let nanosecondsPerByte = (seconds * 1e10 / Double(payload.count)).rounded() / 10
    print("\(name): payload \(payload.count) bytes, \(outcome), CPU \(milliseconds) ms (\(nanosecondsPerByte) ns per payload byte)")
}

let emptyBlocks = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000_000
// The flush marker goes back in so the first stream continues into the empty final blocks.
let hostile =
    compressed(randomBytes(32 * 1024, seed: 1)) + [0x00, 0x00, 0xff, 0xff]
    + Array(repeating: [UInt8]([0x03, 0x00]), count: emptyBlocks).joined()
measure("hostile (\(emptyBlocks) empty final blocks)", hostile)
measure("reference (one stream)", compressed(text(8 << 20, seed: 2)))
