import Glibc
import Logging
import RingwireTestSupport

@testable import Ringwire
@_spi(RingwireInternal) @testable import RingwireTransport

/// A `RedisClientHost` the test drives: connects wait until the test accepts (a harness connection)
/// or refuses them, and timers fire only when the test advances the clock.
final class ManualRedisHost: RedisClientHost {
    typealias Connection = InMemoryConnection

    private struct PendingConnect {
        let makeSession: (InMemoryConnection) -> any ConnectionSession
        let onFailure: (OutboundConnectError) -> Void
    }

    private(set) var now: Int64 = 1_000_000
    private var pending: [PendingConnect] = []
    private var timers: [(at: Int64, action: () -> Void)] = []
    /// Every line logged, in order.
    private(set) var logged: [String] = []

    /// Connects asked for and not yet accepted or refused.
    var pendingConnects: Int { pending.count }

    func connect(
        to address: PeerAddress, makeSession: @escaping (InMemoryConnection) -> any ConnectionSession,
        onFailure: @escaping (OutboundConnectError) -> Void
    ) {
        pending.append(PendingConnect(makeSession: makeSession, onFailure: onFailure))
    }

    /// The oldest pending connect succeeds: its session starts on a harness connection.
    func acceptConnect() -> InMemoryConnection {
        let connect = pending.removeFirst()
        return InMemoryConnection(now: now) { connect.makeSession($0) }
    }

    /// The oldest pending connect fails with `error`.
    func refuseConnect(_ error: OutboundConnectError = .connectFailed(errno: ECONNREFUSED)) {
        pending.removeFirst().onFailure(error)
    }

    func schedule(at deadline: Int64, _ action: @escaping () -> Void) {
        timers.append((deadline, action))
    }

    /// Moves the clock on by `milliseconds`, firing the timers due on the way in their order.
    func advance(by milliseconds: Int64) {
        let target = now + milliseconds
        while let next = timers.indices.filter({ timers[$0].at <= target }).min(by: { timers[$0].at < timers[$1].at }) {
            let timer = timers.remove(at: next)
            now = max(now, timer.at)
            timer.action()
        }
        now = target
    }

    func log(_ kind: ThrottledLog.Kind, _ level: Logger.Level, _ message: @autoclosure () -> Logger.Message) {
        logged.append("\(message())")
    }

    func assertConfined() {}
}
