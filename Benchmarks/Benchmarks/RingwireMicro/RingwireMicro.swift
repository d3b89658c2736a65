// Microbenchmarks of Ringwire's sans-I/O hot paths (ordo-one/benchmark):
//
//     swift package --package-path Benchmarks benchmark
//     swift package --package-path Benchmarks benchmark --filter "unmask"
//
// Each benchmark processes a known number of bytes per iteration and reports, besides time and
// malloc counts, a custom `MB/s` metric (10^6 bytes of input per second) measured around its inner loop.
import Benchmark
import Foundation
@_spi(RingwireInternal) import RingwireCodecs

/// Bytes per second of work, in MB/s (10^6 B/s); larger is better.
let megabytesPerSecond = BenchmarkMetric.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, megabytesPerSecond],
        warmupIterations: 3,
        maxDuration: .seconds(2),
        maxIterations: 200
    )

    // MARK: Frame parse + unmask (WebSocketMessageReader.next on masked frames)

    for (payloadSize, frameCount) in [(32, 2048), (4096, 256)] {
        let template = Fixtures.maskedFrames(opcode: .binary, payload: Fixtures.binaryPayload(payloadSize), count: frameCount)
        let scratch = ScratchBuffer(byteCount: template.count)
        Benchmark("frame parse and unmask \(payloadSize) B x \(frameCount) frames") { benchmark in
            let working = scratch.bytes
            var reader = WebSocketMessageReader()
            let bytes = payloadSize * frameCount
            let clock = ContinuousClock()
            var elapsed = Duration.zero
            for _ in benchmark.scaledIterations {
                // The reader unmasks in place: restore the masked input first (a memcpy, included).
                template.withUnsafeBytes { working.copyMemory(from: $0) }
                let start = clock.now
                var input = working
                var messages = 0
                readLoop: while true {
                    switch reader.next(&input) {
                    case .message: messages += 1
                    case .needMoreData: break readLoop
                    default: fatalError("unexpected event")
                    }
                }
                elapsed += clock.now - start
                precondition(messages == frameCount)
            }
            benchmark.measurement(megabytesPerSecond, Fixtures.rate(bytes: bytes * benchmark.scaledIterations.count, elapsed))
        }
    }

    // MARK: UTF-8 validation of a 1 MiB text (UTF8Validator)

    for (name, text) in [("ASCII", Fixtures.asciiText(1 << 20)), ("mixed UTF-8", Fixtures.mixedText(1 << 20))] {
        Benchmark("UTF-8 validate 1 MiB \(name)") { benchmark in
            let clock = ContinuousClock()
            var elapsed = Duration.zero
            text.withUnsafeBytes { bytes in
                for _ in benchmark.scaledIterations {
                    let start = clock.now
                    let valid = UTF8Validator.isValid(bytes)
                    elapsed += clock.now - start
                    precondition(valid)
                }
            }
            benchmark.measurement(megabytesPerSecond, Fixtures.rate(bytes: text.count * benchmark.scaledIterations.count, elapsed))
        }
    }

    // MARK: Unmask + validate a 1 MiB text message (the bar: ≥ 4 GB/s)

    for (name, text) in [("ASCII", Fixtures.asciiText(1 << 20)), ("mixed UTF-8", Fixtures.mixedText(1 << 20))] {
        let frame = Fixtures.maskedFrames(opcode: .text, payload: text, count: 1)
        let scratch = ScratchBuffer(byteCount: frame.count)
        Benchmark("unmask and validate 1 MiB text \(name)") { benchmark in
            let working = scratch.bytes
            var reader = WebSocketMessageReader()
            let clock = ContinuousClock()
            var elapsed = Duration.zero
            for _ in benchmark.scaledIterations {
                frame.withUnsafeBytes { working.copyMemory(from: $0) }
                let start = clock.now
                var input = working
                guard case .message(.text, let payload, _) = reader.next(&input) else { fatalError("no text message") }
                elapsed += clock.now - start
                precondition(payload.count == text.count)
            }
            benchmark.measurement(megabytesPerSecond, Fixtures.rate(bytes: text.count * benchmark.scaledIterations.count, elapsed))
        }
    }

    // MARK: HTTP request parse (HTTPRequestParser)

    let upgradeRequest = Array(
        ("GET /chat/room-42?token=abc123 HTTP/1.1\r\nHost: example.com:9502\r\nUser-Agent: bench/1.0\r\n"
            + "Accept: */*\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
            + "Origin: https://example.com\r\nCookie: session=0123456789abcdef0123456789abcdef\r\n\r\n").utf8)
    Benchmark("HTTP parse upgrade request (\(upgradeRequest.count) B) x 1000") { benchmark in
        let clock = ContinuousClock()
        var elapsed = Duration.zero
        upgradeRequest.withUnsafeBytes { request in
            for _ in benchmark.scaledIterations {
                let start = clock.now
                for _ in 0..<1000 {
                    var parser = HTTPRequestParser(limits: HTTPLimits())
                    var input = request
                    var sawHead = false
                    parseLoop: while true {
                        switch parser.next(&input) {
                        case .head(let head):
                            sawHead = true
                            blackHole(head)
                        case .end, .needMoreData: break parseLoop
                        case .body: continue
                        case .error(let error): fatalError("parse error \(error)")
                        }
                    }
                    precondition(sawHead)
                }
                elapsed += clock.now - start
            }
        }
        benchmark.measurement(
            megabytesPerSecond, Fixtures.rate(bytes: upgradeRequest.count * 1000 * benchmark.scaledIterations.count, elapsed))
    }

    // MARK: permessage-deflate of small messages (PerMessageCompressor / PerMessageDecompressor)

    let chatMessage = Array(
        #"{"type":"message","room":"general","user":"alice","text":"hello everyone, how is the benchmark going today?","ts":1764140000}"#
            .utf8)
    Benchmark("deflate \(chatMessage.count) B message x 100 (context takeover)") { benchmark in
        let compressor = PerMessageCompressor(parameters: PerMessageDeflateParameters(), configuration: PerMessageDeflateConfiguration())
        var output: [UInt8] = []
        output.reserveCapacity(4096)
        let clock = ContinuousClock()
        var elapsed = Duration.zero
        chatMessage.withUnsafeBytes { message in
            for _ in benchmark.scaledIterations {
                let start = clock.now
                for _ in 0..<100 {
                    output.removeAll(keepingCapacity: true)
                    compressor.compress(message, to: &output)
                }
                elapsed += clock.now - start
                blackHole(output)
            }
        }
        benchmark.measurement(megabytesPerSecond, Fixtures.rate(bytes: chatMessage.count * 100 * benchmark.scaledIterations.count, elapsed))
    }

    Benchmark("inflate \(chatMessage.count) B message x 100 (no context takeover)") { benchmark in
        // Each message compressed on its own, so any of them inflates with a fresh context.
        let parameters = PerMessageDeflateParameters(serverNoContextTakeover: true, clientNoContextTakeover: true)
        let compressor = PerMessageCompressor(parameters: parameters, configuration: PerMessageDeflateConfiguration())
        var compressed: [UInt8] = []
        chatMessage.withUnsafeBytes { compressor.compress($0, to: &compressed) }
        let decompressor = PerMessageDecompressor(parameters: parameters)
        var output: [UInt8] = []
        output.reserveCapacity(4096)
        let clock = ContinuousClock()
        var elapsed = Duration.zero
        compressed.withUnsafeBytes { payload in
            for _ in benchmark.scaledIterations {
                let start = clock.now
                for _ in 0..<100 {
                    output.removeAll(keepingCapacity: true)
                    do {
                        try decompressor.decompress(payload, maxMessageSize: 1 << 20, into: &output)
                    } catch {
                        fatalError("inflate failed: \(error)")
                    }
                }
                elapsed += clock.now - start
                precondition(output.count == chatMessage.count)
            }
        }
        benchmark.measurement(megabytesPerSecond, Fixtures.rate(bytes: chatMessage.count * 100 * benchmark.scaledIterations.count, elapsed))
    }

    // MARK: Does the echo path allocate per message?
    // One echo = WebSocketMessageReader.next on a masked 32 B frame + WebSocketFrameEncoder.writeFrame
    // of the payload into a preallocated send buffer. mallocCountTotal per iteration should be 0.

    let echo = EchoFixture(frame: Fixtures.maskedFrames(opcode: .binary, payload: Fixtures.binaryPayload(32), count: 1))
    Benchmark(
        "echo path: read and encode one 32 B message (allocations per 1000 echoes)",
        configuration: .init(
            metrics: [.wallClock, .throughput, .mallocCountTotal, .mallocBytesCount],
            warmupIterations: 10, scalingFactor: .kilo, maxDuration: .seconds(2), maxIterations: 2_000)
    ) { benchmark in
        // Buffers and reader live outside the closure: whatever mallocs are counted here are the
        // echo path's own, and 1000 echoes run per sample.
        for _ in benchmark.scaledIterations {
            blackHole(echo.echoOnce())
        }
    }
}

/// The state of the echo-path benchmark, created once: a connection's reader, its receive buffer
/// and its send buffer.
final class EchoFixture: @unchecked Sendable {
    private let frame: [UInt8]
    private let working: UnsafeMutableRawBufferPointer
    private var reader = WebSocketMessageReader()
    private var sendBuffer = FixedSendBuffer(capacity: 4096)

    init(frame: [UInt8]) {
        self.frame = frame
        working = .allocate(byteCount: frame.count, alignment: 16)
    }

    /// One echo: restore the masked frame in the receive buffer, parse + unmask it, encode the reply.
    @inline(never)
    func echoOnce() -> Int {
        frame.withUnsafeBytes { working.copyMemory(from: $0) }
        var remaining = working
        sendBuffer.reset()
        while true {
            switch reader.next(&remaining) {
            case .message(let kind, let payload, _):
                WebSocketFrameEncoder.writeFrame(opcode: kind == .text ? .text : .binary, payload: payload, to: &sendBuffer)
            case .needMoreData:
                return sendBuffer.count
            default:
                fatalError("unexpected event")
            }
        }
    }
}

/// A receive buffer allocated once, outside the measured closures (never freed: the process is short).
struct ScratchBuffer: @unchecked Sendable {
    let bytes: UnsafeMutableRawBufferPointer

    init(byteCount: Int) {
        bytes = .allocate(byteCount: byteCount, alignment: 64)
    }
}

/// A send buffer like a connection's outbound queue: fixed storage, reset after each "send".
struct FixedSendBuffer: ByteWriter {
    private let storage: UnsafeMutableRawBufferPointer
    private(set) var count = 0

    init(capacity: Int) {
        storage = .allocate(byteCount: capacity, alignment: 16)
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) {
        UnsafeMutableRawBufferPointer(rebasing: storage[count...]).copyMemory(from: bytes)
        count += bytes.count
    }

    mutating func reset() { count = 0 }

    func deallocate() { storage.deallocate() }
}

/// Inputs built once per benchmark.
enum Fixtures {
    static let maskingKey = WebSocketMaskingKey(0x37, 0xFA, 0x21, 0x3D)

    /// `count` copies of a masked client frame carrying `payload`.
    static func maskedFrames(opcode: WebSocketOpcode, payload: [UInt8], count: Int) -> [UInt8] {
        let headerSize = WebSocketFrameEncoder.headerSize(payloadLength: payload.count)
        var frame = [UInt8](repeating: 0, count: headerSize + 4 + payload.count)
        frame.withUnsafeMutableBytes { bytes in
            WebSocketFrameEncoder.encodeHeader(
                opcode: opcode, payloadLength: payload.count, fin: true, rsv1: false, into: bytes.baseAddress!)
            bytes[1] |= 0x80
            bytes[headerSize] = 0x37
            bytes[headerSize + 1] = 0xFA
            bytes[headerSize + 2] = 0x21
            bytes[headerSize + 3] = 0x3D
            let body = UnsafeMutableRawBufferPointer(rebasing: bytes[(headerSize + 4)...])
            payload.withUnsafeBytes { body.copyMemory(from: $0) }
            WebSocketMasking.apply(key: maskingKey, to: body)
        }
        return Array([[UInt8]](repeating: frame, count: count).joined())
    }

    static func binaryPayload(_ size: Int) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    }

    static func asciiText(_ size: Int) -> [UInt8] {
        let sentence = Array("The quick brown fox jumps over the lazy dog; 0123456789. ".utf8)
        return (0..<size).map { sentence[$0 % sentence.count] }
    }

    /// Mostly ASCII with 2-, 3- and 4-byte characters sprinkled in, cut at a character boundary.
    static func mixedText(_ size: Int) -> [UInt8] {
        let sentence = Array("Grüße aus Köln — 東京でこんにちは 🙂 and plain ASCII words in between. ".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(size + sentence.count)
        while text.count + sentence.count <= size { text.append(contentsOf: sentence) }
        while text.count < size { text.append(0x20) }
        return text
    }

    /// Millions of bytes per second.
    static func rate(bytes: Int, _ elapsed: Duration) -> Int {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds > 0 ? Int(Double(bytes) / seconds / 1e6) : 0
    }
}
