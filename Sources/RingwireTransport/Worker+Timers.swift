/// An action to run on its worker's thread once the worker's clock reaches `at`.
struct WorkerTimer {
    let at: Int64
    let action: () -> Void
}

/// Timers that belong to no connection (a Redis client's reconnect backoff, which runs while it
/// has none). Connections' own deadlines use the wheel; these are few (one per client waiting to
/// reconnect), so a plain array scanned per loop turn costs less than a structure would.
extension Worker {
    /// Runs `action` on this worker's thread in the first loop turn at or after `deadline`
    /// (monotonic milliseconds, as `now`), however the worker is woken until then. Timers still
    /// waiting when the worker stops are dropped.
    package func schedule(at deadline: Int64, _ action: @escaping () -> Void) {
        assertConfined()
        timers.append(WorkerTimer(at: deadline, action: action))
    }

    /// Runs the timers that are due; those they schedule wait at least for the next turn.
    func fireTimers() {
        guard timers.contains(where: { $0.at <= now }) else { return }
        let due = timers.filter { $0.at <= now }
        timers.removeAll { $0.at <= now }
        for timer in due { timer.action() }
    }

    /// When the next timer is due, if any.
    func nextTimer() -> Int64? {
        timers.lazy.map(\.at).min()
    }
}
