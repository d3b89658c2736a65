import RingwireTestSupport
import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

final class PerMessageCompressorTests: XCTestCase {
    private func compress(_ message: [UInt8], with compressor: PerMessageCompressor) -> [UInt8] {
        var output: [UInt8] = []
        message.withUnsafeBytes { compressor.compress($0, to: &output) }
        return output
    }

    private func text(_ count: Int, seed: Int = 0) -> [UInt8] {
        let words = ["alpha", "beta", "gamma", "\"id\":", "{\"name\":", "1234", ", ", "zeta"].map { Array($0.utf8) }
        var generator = SplitMix(seed: UInt64(seed))
        var result: [UInt8] = []
        while result.count < count { result += words[Int(generator.next() % UInt64(words.count))] }
        return Array(result.prefix(count))
    }

    private func noise(_ count: Int, seed: Int = 1) -> [UInt8] {
        var generator = SplitMix(seed: UInt64(seed))
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    }

    func testOutputInflatesWithIndependentZlibAcrossSizes() {
        // Noise makes output about as long as input, so these sizes land around the 8 KiB chunk
        // edges where the held-back marker straddles two chunks.
        let sizes = [1, 2, 3, 4, 5, 63, 64, 1000, 8180, 8186, 8187, 8188, 8189, 8190, 8191, 8192, 8193, 8200, 16_370, 16_384, 100_000]
        for size in sizes {
            for message in [text(size, seed: size), noise(size, seed: size)] {
                let compressor = PerMessageCompressor(parameters: .init(), configuration: .init())
                let payload = compress(message, with: compressor)
                XCTAssertNotEqual(payload.suffix(4), [0, 0, 0xff, 0xff], "marker must be stripped, size \(size)")
                XCTAssertEqual(IndependentZlib(.inflate).decompressMessage(payload), message, "size \(size)")
            }
        }
    }

    func testContextIsCarriedAcrossMessages() {
        // Level 6 searches for long matches, so the repeat shrinks to a handful of references.
        var configuration = PerMessageDeflateConfiguration()
        configuration.compressionLevel = 6
        let compressor = PerMessageCompressor(parameters: .init(), configuration: configuration)
        let client = IndependentZlib(.inflate)
        let message = text(3000)
        let first = compress(message, with: compressor)
        let second = compress(message, with: compressor)
        XCTAssertLessThan(second.count, first.count / 10, "a repeat is a back-reference into the window")
        XCTAssertEqual(client.decompressMessage(first), message)
        XCTAssertEqual(client.decompressMessage(second), message)
        // A fresh inflater cannot read the second message on its own.
        XCTAssertNotEqual(IndependentZlib(.inflate).decompressMessage(second), message)
    }

    func testNoContextTakeoverResetsAfterEachMessage() {
        for (parameters, configuration) in [
            (PerMessageDeflateParameters(serverNoContextTakeover: true), PerMessageDeflateConfiguration()),
            (
                PerMessageDeflateParameters(),
                {
                    var c = PerMessageDeflateConfiguration()
                    c.sharedCompressor = true
                    return c
                }()
            ),
        ] {
            let compressor = PerMessageCompressor(parameters: parameters, configuration: configuration)
            let message = text(3000)
            let first = compress(message, with: compressor)
            let second = compress(message, with: compressor)
            XCTAssertEqual(first, second)
            XCTAssertEqual(IndependentZlib(.inflate).decompressMessage(second), message)
        }
    }

    func testSharedCompressorServesIndependentConnections() {
        var configuration = PerMessageDeflateConfiguration()
        configuration.sharedCompressor = true
        configuration.serverMaxWindowBits = 10
        let compressor = PerMessageCompressor(sharedFor: configuration)
        for seed in 0..<5 {
            let message = text(2000, seed: seed)
            XCTAssertEqual(IndependentZlib(.inflate, windowBits: 10).decompressMessage(compress(message, with: compressor)), message)
        }
    }

    func testEmptyMessageIsOneZeroByteEvenAfterOtherMessages() {
        let compressor = PerMessageCompressor(parameters: .init(), configuration: .init())
        let client = IndependentZlib(.inflate)
        XCTAssertEqual(compress([], with: compressor), [0x00])
        XCTAssertEqual(client.decompressMessage([0x00]), [])
        let message = text(500)
        XCTAssertEqual(client.decompressMessage(compress(message, with: compressor)), message)
        XCTAssertEqual(compress([], with: compressor), [0x00])
        XCTAssertEqual(client.decompressMessage([0x00]), [])
        XCTAssertEqual(client.decompressMessage(compress(message, with: compressor)), message)
    }

    func testSmallWindowsStayWithinTheClientsWindow() {
        // An 8-bit request runs zlib at 9 bits; the output must still inflate with 256 bytes.
        for bits in 8...15 {
            let compressor = PerMessageCompressor(parameters: .init(serverMaxWindowBits: bits), configuration: .init())
            let client = IndependentZlib(.inflate, windowBits: Int32(bits))
            for seed in 0..<3 {
                let message = text(20_000, seed: seed) + noise(300, seed: seed) + text(20_000, seed: seed)
                XCTAssertEqual(client.decompressMessage(compress(message, with: compressor)), message, "window \(bits)")
            }
        }
    }

    func testEveryLevelAndMemLevelProducesValidOutput() {
        let message = text(10_000) + noise(2_000)
        for level in [-3, 0, 1, 6, 9, 12] {
            for memLevel in [0, 1, 5, 9, 10] {
                var configuration = PerMessageDeflateConfiguration()
                configuration.compressionLevel = level
                configuration.memLevel = memLevel
                let compressor = PerMessageCompressor(parameters: .init(), configuration: configuration)
                XCTAssertEqual(IndependentZlib(.inflate).decompressMessage(compress(message, with: compressor)), message)
            }
        }
    }
}
