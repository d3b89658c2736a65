import Synchronization
import XCTest

@testable import Ringwire
@_spi(RingwireInternal) @testable import RingwireTransport

/// A chat-like handler for tests: "join:ROOM" subscribes and answers "joined:WORKER",
/// "say:ROOM:TEXT" publishes TEXT to ROOM, "name:NAME" registers the connection's id under NAME.
private struct RoomHandler: WebSocketHandler {
    let directory: IDDirectory

    func onMessage(_ socket: borrowing WebSocket<RoomHandler>, _ message: borrowing WebSocketMessage) {
        let text = message.text
        if text.hasPrefix("join:") {
            socket.subscribe(String(text.dropFirst(5)))
            socket.send(text: "joined:\(socket.id.worker)")
        } else if text.hasPrefix("leave:") {
            socket.unsubscribe(String(text.dropFirst(6)))
            socket.send(text: "left")
        } else if text.hasPrefix("say:") {
            let parts = text.split(separator: ":", maxSplits: 2)
            socket.publish(String(parts[1]), text: String(parts[2]))
        } else if text.hasPrefix("name:") {
            directory.register(String(text.dropFirst(5)), socket.id)
            socket.send(text: "named")
        }
    }
}

/// Connection ids by test name, written on worker threads.
final class IDDirectory: Sendable {
    private let ids = Mutex<[String: ConnectionID]>([:])
    func register(_ name: String, _ id: ConnectionID) { ids.withLock { $0[name] = id } }
    subscript(name: String) -> ConnectionID? { ids.withLock { $0[name] } }
}

final class PubSubTests: XCTestCase {
    private func makeServer(
        workers: Int, distribution: ConnectionDistribution = .reusePort, directory: IDDirectory = IDDirectory()
    ) throws -> TestServer {
        var listener = Listener(name: "ws", port: 0, kind: .webSocket)
        listener.webSocket("/*", RoomHandler(directory: directory))
        return try TestServer(workers: workers, distribution: distribution, listeners: [listener])
    }

    private func join(_ client: TestWebSocket, _ room: String) throws -> Int {
        try client.send(text: "join:\(room)")
        let reply = try client.readFrame().text
        XCTAssertTrue(reply.hasPrefix("joined:"), reply)
        return Int(reply.dropFirst(7)) ?? -1
    }

    /// `count` clients that joined `room`, and the workers that serve them.
    private func connectMembers(_ count: Int, to room: String, on server: TestServer) throws -> ([TestWebSocket], Set<Int>) {
        var members: [TestWebSocket] = []
        var workersUsed = Set<Int>()
        for _ in 0..<count {
            let client = try TestWebSocket(port: server.port("ws"))
            workersUsed.insert(try join(client, room))
            members.append(client)
        }
        return (members, workersUsed)
    }

    func testEveryMemberGetsEveryMessageExactlyOnceInPerSenderOrder() throws {
        try checkExactlyOnceDelivery(distribution: .reusePort)
    }

    /// The same with connections handed to workers by the acceptor (MSG_RING), spread evenly.
    func testExactlyOnceDeliveryWithTheAcceptor() throws {
        try checkExactlyOnceDelivery(distribution: .acceptor)
    }

    private func checkExactlyOnceDelivery(distribution: ConnectionDistribution) throws {
        let server = try makeServer(workers: 4, distribution: distribution)
        let (members, workersUsed) = try connectMembers(200, to: "lobby", on: server)
        XCTAssertEqual(workersUsed.count, 4, "clients should be spread over all workers")
        var outsiders: [TestWebSocket] = []
        for _ in 0..<8 {
            let client = try TestWebSocket(port: server.port("ws"))
            _ = try join(client, "elsewhere")
            outsiders.append(client)
        }
        let senders = [0, 57, 113, 199]
        for sequence in 0..<50 {
            for sender in senders {
                try members[sender].send(text: "say:lobby:\(sender)-\(sequence)")
            }
        }
        for (index, member) in members.enumerated() {
            var next = [Int: Int]()
            for _ in 0..<(senders.count * 50) {
                let parts = try member.readFrame().text.split(separator: "-").compactMap { Int($0) }
                guard parts.count == 2 else { return XCTFail("member \(index): unexpected message") }
                XCTAssertEqual(parts[1], next[parts[0], default: 0], "member \(index): sender \(parts[0]) out of order")
                next[parts[0]] = parts[1] + 1
            }
            XCTAssertEqual(next, Dictionary(uniqueKeysWithValues: senders.map { ($0, 50) }), "member \(index)")
        }
        // Nothing more for anyone: a marker published now is the next frame everybody reads.
        try members[0].send(text: "say:lobby:end")
        try outsiders[0].send(text: "say:elsewhere:end")
        for member in members { XCTAssertEqual(try member.readFrame().text, "end") }
        for outsider in outsiders { XCTAssertEqual(try outsider.readFrame().text, "end") }
    }

    /// Beyond 64 workers a topic's worker set spans several words: members on workers 0...69 (the
    /// acceptor hands each new connection to an idle worker) all get a publish, once.
    func testRoomsSpanMoreThanSixtyFourWorkers() throws {
        let server = try makeServer(workers: 70, distribution: .acceptor)
        let (members, workersUsed) = try connectMembers(70, to: "big", on: server)
        XCTAssertEqual(workersUsed, Set(0..<70))
        try members[69].send(text: "say:big:hello")
        for member in members { XCTAssertEqual(try member.readFrame().text, "hello") }
        try members[0].send(text: "say:big:again")
        for member in members { XCTAssertEqual(try member.readFrame().text, "again") }
    }

    func testPushesFromAnotherThreadAndFromAsyncCodeReachEveryWorker() async throws {
        let directory = IDDirectory()
        let server = try makeServer(workers: 4, directory: directory)
        let handle = try XCTUnwrap(server.server.handle)
        var clients: [TestWebSocket] = []
        var workersUsed = Set<Int>()
        for index in 0..<40 {
            let client = try TestWebSocket(port: server.port("ws"))
            try client.send(text: "name:c\(index)")
            XCTAssertEqual(try client.readFrame().text, "named")
            workersUsed.insert(Int(try XCTUnwrap(directory["c\(index)"]).worker))
            clients.append(client)
        }
        XCTAssertEqual(workersUsed.count, 4)
        let ids = (0..<40).compactMap { directory["c\($0)"] }
        let thread = Thread {
            for (index, id) in ids.enumerated() { handle.send(to: id, text: "thread \(index)") }
        }
        thread.start()
        while !thread.isFinished { try await Task.sleep(for: .milliseconds(5)) }
        await withTaskGroup(of: Void.self) { group in
            for (index, id) in ids.enumerated() {
                group.addTask { handle.send(to: id, binary: Array("task \(index)".utf8)) }
            }
        }
        for (index, client) in clients.enumerated() {
            XCTAssertEqual(try client.readFrame().text, "thread \(index)")
            let frame = try client.readFrame()
            XCTAssertEqual(frame.opcode, 0x2)
            XCTAssertEqual(frame.text, "task \(index)")
        }
        XCTAssertTrue(handle.isOpen(ids[0]))
        XCTAssertTrue(handle.close(ids[0], code: .goingAway, reason: "admin"))
        XCTAssertEqual(try clients[0].readFrame().closeCode, 1001)
        try clients[0].sendClose(1001)
        XCTAssertTrue(clients[0].socket.waitForClose())
        XCTAssertFalse(handle.isOpen(ids[0]))
        XCTAssertFalse(handle.send(to: ids[0], text: "too late"), "a push to a closed connection reports it")
    }

    func testServerHandleSubscribesAndPublishes() throws {
        let directory = IDDirectory()
        let server = try makeServer(workers: 2, directory: directory)
        let handle = try XCTUnwrap(server.server.handle)
        let client = try TestWebSocket(port: server.port("ws"))
        try client.send(text: "name:a")
        XCTAssertEqual(try client.readFrame().text, "named")
        let id = try XCTUnwrap(directory["a"])
        XCTAssertTrue(handle.subscribe(id, to: "news"))
        // Subscription is handled by the owning worker; a push after it is ordered after it.
        handle.send(to: id, text: "subscribed")
        XCTAssertEqual(try client.readFrame().text, "subscribed")
        handle.publish("news", text: "extra")
        XCTAssertEqual(try client.readFrame().text, "extra")
        XCTAssertTrue(handle.unsubscribe(id, from: "news"))
        handle.send(to: id, text: "unsubscribed")
        XCTAssertEqual(try client.readFrame().text, "unsubscribed")
        handle.publish("news", text: "not for you")
        handle.send(to: id, text: "last")
        XCTAssertEqual(try client.readFrame().text, "last")
    }

    func testConnectionClosedWhileMessagesAreInFlight() throws {
        let server = try makeServer(workers: 4)
        let handle = try XCTUnwrap(server.server.handle)
        var members: [TestWebSocket] = []
        for _ in 0..<20 {
            let client = try TestWebSocket(port: server.port("ws"))
            _ = try join(client, "busy")
            members.append(client)
        }
        let publisher = Thread {
            for index in 0..<2000 { handle.publish("busy", text: "m\(index)") }
        }
        publisher.start()
        // Half the members vanish abruptly (reset) while the publisher runs.
        for member in members[..<10] { member.socket.reset() }
        while !publisher.isFinished { usleep(5_000) }
        for member in members[10...] {
            for index in 0..<2000 { XCTAssertEqual(try member.readFrame().text, "m\(index)") }
        }
        let deadline = MonotonicClock.now() + 3000
        while server.server.connectionCount != 10 && MonotonicClock.now() < deadline { usleep(10_000) }
        XCTAssertEqual(server.server.connectionCount, 10)
        for member in members[10...] {
            try member.send(text: "leave:busy")
            XCTAssertEqual(try member.readFrame().text, "left")
        }
        XCTAssertNil(server.server.handle.map { $0.messenger.topics.lookup("busy") } ?? nil, "the topic is gone with its last member")
    }
}
