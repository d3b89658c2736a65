import Ringwire
import Synchronization

/// Who is in which room, over all workers, behind one lock that every worker shares.
///
/// So the lock never waits on a client's input, the work under it is a few hash-table operations on
/// keys of bounded size (names at most 64 bytes, rooms 64): no sorting, no encoding, no copying of a
/// member list (`members(of:)` hands out a copy-on-write snapshot; a change to that room while the
/// snapshot lives copies its table, at most `maximumMembersPerRoom` entries). Messages never come
/// here: they go through pub/sub.
final class ChatRooms: Sendable {
    /// A room's welcome lists every member, so this bounds its size (about 70 KB of names at most)
    /// and the cost of building it; a room this full refuses further joins.
    static let maximumMembersPerRoom = 1000

    /// A room's members: connection by name (names are unique in a room).
    typealias Members = [String: ConnectionID]

    /// The outcome of `join`.
    enum JoinResult: Equatable {
        case joined
        case nameTaken
        case roomFull
    }

    private let rooms = Mutex<[String: Members]>([:])

    /// Adds `id` as `name` to `room` and, in the same step, removes its `previous` membership (a
    /// rename or a move): a refused join leaves the member where it was.
    func join(_ room: String, name: String, id: ConnectionID, leaving previous: (room: String, name: String)?) -> JoinResult {
        rooms.withLock { rooms in
            if let owner = rooms[room]?[name], owner != id { return .nameTaken }
            if previous?.room != room, rooms[room]?.count ?? 0 >= Self.maximumMembersPerRoom { return .roomFull }
            if let previous { Self.remove(previous.name, id: id, from: previous.room, in: &rooms) }
            rooms[room, default: [:]][name] = id
            return .joined
        }
    }

    /// Removes `id`, known as `name`, from `room`.
    func leave(_ room: String, name: String, id: ConnectionID) {
        rooms.withLock { Self.remove(name, id: id, from: room, in: &$0) }
    }

    /// The members of `room` now: a snapshot taken in constant time, to sort or encode outside the lock.
    func members(of room: String) -> Members {
        rooms.withLock { $0[room] ?? [:] }
    }

    private static func remove(_ name: String, id: ConnectionID, from room: String, in rooms: inout [String: Members]) {
        guard rooms[room]?[name] == id else { return }
        rooms[room]?[name] = nil
        if rooms[room]?.isEmpty == true { rooms[room] = nil }
    }
}
