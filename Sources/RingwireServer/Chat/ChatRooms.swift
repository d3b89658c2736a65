import Ringwire
import Synchronization

/// Who is in which room, over all workers: presence changes are rare (join/leave), so a lock is fine
/// here; messages themselves go through pub/sub without it.
final class ChatRooms: Sendable {
    private let rooms = Mutex<[String: [ConnectionID: String]]>([:])

    /// Adds `name` to `room`; nil if the name is taken there. Returns the members, sorted.
    func join(_ room: String, id: ConnectionID, name: String) -> [String]? {
        rooms.withLock { rooms in
            var members = rooms[room, default: [:]]
            if members.contains(where: { $0.key != id && $0.value == name }) { return nil }
            members[id] = name
            rooms[room] = members
            return members.values.sorted()
        }
    }

    /// Removes `id` from `room`; returns the members left.
    func leave(_ room: String, id: ConnectionID) -> [String] {
        rooms.withLock { rooms in
            rooms[room]?[id] = nil
            if rooms[room]?.isEmpty == true { rooms[room] = nil }
            return rooms[room]?.values.sorted() ?? []
        }
    }
}
