import Foundation
import RingwireTestSupport
import XCTest

@testable import Ringwire
@_spi(RingwireInternal) @testable import RingwireTransport

/// Subscribes on "join" and answers every message with the connection's id ("WORKER SLOT GENERATION").
private struct StressHandler: WebSocketHandler {
    func onMessage(_ socket: borrowing WebSocket<StressHandler>, _ message: borrowing WebSocketMessage) {
        if message.text == "join" { socket.subscribe(MailboxStressTests.topic) }
        let id = socket.id
        socket.send(text: "\(id.worker) \(id.slot) \(id.generation)")
    }
}

/// Where producer threads stop twice so the test can close connections between their steps: each
/// producer calls `arrive()`; the test waits for all of them, acts, then lets them go on.
private final class Checkpoint: Sendable {
    private let arrived = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)
    private let parties: Int

    init(parties: Int) { self.parties = parties }

    func arrive() {
        arrived.signal()
        // Bounded: a test that failed before releasing must not leave threads blocked forever.
        _ = released.wait(timeout: .now() + 120)
    }

    /// True when every producer arrived within the timeout.
    func awaitAll() -> Bool {
        (0..<parties).allSatisfy { _ in arrived.wait(timeout: .now() + 60) == .success }
    }

    func release() { (0..<parties).forEach { _ in released.signal() } }
}

/// What each producer saw `send` answer, per target connection: how many pushes were accepted, and
/// whether one was accepted after an earlier one to the same id was refused (a closed id never
/// reopens, so that would be a bug). `@unchecked Sendable`: every access holds `lock` (an NSLock, which
/// ThreadSanitizer understands).
private final class SendOutcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var accepted: [[Int]]
    private var acceptedAfterRefusal: [[Bool]]

    init(producers: Int, targets: Int) {
        accepted = Array(repeating: Array(repeating: 0, count: targets), count: producers)
        acceptedAfterRefusal = Array(repeating: Array(repeating: false, count: targets), count: producers)
    }

    func record(producer: Int, accepted counts: [Int], acceptedAfterRefusal flags: [Bool]) {
        lock.withLock {
            accepted[producer] = counts
            acceptedAfterRefusal[producer] = flags
        }
    }

    func accepted(producer: Int, target: Int) -> Int { lock.withLock { accepted[producer][target] } }
    func acceptedAfterRefusal(producer: Int, target: Int) -> Bool { lock.withLock { acceptedAfterRefusal[producer][target] } }
}

/// Many threads pushing (`ServerHandle.send` and `publish`) to connections on every worker while
/// those workers close some of the connections and reuse their slots: the worker mailboxes
/// (multi-producer, single-consumer) must lose, duplicate and reorder nothing, and nothing may reach
/// a connection it was not addressed to. Every assertion is an exact count; no timing is measured.
final class MailboxStressTests: XCTestCase {
    static let topic = "stress"
    private static let workers = 4
    private static let producers = 6
    private static let steps = 120
    /// Producers stop after this many steps while connections are closed...
    private static let firstPause = 40
    /// ...and after this many while new connections take the freed slots.
    private static let secondPause = 80
    /// Per worker: connections reset by their client, closed through the handle, kept to the end.
    private static let resetPerWorker = 3
    private static let closedPerWorker = 3
    private static let keptPerWorker = 4

    /// Every fourth step is a publish to `topic`, the others a push to every original connection.
    private static func isPublish(_ step: Int) -> Bool { step % 4 == 3 }

    private struct Client {
        let socket: TestWebSocket
        let id: ConnectionID
    }

    private func connect(_ port: Int, joining: Bool) throws -> Client {
        let socket = try TestWebSocket(port: port, timeout: 30)
        try socket.send(text: joining ? "join" : "who")
        let fields = try socket.readFrame().text.split(separator: " ").compactMap { UInt32($0) }
        guard fields.count == 3 else { throw TestFailure("no id in the first reply") }
        return Client(socket: socket, id: ConnectionID(worker: UInt16(fields[0]), slot: fields[1], generation: fields[2]))
    }

    /// Waits until the workers' connection counts are `expected` (they change when a worker has
    /// removed a connection and freed its slot).
    private func awaitConnectionCounts(_ expected: [Int], on server: TestServer) {
        let deadline = MonotonicClock.now() + 30_000
        while server.server.connectionCounts() != expected && MonotonicClock.now() < deadline { usleep(1_000) }
        XCTAssertEqual(server.server.connectionCounts(), expected)
    }

    /// The producer and step a frame carries ("PRODUCER:STEP").
    private func origin(of frame: TestWebSocket.Frame) -> (producer: Int, step: Int)? {
        let fields = frame.text.split(separator: ":").compactMap { Int($0) }
        guard frame.opcode == 0x1, fields.count == 2, (0..<Self.producers).contains(fields[0]) else { return nil }
        return (fields[0], fields[1])
    }

    func testManyProducersPushingWhileWorkersCloseConnectionsLoseAndDuplicateNothing() throws {
        var webSocket = WebSocketConfiguration()
        // The handle-closed connections answer their close only after the storm.
        webSocket.closeTimeout = .seconds(120)
        var listener = Listener(name: "ws", port: 0, kind: .webSocket)
        listener.webSocket("/*", configuration: webSocket, StressHandler())
        let server = try TestServer(workers: Self.workers, distribution: .acceptor, listeners: [listener])
        let handle = try XCTUnwrap(server.server.handle)
        let port = server.port("ws")

        // The acceptor hands each connection to the least-loaded worker, so every worker gets its share.
        let perWorker = Self.resetPerWorker + Self.closedPerWorker + Self.keptPerWorker
        var originals: [Client] = []
        for _ in 0..<(Self.workers * perWorker) { originals.append(try connect(port, joining: true)) }
        let byWorker = Dictionary(grouping: originals.indices) { Int(originals[$0].id.worker) }
        XCTAssertEqual(byWorker.keys.sorted(), Array(0..<Self.workers))
        guard byWorker.values.allSatisfy({ $0.count == perWorker }) else {
            return XCTFail("connections not spread evenly: \(server.server.connectionCounts())")
        }
        let resetIndices = byWorker.values.flatMap { $0.prefix(Self.resetPerWorker) }
        let closedIndices = byWorker.values.flatMap { $0.dropFirst(Self.resetPerWorker).prefix(Self.closedPerWorker) }
        let keptIndices = byWorker.values.flatMap { $0.dropFirst(Self.resetPerWorker + Self.closedPerWorker) }

        let ids = originals.map(\.id)
        let outcomes = SendOutcomes(producers: Self.producers, targets: ids.count)
        let firstCheckpoint = Checkpoint(parties: Self.producers)
        let secondCheckpoint = Checkpoint(parties: Self.producers)
        let finished = DispatchGroup()
        for producer in 0..<Self.producers {
            finished.enter()
            Thread {
                var accepted = Array(repeating: 0, count: ids.count)
                var refused = Array(repeating: false, count: ids.count)
                var acceptedAfterRefusal = Array(repeating: false, count: ids.count)
                for step in 0..<Self.steps {
                    if step == Self.firstPause { firstCheckpoint.arrive() }
                    if step == Self.secondPause { secondCheckpoint.arrive() }
                    let text = "\(producer):\(step)"
                    if Self.isPublish(step) {
                        handle.publish(Self.topic, text: text)
                        continue
                    }
                    for (target, id) in ids.enumerated() {
                        if handle.send(to: id, text: text) {
                            accepted[target] += 1
                            acceptedAfterRefusal[target] = acceptedAfterRefusal[target] || refused[target]
                        } else {
                            refused[target] = true
                        }
                    }
                }
                outcomes.record(producer: producer, accepted: accepted, acceptedAfterRefusal: acceptedAfterRefusal)
                finished.leave()
            }.start()
        }

        // First pause: everything of steps 0..<firstPause is in the mailboxes. Close some connections
        // through the handle (their workers stop delivering at once) and reset others (their workers
        // notice while the producers push on).
        XCTAssertTrue(firstCheckpoint.awaitAll(), "producers did not reach the first pause")
        for index in closedIndices { XCTAssertTrue(handle.close(ids[index], code: .goingAway, reason: "stress")) }
        for index in resetIndices { originals[index].socket.socket.reset() }
        firstCheckpoint.release()

        // Once the resets are handled their slots are free; new connections take them (each worker
        // reuses its freed slots first) while the producers still push to the old ids.
        awaitConnectionCounts(Array(repeating: perWorker - Self.resetPerWorker, count: Self.workers), on: server)
        XCTAssertTrue(secondCheckpoint.awaitAll(), "producers did not reach the second pause")
        var newcomers: [Client] = []
        for _ in 0..<(Self.workers * Self.resetPerWorker) { newcomers.append(try connect(port, joining: false)) }
        secondCheckpoint.release()
        XCTAssertEqual(finished.wait(timeout: .now() + 120), .success, "producers did not finish")

        let freedSlots = Set(resetIndices.map { [Int(ids[$0].worker), Int(ids[$0].slot)] })
        let reused = newcomers.filter { freedSlots.contains([Int($0.id.worker), Int($0.id.slot)]) }
        XCTAssertFalse(reused.isEmpty, "no new connection reused a freed slot")
        for newcomer in reused { XCTAssertFalse(ids.contains(newcomer.id), "a slot was reused with its old generation") }

        let pushSteps = (0..<Self.steps).filter { !Self.isPublish($0) }.count
        let everyStep = Dictionary(uniqueKeysWithValues: (0..<Self.producers).map { ($0, Self.steps) })
        for index in keptIndices {
            // Open throughout: every push accepted, every push and publish delivered once, in order.
            for producer in 0..<Self.producers {
                XCTAssertEqual(outcomes.accepted(producer: producer, target: index), pushSteps, "connection \(ids[index])")
            }
            XCTAssertTrue(handle.send(to: ids[index], text: "end"))
            XCTAssertEqual(try readUntil("end", from: originals[index].socket), everyStep, "connection \(ids[index])")
        }
        for index in closedIndices {
            // Exactly what was queued before the close, then the close frame; nothing after it.
            let client = originals[index].socket
            let beforeClose = Dictionary(uniqueKeysWithValues: (0..<Self.producers).map { ($0, Self.firstPause) })
            XCTAssertEqual(try readUntilClose(from: client), beforeClose, "connection \(ids[index])")
            try client.sendClose(1001)
            XCTAssertTrue(client.socket.waitForClose(), "connection \(ids[index]) not closed after the handshake")
        }
        for newcomer in newcomers {
            // Nothing addressed to the slot's earlier connection arrived here.
            XCTAssertTrue(handle.send(to: newcomer.id, text: "end"))
            XCTAssertEqual(try newcomer.socket.readFrame().text, "end", "connection \(newcomer.id)")
        }
        for index in resetIndices + closedIndices {
            XCTAssertFalse(handle.isOpen(ids[index]))
            XCTAssertFalse(handle.send(to: ids[index], text: "too late"), "connection \(ids[index])")
        }
        for index in ids.indices {
            for producer in 0..<Self.producers {
                XCTAssertFalse(
                    outcomes.acceptedAfterRefusal(producer: producer, target: index), "a closed id \(ids[index]) accepted a push again")
            }
        }
        awaitConnectionCounts(Array(repeating: Self.keptPerWorker + Self.resetPerWorker, count: Self.workers), on: server)
        XCTAssertEqual(server.server.connectionCount, keptIndices.count + newcomers.count)
        // The kept members still subscribe, and on every worker.
        XCTAssertEqual(
            handle.messenger.topics.lookup(Self.topic).map { topic in
                var workers: [Int] = []
                topic.workers.forEach { workers.append($0) }
                return workers
            }, Array(0..<Self.workers))
    }

    /// Reads producer frames up to `marker`, checking each producer's steps arrive once and in
    /// order; returns how many steps came from each producer.
    private func readUntil(_ marker: String, from client: TestWebSocket) throws -> [Int: Int] {
        var next: [Int: Int] = [:]
        for _ in 0...(Self.producers * Self.steps) {
            let frame = try client.readFrame()
            if frame.opcode == 0x1 && frame.text == marker { return next }
            try expectNext(frame, after: &next)
        }
        throw TestFailure("more frames than the producers sent, and no '\(marker)'")
    }

    /// Like `readUntil`, up to a close frame with code 1001.
    private func readUntilClose(from client: TestWebSocket) throws -> [Int: Int] {
        var next: [Int: Int] = [:]
        for _ in 0...(Self.producers * Self.steps) {
            let frame = try client.readFrame()
            if frame.opcode == 0x8 {
                XCTAssertEqual(frame.closeCode, 1001)
                return next
            }
            try expectNext(frame, after: &next)
        }
        throw TestFailure("more frames than the producers sent, and no close frame")
    }

    private func expectNext(_ frame: TestWebSocket.Frame, after next: inout [Int: Int]) throws {
        guard let (producer, step) = origin(of: frame) else { throw TestFailure("unexpected frame '\(frame.text)'") }
        guard step == next[producer, default: 0] else {
            throw TestFailure("producer \(producer): step \(step) after \(next[producer, default: 0] - 1) (lost, duplicated or reordered)")
        }
        next[producer] = step + 1
    }
}
