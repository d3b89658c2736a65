@_spi(RingwireInternal) import RingwireCodecs
import RingwireTestSupport
import XCTest

@testable import Ringwire
@_spi(RingwireInternal) @testable import RingwireTransport

/// `RedisClient` on a real worker ring against a real `redis-server` that drops it: a killed
/// connection and a server stopped and started again on its port.
final class RedisClientEndToEndTests: XCTestCase {
    private typealias Client = RedisClient<Worker>
    private typealias Reply = Result<RESPValue, RedisClientError>

    /// A client on `worker` for the server on `port`, started.
    private func startClient(
        on worker: RunningWorker, port: UInt16, _ configure: @escaping @Sendable (inout RedisClientConfiguration) -> Void = { _ in }
    ) throws -> WorkerConfined<Client> {
        let url = try RedisURL("redis://127.0.0.1:\(port)")
        let address = try XCTUnwrap(PeerAddress(numericHost: url.host, port: url.port))
        let box = WorkerConfined<Client>()
        worker.post { worker in
            var configuration = RedisClientConfiguration()
            configure(&configuration)
            box.value = Client(url: url, address: address, host: worker, configuration: configuration)
            box.value?.start()
        }
        addTeardownBlock { worker.post { _ in box.value?.stop() } }
        return box
    }

    /// Sends `commands` in one loop turn and waits for their replies, in sending order.
    private func run(_ commands: [[RESPArgument]], on worker: RunningWorker, client box: WorkerConfined<Client>) -> [Reply] {
        let replies = Handoff<(Int, Reply)>()
        worker.post { _ in
            for (index, command) in commands.enumerated() { box.value?.send(command) { replies.put((index, $0)) } }
        }
        let received = replies.wait(for: commands.count)
        XCTAssertEqual(received.count, commands.count, "every command answered")
        return received.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Whether the client, asked on the worker's thread, has no connection within 1,000 loop turns.
    private func isDisconnected(_ box: WorkerConfined<Client>, on worker: RunningWorker) -> Bool {
        for _ in 0..<1000 {
            let answer = Handoff<Bool>()
            worker.post { _ in
                switch box.value?.state {
                case .disconnected, .connecting: answer.put(true)
                case .handshaking, .ready, .stopped, nil: answer.put(false)
                }
            }
            if answer.wait(for: 1) == [true] { return true }
        }
        return false
    }

    func testAKilledConnectionFailsWhatWasWrittenThenReconnectsAndServesAgain() throws {
        let redis = try startRedis()
        let worker = RunningWorker()
        addTeardownBlock { worker.stop() }
        let client = try startClient(on: worker, port: redis.port)
        let killer = try startClient(on: worker, port: redis.port)
        XCTAssertEqual(run([["PING"]], on: worker, client: client), [.success(.simpleString("PONG"))])
        XCTAssertEqual(run([["CLIENT", "SETNAME", "killer"]], on: worker, client: killer), [.success(.simpleString("OK"))])

        let blocked = Handoff<Reply>()
        worker.post { _ in client.value?.send(["BLPOP", "never", "0"]) { blocked.put($0) } }
        XCTAssertEqual(run([["CLIENT", "KILL", "TYPE", "normal"]], on: worker, client: killer), [.success(.integer(1))], "skips itself")
        XCTAssertEqual(blocked.wait(for: 1), [.failure(.connectionClosed)], "written, so failed: its outcome is unknown")
        XCTAssertEqual(
            run([["SET", "k", "v"], ["GET", "k"]], on: worker, client: client),
            [.success(.simpleString("OK")), .success(.bulkString(Array("v".utf8)))])
    }

    func testAStoppedServerFillsTheQueueThenTheQueuedCommandsRunOnceItIsBack() throws {
        let redis = try startRedis()
        let port = redis.port
        let worker = RunningWorker()
        addTeardownBlock { worker.stop() }
        let client = try startClient(on: worker, port: port) {
            $0.maximumQueuedCommands = 3
            $0.maximumBackoff = .milliseconds(100)
        }
        XCTAssertEqual(run([["PING"]], on: worker, client: client), [.success(.simpleString("PONG"))])
        redis.stop()
        XCTAssertTrue(isDisconnected(client, on: worker), "the close seen, so the next commands are queued, not written")

        let replies = Handoff<(Int, Reply)>()
        worker.post { _ in
            for index in 0..<4 { client.value?.send(["INCR", "n"]) { replies.put((index, $0)) } }
        }
        XCTAssertEqual(replies.wait(for: 1).first?.1, .failure(.queueFull), "the fourth, at once")
        _ = try startRedis(["--port", String(port)])  // the last --port wins: the same port again
        let all = replies.wait(for: 4).sorted { $0.0 < $1.0 }
        XCTAssertEqual(all.map(\.1), [.success(.integer(1)), .success(.integer(2)), .success(.integer(3)), .failure(.queueFull)])
    }
}
