import RingwireTestSupport
import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

final class PerMessageDecompressorTests: XCTestCase {
    private let hello = Array("Hello".utf8)

    private func decompress(
        _ payload: [UInt8],
        with decompressor: PerMessageDecompressor,
        limit: Int = 1 << 24,
        into buffer: inout [UInt8]
    ) throws(PerMessageDeflateError) {
        var outcome: Result<Void, PerMessageDeflateError> = .success(())
        payload.withUnsafeBytes { raw in
            outcome = Result { () throws(PerMessageDeflateError) in
                try decompressor.decompress(raw, maxMessageSize: limit, into: &buffer)
            }
        }
        try outcome.get()
    }

    private func decompress(_ payload: [UInt8], with decompressor: PerMessageDecompressor, limit: Int = 1 << 24) -> Result<
        [UInt8], PerMessageDeflateError
    > {
        var buffer: [UInt8] = []
        do throws(PerMessageDeflateError) {
            try decompress(payload, with: decompressor, limit: limit, into: &buffer)
            return .success(buffer)
        } catch {
            return .failure(error)
        }
    }

    private func text(_ count: Int, seed: UInt64 = 0) -> [UInt8] {
        var generator = SplitMix(seed: seed)
        let words = ["lorem", "ipsum", "\"key\":", "42", " ", "dolor", "[", "]"].map { Array($0.utf8) }
        var result: [UInt8] = []
        while result.count < count { result += words[Int(generator.next() % UInt64(words.count))] }
        return Array(result.prefix(count))
    }

    // MARK: RFC 7692 section 7.2.3 examples

    func testRFCSingleCompressedBlock() {
        XCTAssertEqual(decompress([0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00], with: .init(parameters: .init())), .success(hello))
    }

    func testRFCSharedSlidingWindow() {
        let decompressor = PerMessageDecompressor(parameters: .init())
        XCTAssertEqual(decompress([0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00], with: decompressor), .success(hello))
        XCTAssertEqual(decompress([0xf2, 0x00, 0x11, 0x00, 0x00], with: decompressor), .success(hello))
    }

    func testRFCStoredBlock() {
        let payload: [UInt8] = [0x00, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00]
        XCTAssertEqual(decompress(payload, with: .init(parameters: .init())), .success(hello))
    }

    func testRFCFinalBlockThenTheNextMessageStillDecodes() {
        let decompressor = PerMessageDecompressor(parameters: .init())
        XCTAssertEqual(decompress([0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00], with: decompressor), .success(hello))
        // Without the trailing empty-block byte too (some senders stop at the final block).
        XCTAssertEqual(decompress([0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00], with: decompressor), .success(hello))
        XCTAssertEqual(decompress([0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00], with: decompressor), .success(hello))
        // The window survived the final blocks: this message is a back-reference to "Hello".
        XCTAssertEqual(decompress([0xf2, 0x00, 0x11, 0x00, 0x00], with: decompressor), .success(hello))
    }

    func testRFCTwoBlocksInOneMessage() {
        let payload: [UInt8] = [0xf2, 0x48, 0x05, 0x00, 0x00, 0x00, 0xff, 0xff, 0xca, 0xc9, 0xc9, 0x07, 0x00]
        XCTAssertEqual(decompress(payload, with: .init(parameters: .init())), .success(hello))
    }

    func testDataAfterAFinalBlockInTheSameMessageKeepsTheWindow() {
        let message = text(600)
        let first = IndependentZlib(.deflate(level: 6)).compressFinalMessage(message)
        let second = IndependentZlib(.deflate(level: 6))
        second.setDictionary(message)
        let secondPart = second.compressMessage(message)
        XCTAssertLessThan(secondPart.count, 20, "the second part is a back-reference")
        let decompressor = PerMessageDecompressor(parameters: .init())
        XCTAssertEqual(decompress(first + secondPart, with: decompressor), .success(message + message))
    }

    // MARK: Streams inside one message

    /// An empty fixed block with BFINAL set: a whole DEFLATE stream in two bytes.
    private let emptyFinalBlock: [UInt8] = [0x03, 0x00]

    private func emptyStreams(_ count: Int) -> [UInt8] {
        Array(Array(repeating: emptyFinalBlock, count: count).joined())
    }

    /// 32 KiB of incompressible bytes in one stream ended by BFINAL: they fill the whole window.
    private func windowFillingStream() -> (message: [UInt8], payload: [UInt8]) {
        var generator = SplitMix(seed: 7)
        let message = (0..<32 * 1024).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        return (message, IndependentZlib(.deflate(level: 6)).compressFinalMessage(message))
    }

    func testAFullWindowFollowedByThousandsOfEmptyStreamsIsRefusedWith1009() {
        // The hostile shape of issue 9 (scaled down from 1,000,000 empty streams): real data, then
        // streams that produce nothing, each of which used to copy the 32 KiB window out and back.
        let (_, data) = windowFillingStream()
        let result = decompress(data + emptyStreams(20_000), with: .init(parameters: .init())).map(\.count)
        XCTAssertEqual(result, .failure(.tooManyStreams))
        guard case .failure(let error) = result else { return }
        XCTAssertEqual(error.closeCodeValue, 1009)
        XCTAssertEqual(error.closeReason, "too many deflate streams in one message")
    }

    func testStreamLimitIsExact() {
        let (message, data) = windowFillingStream()
        // The data is one stream, each empty block one more, and each adds two payload bytes.
        var allowed = 0
        while allowed < 10_000,
            2 + allowed <= PerMessageDecompressor.maximumStreams(inPayloadOf: data.count + 2 * (allowed + 1))
        {
            allowed += 1
        }
        XCTAssertGreaterThan(allowed, 100)
        // Compared as a Bool so a failure does not print 32 KiB.
        let atTheLimit = decompress(data + emptyStreams(allowed), with: .init(parameters: .init()))
        XCTAssertEqual(atTheLimit.map { $0 == message }, .success(true))
        let pastTheLimit = decompress(data + emptyStreams(allowed + 1), with: .init(parameters: .init()))
        XCTAssertEqual(pastTheLimit.map { $0 == message }, .failure(.tooManyStreams))
    }

    func testStreamLimitCountsEachMessageAlone() {
        let decompressor = PerMessageDecompressor(parameters: .init())
        let limit = PerMessageDecompressor.maximumStreams(inPayloadOf: 2 * 16)
        XCTAssertEqual(limit, 16)
        for _ in 0..<100 {
            XCTAssertEqual(decompress(emptyStreams(limit), with: decompressor), .success([]))
        }
        XCTAssertEqual(decompress(emptyStreams(limit + 1), with: decompressor), .failure(.tooManyStreams))
    }

    func testWindowSurvivesEmptyStreamsInsideAndBetweenMessages() {
        let message = text(600)
        let first = IndependentZlib(.deflate(level: 6)).compressFinalMessage(message)
        let client = IndependentZlib(.deflate(level: 6))
        client.setDictionary(message)
        let backReference = client.compressMessage(message)
        XCTAssertLessThan(backReference.count, 20, "a back-reference into the previous stream")
        let decompressor = PerMessageDecompressor(parameters: .init())
        XCTAssertEqual(decompress(first + emptyStreams(10) + backReference, with: decompressor), .success(message + message))
        for _ in 0..<100 {
            XCTAssertEqual(decompress(emptyFinalBlock, with: decompressor), .success([]))
        }
        XCTAssertEqual(decompress(backReference, with: decompressor), .success(message))
    }

    // MARK: Round trips

    func testRoundTripsAcrossSizesWithContextTakeover() {
        let compressor = PerMessageCompressor(parameters: .init(), configuration: .init())
        let decompressor = PerMessageDecompressor(parameters: .init())
        for size in [0, 1, 2, 5, 64, 255, 256, 1000, 4095, 4096, 10_000, 65_536, 300_000] {
            let message = text(size, seed: UInt64(size))
            var payload: [UInt8] = []
            message.withUnsafeBytes { compressor.compress($0, to: &payload) }
            XCTAssertEqual(decompress(payload, with: decompressor), .success(message), "size \(size)")
        }
    }

    func testRoundTripsWithoutContextTakeoverAndSmallWindows() {
        for bits in [8, 9, 12, 15] {
            let parameters = PerMessageDeflateParameters(
                serverNoContextTakeover: true,
                clientNoContextTakeover: true,
                serverMaxWindowBits: bits,
                clientMaxWindowBits: bits
            )
            let compressor = PerMessageCompressor(parameters: parameters, configuration: .init())
            let decompressor = PerMessageDecompressor(parameters: parameters)
            for seed in 0..<6 {
                let message = text(5000 * seed, seed: UInt64(seed))
                var payload: [UInt8] = []
                message.withUnsafeBytes { compressor.compress($0, to: &payload) }
                XCTAssertEqual(decompress(payload, with: decompressor), .success(message), "window \(bits)")
            }
        }
    }

    func testMessagesFromAnIndependentClientCarryContext() {
        let client = IndependentZlib(.deflate(level: 9))
        let decompressor = PerMessageDecompressor(parameters: .init())
        for seed in UInt64(0)..<20 {
            let message = text(Int(seed) * 700, seed: seed % 3)
            XCTAssertEqual(decompress(client.compressMessage(message), with: decompressor), .success(message))
        }
    }

    func testOutputIsAppendedToTheBuffer() throws {
        var buffer: [UInt8] = [1, 2, 3]
        try decompress([0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00], with: .init(parameters: .init()), into: &buffer)
        XCTAssertEqual(buffer, [1, 2, 3] + hello)
    }

    func testEmptyPayloadIsAnEmptyMessage() {
        let decompressor = PerMessageDecompressor(parameters: .init())
        XCTAssertEqual(decompress([], with: decompressor), .success([]))
        XCTAssertEqual(decompress([0x00], with: decompressor), .success([]))  // RFC 7692 7.2.3.6
        XCTAssertEqual(decompress([0x02, 0x00], with: decompressor), .success([]))  // fixed block, no symbols
        XCTAssertEqual(decompress([0x03, 0x00], with: decompressor), .success([]))  // the same with BFINAL
        XCTAssertEqual(decompress([0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00], with: decompressor), .success(hello))
    }

    // MARK: Context rules

    func testClientNoContextTakeoverResetsTheInflater() {
        let parameters = PerMessageDeflateParameters(clientNoContextTakeover: true)
        let decompressor = PerMessageDecompressor(parameters: parameters)
        XCTAssertEqual(decompress([0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00], with: decompressor), .success(hello))
        // A back-reference into the previous message is now out of reach.
        XCTAssertEqual(decompress([0xf2, 0x00, 0x11, 0x00, 0x00], with: decompressor), .failure(.invalidData))
        XCTAssertEqual(decompress([0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00], with: decompressor), .success(hello))
    }

    func testClientExceedingItsAgreedWindowIsInvalid() {
        let message = text(2000) + text(2000)
        let client = IndependentZlib(.deflate(level: 9), windowBits: 15)
        let decompressor = PerMessageDecompressor(parameters: .init(clientMaxWindowBits: 9))
        XCTAssertEqual(decompress(client.compressMessage(message), with: decompressor), .failure(.invalidData))
    }

    // MARK: Limits and errors

    func testDecompressionBombStopsAtTheLimitWithoutAllocatingPastIt() {
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        let bomb = IndependentZlib(.deflate(level: 9)).compressMessage(zeros)
        XCTAssertLessThan(bomb.count, 2048)
        let decompressor = PerMessageDecompressor(parameters: .init())
        var buffer: [UInt8] = [7]
        let limit = 64 * 1024
        XCTAssertThrowsError(try decompress(bomb, with: decompressor, limit: limit, into: &buffer)) { error in
            XCTAssertEqual(error as? PerMessageDeflateError, .messageTooBig)
            XCTAssertEqual((error as? PerMessageDeflateError)?.closeCodeValue, 1009)
        }
        XCTAssertEqual(buffer, [7], "the buffer is restored")
        // Array growth may round up, but never towards the bomb's 1 MiB.
        XCTAssertLessThanOrEqual(buffer.capacity, 2 * limit + 64)
    }

    func testLimitIsInclusive() {
        let message = text(10_000)
        let payload = IndependentZlib(.deflate(level: 6)).compressMessage(message)
        XCTAssertEqual(decompress(payload, with: .init(parameters: .init()), limit: 10_000), .success(message))
        XCTAssertEqual(decompress(payload, with: .init(parameters: .init()), limit: 9_999), .failure(.messageTooBig))
        XCTAssertEqual(decompress(payload, with: .init(parameters: .init()), limit: 0), .failure(.messageTooBig))
        XCTAssertEqual(decompress([0x00], with: .init(parameters: .init()), limit: 0), .success([]))
    }

    func testLimitCountsOnlyThisMessage() throws {
        var buffer = [UInt8](repeating: 1, count: 100)
        try decompress([0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00], with: .init(parameters: .init()), limit: 5, into: &buffer)
        XCTAssertEqual(buffer.count, 105)
    }

    func testCorruptDataIsInvalid() {
        let corrupt: [[UInt8]] = [
            [0x06, 0x00],  // BTYPE 11 is reserved
            [0xc2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00],  // a distance before the start of the window
            [0x00, 0x05, 0x00, 0xfb, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00],  // LEN and NLEN disagree
            [0xf2, 0x48, 0xcd, 0xc9],  // cut inside a block
            [0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07],  // cut before the empty block's header
            [0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00, 0x06],  // garbage after a final block
        ]
        for payload in corrupt {
            let decompressor = PerMessageDecompressor(parameters: .init())
            XCTAssertEqual(decompress(payload, with: decompressor), .failure(.invalidData), "\(payload)")
            // The decompressor stays usable afterwards (the lead closes the connection anyway).
            XCTAssertEqual(decompress([0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00], with: decompressor), .success(hello))
        }
        var generator = SplitMix(seed: 99)
        var failures = 0
        for _ in 0..<200 {
            let garbage = (0..<64).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            if case .failure(.invalidData) = decompress(garbage, with: .init(parameters: .init())) { failures += 1 }
        }
        XCTAssertGreaterThan(failures, 190)
    }

    func testErrorRestoresTheBuffer() {
        var buffer: [UInt8] = [9, 9]
        XCTAssertThrowsError(try decompress([0xf2, 0x48, 0xcd, 0xc9], with: .init(parameters: .init()), into: &buffer))
        XCTAssertEqual(buffer, [9, 9])
    }
}
