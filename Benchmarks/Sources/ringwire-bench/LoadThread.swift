import CLiburing
import Glibc
import Histogram
import Synchronization

/// What the benchmark measures.
enum Scenario: String, Codable, Sendable, CaseIterable {
    /// C connections each keeping K messages of S bytes in flight; throughput and latency.
    case echo
    /// Connect, upgrade, close, repeat on C parallel lanes; upgrades per second.
    case handshake
    /// Hold C upgraded connections idle; server memory per connection.
    case idle
    /// Connection 0 publishes S-byte messages at a fixed rate to a room the other C - 1 connections
    /// are in (`/broadcast` of the ringwire binary): deliveries/s and publish-to-delivery latency.
    case broadcast
}

/// Settings every load thread shares.
struct LoadSettings: Sendable {
    var scenario: Scenario
    var host: String
    var port: Int
    var path: String
    var messageSize: Int
    var inFlight: Int
    /// Broadcast: messages per second the publisher sends.
    var publishRate: Int
    var raw: Bool
    /// Connections in connect or upgrade at once, per thread (bounds the accept backlog).
    var maxConnecting: Int
    /// The measured window on the monotonic clock; messages completing inside it are counted.
    var windowStart: UInt64
    var windowEnd: UInt64
    /// No thread runs past this, whatever happens.
    var hardDeadline: UInt64
}

/// State shared between the main thread and the load threads.
final class LoadControl: Sendable {
    /// Set by the main thread to end idle runs.
    let stop = Atomic<Bool>(false)
    /// Connections that completed their upgrade (or TCP connect in raw mode), over all threads.
    let established = Atomic<Int>(0)
}

/// One client connection of a load thread.
final class ClientConnection {
    enum Phase {
        case waiting, connecting, upgrading, open, closing, finished
    }

    var phase = Phase.waiting
    var fd: Int32 = -1
    /// Bumped for every new socket in this slot, so completions of an earlier socket are ignored.
    var generation: UInt32 = 0
    var recvInFlight = false
    var connectInFlight = false
    var sendBase: UnsafeRawPointer?
    var sendLength = 0
    var sendOffset = 0
    /// Echo messages due to be sent (one per echo received, up to K).
    var owed = 0
    var isDirty = false
    var scanner: ServerFrameScanner
    /// The upgrade response while it arrives.
    var responseHead: [UInt8] = []
    var startedAt: UInt64 = 0
    /// FIFO of send times of the messages in flight, in the thread's timestamp table.
    var timestampHead = 0
    var timestampCount = 0

    init(rawMessageSize: Int) {
        scanner = ServerFrameScanner(rawMessageSize: rawMessageSize)
    }

    var hasOperations: Bool { recvInFlight || connectInFlight || sendBase != nil }
}

/// What one thread measured.
struct ThreadResult: Sendable {
    var messages = 0
    var upgrades = 0
    var errors = 0
    var lastError: Int32 = 0
    var latency = Histogram<UInt64>(
        lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
}

/// A load-generator thread: one io_uring ring driving its share of the connections. Each loop turn
/// submits everything queued (sends, re-armed receives) with one `io_uring_submit_and_wait_timeout`.
final class LoadThread: @unchecked Sendable {
    private enum Operation: UInt64 {
        case connect = 1
        case send = 2
        case recv = 3
    }

    private let settings: LoadSettings
    private let control: LoadControl
    private let messages: ClientMessages
    private let ring: UnsafeMutablePointer<io_uring>
    private let cqes: UnsafeMutablePointer<UnsafeMutablePointer<io_uring_cqe>?>
    private static let cqeBatch = 1024
    private let address: UnsafeMutablePointer<sockaddr_in>
    private var connections: [ClientConnection]
    private let receiveBuffers: UnsafeMutableRawPointer
    private let receiveBufferSize: Int
    private let timestamps: UnsafeMutablePointer<UInt64>
    private var dirty: [Int] = []
    private var waiting: [Int] = []
    private var connecting = 0
    private var now: UInt64 = 0
    /// Broadcast: when publishing started (all subscribers connected), messages published so far,
    /// and the send time of each, by sequence number (subscribers receive them in order).
    private var publishStart: UInt64?
    private var published = 0
    private static let publishTimeSlots = 1 << 16
    private let publishTimes = UnsafeMutablePointer<UInt64>.allocate(capacity: LoadThread.publishTimeSlots)
    private(set) var result = ThreadResult()

    init(settings: LoadSettings, control: LoadControl, connectionCount: Int) {
        self.settings = settings
        self.control = control
        messages = ClientMessages(
            messageSize: settings.messageSize, inFlight: settings.inFlight, raw: settings.raw,
            host: settings.host, port: settings.port, path: settings.path)
        ring = .allocate(capacity: 1)
        cqes = .allocate(capacity: Self.cqeBatch)

        address = .allocate(capacity: 1)
        address.pointee = sockaddr_in()
        address.pointee.sin_family = sa_family_t(AF_INET)
        address.pointee.sin_port = in_port_t(UInt16(settings.port).bigEndian)
        _ = inet_pton(AF_INET, settings.host, &address.pointee.sin_addr)

        let rawSize = settings.raw ? settings.messageSize : 0
        connections = (0..<connectionCount).map { _ in ClientConnection(rawMessageSize: rawSize) }
        // Echo connections get room for everything in flight; idle/handshake ones only need a head.
        receiveBufferSize = settings.scenario == .echo || settings.scenario == .broadcast ? 64 * 1024 : 4096
        receiveBuffers = .allocate(byteCount: receiveBufferSize * max(connectionCount, 1), alignment: 64)
        timestamps = .allocate(capacity: max(connectionCount * settings.inFlight, 1))
        waiting = Array((0..<connectionCount).reversed())
    }

    /// Runs the scenario until its end (echo, handshake) or until told to stop (idle).
    func run() {
        // SINGLE_ISSUER ties the ring to the thread that creates it: create it here, not in init.
        let status = Self.setUpRing(ring)
        guard status == 0 else {
            record(error: -status)
            return
        }
        now = ProcessProbe.nowNanoseconds()
        startConnections()
        loop: while true {
            var timeout = __kernel_timespec(tv_sec: 0, tv_nsec: 20_000_000)
            var cqe: UnsafeMutablePointer<io_uring_cqe>?
            _ = io_uring_submit_and_wait_timeout(ring, &cqe, 1, &timeout, nil)
            now = ProcessProbe.nowNanoseconds()
            drainCompletions()
            if settings.scenario == .broadcast { publishDue() }
            flushSends()
            if now >= settings.hardDeadline { break loop }
            switch settings.scenario {
            case .echo, .handshake, .broadcast:
                if now >= settings.windowEnd { break loop }
            case .idle:
                if control.stop.load(ordering: .relaxed) { break loop }
            }
            if settings.scenario == .idle || settings.scenario == .handshake { startConnections() }
        }
        teardown()
    }

    private static func setUpRing(_ ring: UnsafeMutablePointer<io_uring>) -> Int32 {
        var params = io_uring_params()
        params.flags = UInt32(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN) | UInt32(IORING_SETUP_CQSIZE)
        params.cq_entries = 32768
        var status = io_uring_queue_init_params(4096, ring, &params)
        if status == -EINVAL {
            params = io_uring_params()
            params.flags = UInt32(IORING_SETUP_CQSIZE)
            params.cq_entries = 32768
            status = io_uring_queue_init_params(4096, ring, &params)
        }
        return status
    }

    private var running: Bool { now < settings.windowEnd }
    private var inWindow: Bool { now >= settings.windowStart && now < settings.windowEnd }

    // MARK: - Submissions

    private func nextSQE() -> UnsafeMutablePointer<io_uring_sqe> {
        while true {
            if let sqe = io_uring_get_sqe(ring) { return sqe }
            _ = io_uring_submit(ring)
        }
    }

    private func tag(_ index: Int, _ connection: ClientConnection, _ operation: Operation) -> UInt64 {
        UInt64(index) << 32 | UInt64(connection.generation & 0xFF_FFFF) << 8 | operation.rawValue
    }

    /// Opens sockets for waiting connections, at most `maxConnecting` at a time.
    private func startConnections() {
        while connecting < settings.maxConnecting, let index = waiting.popLast() {
            let connection = connections[index]
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                record(error: errno)
                if settings.scenario == .handshake { waiting.insert(index, at: 0) }
                return
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            connection.fd = fd
            connection.generation &+= 1
            connection.phase = .connecting
            connection.connectInFlight = true
            connection.responseHead.removeAll(keepingCapacity: true)
            connection.scanner = ServerFrameScanner(rawMessageSize: settings.raw ? settings.messageSize : 0)
            connection.timestampCount = 0
            connection.owed = 0
            connection.startedAt = now
            connecting += 1
            address.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                let sqe = nextSQE()
                io_uring_prep_connect(sqe, fd, pointer, socklen_t(MemoryLayout<sockaddr_in>.size))
                io_uring_sqe_set_data64(sqe, tag(index, connection, .connect))
            }
        }
    }

    private func armReceive(_ index: Int, _ connection: ClientConnection) {
        let sqe = nextSQE()
        io_uring_prep_recv(sqe, connection.fd, receiveBuffers + index * receiveBufferSize, receiveBufferSize, 0)
        io_uring_sqe_set_data64(sqe, tag(index, connection, .recv))
        connection.recvInFlight = true
    }

    private func send(_ index: Int, _ connection: ClientConnection, _ bytes: UnsafeRawPointer, _ length: Int) {
        connection.sendBase = bytes
        connection.sendLength = length
        connection.sendOffset = 0
        submitSend(index, connection)
    }

    private func submitSend(_ index: Int, _ connection: ClientConnection) {
        guard let base = connection.sendBase else { return }
        let sqe = nextSQE()
        io_uring_prep_send(
            sqe, connection.fd, base + connection.sendOffset, connection.sendLength - connection.sendOffset, Int32(MSG_NOSIGNAL))
        io_uring_sqe_set_data64(sqe, tag(index, connection, .send))
    }

    /// Sends what each touched connection owes, as one send per connection per loop turn.
    private func flushSends() {
        guard !dirty.isEmpty else { return }
        for index in dirty {
            let connection = connections[index]
            connection.isDirty = false
            guard connection.phase == .open, connection.sendBase == nil, connection.owed > 0 else { continue }
            let count = connection.owed
            connection.owed = 0
            let base = index * settings.inFlight
            for _ in 0..<count {
                timestamps[base + (connection.timestampHead + connection.timestampCount) % settings.inFlight] = now
                connection.timestampCount += 1
            }
            send(index, connection, UnsafeRawPointer(messages.echoBlock.baseAddress.unsafelyUnwrapped), count * messages.echoMessageLength)
        }
        dirty.removeAll(keepingCapacity: true)
    }

    private func markDirty(_ index: Int, _ connection: ClientConnection) {
        if !connection.isDirty {
            connection.isDirty = true
            dirty.append(index)
        }
    }

    // MARK: - Completions

    private func drainCompletions() {
        while true {
            let count = Int(io_uring_peek_batch_cqe(ring, cqes, UInt32(Self.cqeBatch)))
            if count == 0 {
                if io_uring_cq_has_overflow(ring) {
                    _ = io_uring_get_events(ring)
                    continue
                }
                return
            }
            for slot in 0..<count {
                guard let cqe = cqes[slot] else { continue }
                complete(userData: cqe.pointee.user_data, result: cqe.pointee.res)
            }
            io_uring_cq_advance(ring, UInt32(count))
        }
    }

    private func complete(userData: UInt64, result: Int32) {
        let index = Int(userData >> 32)
        guard index < connections.count, let operation = Operation(rawValue: userData & 0xFF) else { return }
        let connection = connections[index]
        guard UInt32(truncatingIfNeeded: userData >> 8) & 0xFF_FFFF == connection.generation & 0xFF_FFFF else { return }
        switch operation {
        case .connect:
            connection.connectInFlight = false
            if result < 0 {
                fail(index, connection, error: -result)
            } else {
                connected(index, connection)
            }
        case .send:
            if result < 0 {
                connection.sendBase = nil
                fail(index, connection, error: -result)
            } else {
                connection.sendOffset += Int(result)
                if connection.sendOffset < connection.sendLength {
                    submitSend(index, connection)
                } else {
                    connection.sendBase = nil
                    if connection.owed > 0 { markDirty(index, connection) }
                }
            }
        case .recv:
            connection.recvInFlight = false
            if result < 0 {
                fail(index, connection, error: -result)
            } else if result == 0 {
                endOfStream(index, connection)
            } else {
                received(index, connection, receiveBuffers + index * receiveBufferSize, Int(result))
                if connection.phase != .finished { armReceive(index, connection) }
            }
        }
        if connection.phase == .finished && !connection.hasOperations { retire(index, connection) }
    }

    private func connected(_ index: Int, _ connection: ClientConnection) {
        armReceive(index, connection)
        if settings.raw {
            established(index, connection)
        } else {
            connection.phase = .upgrading
            send(index, connection, UnsafeRawPointer(messages.upgradeRequest.baseAddress.unsafelyUnwrapped), messages.upgradeRequest.count)
        }
    }

    /// The connection is usable: upgraded, or TCP-connected in raw mode.
    private func established(_ index: Int, _ connection: ClientConnection) {
        if !settings.raw {
            if inWindow { result.upgrades += 1 }
            if settings.scenario == .handshake && inWindow { _ = result.latency.record(now &- connection.startedAt) }
        }
        connecting -= 1
        _ = control.established.wrappingAdd(1, ordering: .relaxed)
        switch settings.scenario {
        case .echo:
            connection.phase = .open
            connection.owed = settings.inFlight
            markDirty(index, connection)
        case .broadcast:
            connection.phase = .open
        case .handshake:
            connection.phase = .closing
            send(index, connection, UnsafeRawPointer(messages.closeFrame.baseAddress.unsafelyUnwrapped), messages.closeFrame.count)
        case .idle:
            connection.phase = .open
        }
    }

    private func received(_ index: Int, _ connection: ClientConnection, _ bytes: UnsafeMutableRawPointer, _ count: Int) {
        var start = 0
        if connection.phase == .upgrading {
            connection.responseHead.append(contentsOf: UnsafeRawBufferPointer(start: bytes, count: count))
            guard let end = Self.headEnd(connection.responseHead) else {
                if connection.responseHead.count > 8192 { fail(index, connection, error: EPROTO) }
                return
            }
            guard connection.responseHead.starts(with: Array("HTTP/1.1 101".utf8)) else {
                fail(index, connection, error: EPROTO)
                return
            }
            start = count - (connection.responseHead.count - end)
            connection.responseHead.removeAll(keepingCapacity: true)
            established(index, connection)
        }
        guard start < count else { return }
        connection.scanner.feed(bytes + start, count - start) { opcode in
            message(index, connection, opcode: opcode)
        }
    }

    /// Index just past the blank line ending an HTTP head, if it has arrived.
    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3..<bytes.count
        where bytes[index] == 0x0A && bytes[index - 1] == 0x0D && bytes[index - 2] == 0x0A && bytes[index - 3] == 0x0D {
            return index + 1
        }
        return nil
    }

    @inline(__always)
    private func message(_ index: Int, _ connection: ClientConnection, opcode: UInt8) {
        if settings.scenario == .broadcast, opcode == 1 || opcode == 2 {
            delivered(index, connection)
            return
        }
        switch opcode {
        case 0, 1, 2:
            guard connection.timestampCount > 0 else { return }
            let sentAt = timestamps[index * settings.inFlight + connection.timestampHead]
            connection.timestampHead = (connection.timestampHead + 1) % settings.inFlight
            connection.timestampCount -= 1
            if inWindow {
                result.messages += 1
                _ = result.latency.record(now &- sentAt)
            }
            if running && connection.phase == .open {
                connection.owed += 1
                markDirty(index, connection)
            }
        case 8:
            // The server's close: expected after ours (handshake); otherwise it ended the connection.
            if connection.phase != .closing {
                record(error: ECONNABORTED)
                connection.phase = .closing
            }
        default:
            break
        }
    }

    // MARK: - Broadcast

    /// Sends the publisher's messages due by now at `publishRate`, once every subscriber is in the
    /// room, as one send per loop turn (at most `inFlight` messages, the size of the message block).
    private func publishDue() {
        guard running else { return }
        if publishStart == nil {
            guard control.established.load(ordering: .relaxed) >= connections.count else { return }
            publishStart = now
        }
        guard let start = publishStart, let publisher = connections.first, publisher.phase == .open,
            publisher.sendBase == nil
        else { return }
        let due = Int((now &- start) * UInt64(settings.publishRate) / 1_000_000_000) - published
        let count = min(due, settings.inFlight)
        guard count > 0 else { return }
        for _ in 0..<count {
            publishTimes[published % Self.publishTimeSlots] = now
            published += 1
        }
        send(0, publisher, UnsafeRawPointer(messages.echoBlock.baseAddress.unsafelyUnwrapped), count * messages.echoMessageLength)
    }

    /// A subscriber received the next message in publish order.
    private func delivered(_ index: Int, _ connection: ClientConnection) {
        guard index != 0 else { return }
        let sequence = connection.timestampHead
        connection.timestampHead += 1
        guard sequence < published, inWindow else { return }
        result.messages += 1
        _ = result.latency.record(now &- publishTimes[sequence % Self.publishTimeSlots])
    }

    private func endOfStream(_ index: Int, _ connection: ClientConnection) {
        if connection.phase != .closing && running { record(error: ECONNRESET) }
        // A close during the handshake frees its setup slot, as a failure does.
        if connection.phase == .connecting || connection.phase == .upgrading { connecting -= 1 }
        connection.phase = .finished
    }

    private func fail(_ index: Int, _ connection: ClientConnection, error: Int32) {
        if running { record(error: error) }
        if connection.phase == .connecting || connection.phase == .upgrading { connecting -= 1 }
        connection.phase = .finished
        // Wakes any receive still pending on the socket so the slot can be retired.
        if connection.fd >= 0 { shutdown(connection.fd, Int32(SHUT_RDWR)) }
    }

    private func record(error: Int32) {
        result.errors += 1
        result.lastError = error
    }

    /// Closes a finished connection; handshake lanes start over while the run lasts.
    private func retire(_ index: Int, _ connection: ClientConnection) {
        close(connection.fd)
        connection.fd = -1
        connection.phase = .waiting
        if settings.scenario == .handshake && running { waiting.append(index) }
    }

    private func teardown() {
        publishTimes.deallocate()
        io_uring_queue_exit(ring)
        for connection in connections where connection.fd >= 0 { close(connection.fd) }
    }
}
