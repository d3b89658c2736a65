import Foundation

/// Runs `count` client bodies on threads of their own, all at once, and collects their failures.
///
/// Dedicated threads (not a dispatch pool sized to the cores) so that every client really is in
/// flight at the same time even while others block in `send`/`recv`.
enum ConcurrentClients {
    /// The error of each client that threw, by index; `timedOut` if some did not finish in `timeout` seconds.
    static func run(_ count: Int, timeout: Double, _ body: @escaping @Sendable (Int) throws -> Void) -> (
        failures: [Int: String], timedOut: Bool
    ) {
        let results = ClientResults()
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                do {
                    try body(index)
                } catch {
                    results.record(index, "\(error)")
                }
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        let timedOut = group.wait(timeout: .now() + timeout) == .timedOut
        return (results.failures, timedOut)
    }

    /// Starts `count` clients; returns accessors for their failures and whether they ended in time
    /// (each accessor waits up to 30 s for the clients to end).
    static func start(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) -> (
        failures: () -> [Int: String], timedOut: () -> Bool
    ) {
        let results = ClientResults()
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            Thread {
                do {
                    try body(index)
                } catch {
                    results.record(index, "\(error)")
                }
                group.leave()
            }.start()
        }
        let ended = { group.wait(timeout: .now() + 30) == .success }
        return (
            {
                _ = ended()
                return results.failures
            }, { !ended() }
        )
    }
}

/// Failures recorded by client threads.
final class ClientResults: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Int: String] = [:]

    func record(_ index: Int, _ failure: String) {
        lock.lock()
        stored[index] = failure
        lock.unlock()
    }

    var failures: [Int: String] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

/// A number one thread advances and another reads.
final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = 0

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    func set(_ newValue: Int) {
        lock.lock()
        stored = newValue
        lock.unlock()
    }
}
