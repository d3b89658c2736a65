import RingwireTestSupport
import XCTest

@_spi(RingwireInternal) @testable import RingwireTransport

/// The send queue as the worker drives it, with a fake kernel that takes random amounts: the bytes
/// leave in the order written (owned writes and shared frames mixed), and `bufferedBytes` always
/// equals what was accepted and not yet taken.
final class OutboundQueueTests: XCTestCase {
    private struct FakeKernel {
        var taken: [UInt8] = []
        var generator: SplitMix

        /// Takes a random prefix (at least one byte) of what `request` offers.
        mutating func take(_ request: SendRequest) -> Int {
            let offered: [UInt8]
            switch request {
            case .bytes(let bytes):
                offered = Array(bytes)
            case .message(let message):
                let header = message.pointee
                offered = (0..<header.msg_iovlen).flatMap { index -> [UInt8] in
                    let iov = header.msg_iov[index]
                    return Array(UnsafeRawBufferPointer(start: iov.iov_base, count: iov.iov_len))
                }
            }
            let count = Bool.random(using: &generator) ? offered.count : Int.random(in: 1...offered.count, using: &generator)
            taken += offered[..<count]
            return count
        }
    }

    func testBytesLeaveInOrderAndBufferedBytesMatchesAtEveryStep() {
        for seed in UInt64(0)..<200 {
            var generator = SplitMix(seed: seed)
            let pool = OutboundBufferPool()
            var queue = OutboundQueue()
            var kernel = FakeKernel(generator: SplitMix(seed: ~seed))
            var written: [UInt8] = []
            var request: SendRequest?
            var next: UInt8 = 0
            func bytes(_ count: Int) -> [UInt8] {
                (0..<count).map { _ in
                    next &+= 1
                    return next
                }
            }
            for _ in 0..<40 {
                switch Int.random(in: 0..<4, using: &generator) {
                case 0, 1:
                    let header = bytes(Int.random(in: 0...4, using: &generator))
                    let payload = bytes(Int.random(in: 0...6000, using: &generator))
                    header.withUnsafeBytes { first in
                        payload.withUnsafeBytes { second in
                            if !queue.appendIfRoom(first, second) { queue.write(first, second, pool: pool) }
                        }
                    }
                    written += header + payload
                case 2:
                    let frameBytes = bytes(Int.random(in: 1...300, using: &generator))
                    queue.append(SharedFrame(count: frameBytes.count) { $0.copyBytes(from: frameBytes) })
                    written += frameBytes
                default:
                    if request == nil { request = queue.startSend() }
                    if let sending = request { request = queue.completeSend(kernel.take(sending), pool: pool) }
                }
                XCTAssertEqual(queue.bufferedBytes, written.count - kernel.taken.count, "seed \(seed)")
            }
            while !queue.isEmpty {
                if request == nil { request = queue.startSend() }
                guard let sending = request else { break }
                request = queue.completeSend(kernel.take(sending), pool: pool)
                XCTAssertEqual(queue.bufferedBytes, written.count - kernel.taken.count, "seed \(seed)")
            }
            XCTAssertEqual(kernel.taken, written, "seed \(seed)")
            XCTAssertEqual(queue.bufferedBytes, 0, "seed \(seed)")
        }
    }

    func testDiscardingLeavesNothingBuffered() {
        let pool = OutboundBufferPool()
        var queue = OutboundQueue()
        let payload = [UInt8](repeating: 7, count: 5000)
        payload.withUnsafeBytes { queue.write($0, UnsafeRawBufferPointer(start: nil, count: 0), pool: pool) }
        queue.append(SharedFrame(count: 10) { $0.initializeMemory(as: UInt8.self, repeating: 1) })
        guard let request = queue.startSend() else { return XCTFail("nothing to send") }
        guard case .message = request else { return XCTFail("owned bytes and a shared frame go out in one sendmsg") }
        queue.append(SharedFrame(count: 20) { $0.initializeMemory(as: UInt8.self, repeating: 2) })
        payload.withUnsafeBytes { queue.write($0, UnsafeRawBufferPointer(start: nil, count: 0), pool: pool) }
        XCTAssertEqual(queue.bufferedBytes, 10_030)
        _ = queue.completeSend(100, pool: pool)
        XCTAssertEqual(queue.bufferedBytes, 9_930)
        queue.discardQueued(pool: pool)
        XCTAssertEqual(queue.bufferedBytes, 4_910)
        queue.discardInFlight(pool: pool)
        XCTAssertEqual(queue.bufferedBytes, 0)
        XCTAssertTrue(queue.isEmpty)
    }
}
