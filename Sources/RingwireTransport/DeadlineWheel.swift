/// A worker's connection deadlines in a hashed timing wheel of 50 ms ticks, so that a loop turn
/// looks only at the connections whose tick has come instead of scanning every connection (with a
/// million idle WebSockets pinged every two minutes some deadline passes every tick, and a scan of
/// them all every 50 ms would take about a quarter of a core).
///
/// Lazy, so that pushing a deadline later costs nothing: the per-message idle-timeout refresh only
/// stores the new deadline, and the connection keeps its entry. When an entry comes due, the worker
/// checks the connection's deadline then and schedules it again if it moved. A deadline moved
/// earlier gets a new entry; the one left behind is stale (its tick is no longer the connection's)
/// and skipped when it comes due. Memory: one 8-byte entry per connection with a deadline.
///
/// Confined to its worker's thread.
struct DeadlineWheel {
    /// No generation: an entry outliving its connection is only acted on if the slot's current
    /// connection has its own entry at that very tick, and then it does what that one would.
    struct Entry {
        package let slot: UInt32
        /// The tick at which this entry is due.
        let tick: UInt32
    }

    static let tickMilliseconds: Int64 = 50
    /// Buckets per revolution (204.8 s of ticks); a later tick waits in its bucket for more laps.
    static let bucketCount = 4096

    private var buckets: [[Entry]]
    /// Bit `b` set while bucket `b` holds entries, to find the next one to wake for.
    private var occupied: [UInt64]
    /// Milliseconds of tick 0; ticks count from the wheel's creation so they fit 32 bits.
    private let origin: Int64
    /// Every tick up to this one has been handed out.
    private var processedTick: UInt32 = 0
    /// Entries held, stale ones included.
    package private(set) var count = 0

    package init(now: Int64) {
        buckets = Array(repeating: [], count: Self.bucketCount)
        occupied = Array(repeating: 0, count: Self.bucketCount / 64)
        origin = now
    }

    /// The first tick at or after `deadline` (milliseconds), never one already handed out.
    func tick(for deadline: Int64) -> UInt32 {
        let ticks = (deadline - origin + Self.tickMilliseconds - 1) / Self.tickMilliseconds
        return UInt32(clamping: max(ticks, Int64(processedTick) + 1))
    }

    mutating func schedule(_ entry: Entry) {
        let bucket = Int(entry.tick) & (Self.bucketCount - 1)
        buckets[bucket].append(entry)
        occupied[bucket >> 6] |= 1 << UInt64(bucket & 63)
        count += 1
    }

    /// Moves every entry due by `now` (milliseconds) into `due`, tick by tick. Entries scheduled
    /// afterwards land on later ticks (`tick(for:)` never returns one already handed out).
    mutating func takeDue(now: Int64, into due: inout [Entry]) {
        let current = currentTick(now)
        guard count > 0 else {
            processedTick = max(processedTick, current)
            return
        }
        // After a long stall one revolution visits every bucket; later laps wait in theirs.
        var tick = max(processedTick, current >= UInt32(Self.bucketCount) ? current - UInt32(Self.bucketCount) : 0)
        while tick < current {
            tick += 1
            let bucket = Int(tick) & (Self.bucketCount - 1)
            guard occupied[bucket >> 6] & (1 << UInt64(bucket & 63)) != 0 else { continue }
            var entries: [Entry] = []
            swap(&entries, &buckets[bucket])
            occupied[bucket >> 6] &= ~(1 << UInt64(bucket & 63))
            count -= entries.count
            for entry in entries {
                if entry.tick <= current { due.append(entry) } else { schedule(entry) }
            }
        }
        processedTick = max(processedTick, current)
    }

    /// When the next occupied bucket comes due (milliseconds), or nil when the wheel is empty. May be
    /// early (the bucket may hold only later laps), never late.
    func nextDue() -> Int64? {
        guard count > 0 else { return nil }
        let mask = Self.bucketCount - 1
        let start = Int(processedTick &+ 1) & mask
        var distance = 0
        while distance < Self.bucketCount {
            let bucket = (start + distance) & mask
            let bits = occupied[bucket >> 6] >> UInt64(bucket & 63)
            if bits != 0 {
                let found = min(distance + bits.trailingZeroBitCount, Self.bucketCount - 1)
                return origin + (Int64(processedTick) + 1 + Int64(found)) * Self.tickMilliseconds
            }
            distance += 64 - (bucket & 63)  // the rest of this word is empty
        }
        return origin + (Int64(processedTick) + 1) * Self.tickMilliseconds
    }

    private func currentTick(_ now: Int64) -> UInt32 {
        UInt32(clamping: (now - origin) / Self.tickMilliseconds)
    }
}
