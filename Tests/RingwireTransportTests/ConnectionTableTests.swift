import CURing
import Logging
import RingwireTestSupport
import XCTest

@_spi(RingwireInternal) @testable import RingwireTransport

/// Slots, generations and limits of `ConnectionTable`, on a worker that never runs (its ring only
/// exists because every `Connection` belongs to a worker).
final class ConnectionTableTests: XCTestCase {
    private func makeWorker(maxConnections: Int) throws -> Worker {
        let settings = WorkerSettings(
            index: 0, role: .ownSockets, listening: [], ringEntries: 8, receiveBufferCount: 8,
            receiveBufferSize: 256, maxConnections: maxConnections, lingerMilliseconds: 1000,
            shutdownGraceMilliseconds: 1000, idleMemoryReleaseMilliseconds: nil,
            logger: Logger(label: "ConnectionTableTests"))
        let handle = WorkerHandle(index: 0, maxConnections: maxConnections)
        return try Worker(settings: settings, directory: [handle]) { _, _ in fatalError("no session is started") }
    }

    func testAReusedSlotGetsTheNextGeneration() throws {
        let worker = try makeWorker(maxConnections: 4)
        var table = ConnectionTable(capacity: 4)
        let first = try XCTUnwrap(table.insert(fd: 100, worker: worker))
        XCTAssertEqual(first.generation, 0)
        XCTAssertTrue(table.remove(first))
        let second = try XCTUnwrap(table.insert(fd: 101, worker: worker))
        XCTAssertEqual(second.slot, first.slot, "freed slots are reused")
        XCTAssertEqual(second.generation, first.generation + 1)
        XCTAssertTrue(table.remove(second))
        let third = try XCTUnwrap(table.insert(fd: 102, worker: worker))
        XCTAssertEqual(third.slot, first.slot)
        XCTAssertEqual(third.generation, first.generation + 2)
    }

    func testAStaleSlotAndGenerationFindNothing() throws {
        let worker = try makeWorker(maxConnections: 4)
        var table = ConnectionTable(capacity: 4)
        let old = try XCTUnwrap(table.insert(fd: 100, worker: worker))
        let oldTag = OperationTag(.receive, slot: old.slot, generation: old.generation)
        XCTAssertTrue(table.connection(for: oldTag) === old)
        XCTAssertTrue(table.remove(old))
        XCTAssertNil(table.connection(for: oldTag), "removed")
        let new = try XCTUnwrap(table.insert(fd: 101, worker: worker))
        XCTAssertNil(table.connection(for: oldTag), "a completion of the old connection must not reach the new one")
        XCTAssertNil(table.connection(slot: new.slot, generation: new.generation &+ 1), "a generation not yet given")
        XCTAssertTrue(table.connection(slot: new.slot, generation: new.generation) === new)
        XCTAssertTrue(table.connection(inSlot: new.slot) === new)
        XCTAssertNil(table.connection(slot: 3, generation: 0), "a slot never used")
        XCTAssertNil(table.connection(inSlot: 3))
    }

    func testTheWorkersConnectionLimitRefusesMore() throws {
        let worker = try makeWorker(maxConnections: 3)
        var table = ConnectionTable(capacity: 3)
        let connections = try (0..<3).map { try XCTUnwrap(table.insert(fd: Int32(100 + $0), worker: worker)) }
        XCTAssertEqual(Set(connections.map(\.slot)), [0, 1, 2])
        XCTAssertNil(table.insert(fd: 103, worker: worker), "full")
        XCTAssertTrue(table.remove(connections[1]))
        let again = try XCTUnwrap(table.insert(fd: 104, worker: worker), "room again after a removal")
        XCTAssertEqual(again.slot, 1)
        XCTAssertNil(table.insert(fd: 105, worker: worker))
    }

    func testRemovingTwiceChangesNothingTheSecondTime() throws {
        let worker = try makeWorker(maxConnections: 4)
        var table = ConnectionTable(capacity: 4)
        let connection = try XCTUnwrap(table.insert(fd: 100, worker: worker))
        XCTAssertTrue(table.remove(connection))
        XCTAssertFalse(table.remove(connection))
        XCTAssertEqual(table.count, 0)
        let next = try XCTUnwrap(table.insert(fd: 101, worker: worker))
        XCTAssertEqual(next.generation, 1, "the generation moved on once, not twice")
        XCTAssertFalse(table.remove(connection), "the old connection cannot remove its successor")
        XCTAssertTrue(table.connection(inSlot: next.slot) === next)
    }

    func testCountFollowsInsertsAndRemovals() throws {
        let worker = try makeWorker(maxConnections: 8)
        var table = ConnectionTable(capacity: 8)
        XCTAssertEqual(table.count, 0)
        let connections = try (0..<5).map { try XCTUnwrap(table.insert(fd: Int32(100 + $0), worker: worker)) }
        XCTAssertEqual(table.count, 5)
        XCTAssertTrue(table.remove(connections[0]))
        XCTAssertTrue(table.remove(connections[3]))
        XCTAssertEqual(table.count, 3)
        var visited: [UInt32] = []
        table.forEach { visited.append($0.slot) }
        XCTAssertEqual(visited, [1, 2, 4], "forEach sees the live connections, in slot order")
    }

    /// A connection is one 96-byte heap block (88 bytes usable, all of them used): memory per idle
    /// connection matters, and one more stored byte in the wrong place would cost a larger block.
    func testAConnectionStaysInA96ByteHeapBlock() throws {
        if addressSanitizerIsActive { throw XCTSkip("AddressSanitizer's allocator sizes blocks its own way") }
        let worker = try makeWorker(maxConnections: 1)
        var table = ConnectionTable(capacity: 1)
        let connection = try XCTUnwrap(table.insert(fd: 100, worker: worker))
        XCTAssertEqual(malloc_usable_size(Unmanaged.passUnretained(connection).toOpaque()), 88)
    }
}
