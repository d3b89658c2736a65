/// What the chat server sends (README, "The chat room"): encoded once, then sent or published as text.
enum ChatEvent: Equatable {
    /// You joined `room`; `members` are everyone there now, you included. The only event with the
    /// member list: clients keep it from here on with `presence` events.
    case welcome(room: String, name: String, members: [String])
    /// `name` joined or left `room`: the change only, so its size never depends on the room's.
    case presence(room: String, change: PresenceChange, name: String)
    /// A message said in `room`.
    case message(room: String, name: String, text: String, time: String)
    /// Your last message was refused.
    case error(message: String)

    /// Which way a member moved.
    enum PresenceChange: String {
        case join, leave
    }

    /// The event as a JSON object, `type` first.
    var json: String {
        switch self {
        case .welcome(let room, let name, let members):
            var writer = ChatJSONWriter(capacity: 64 + members.count * 16)
            writer.member("type", "welcome")
            writer.member("room", room)
            writer.member("name", name)
            writer.member("members", members)
            return writer.finish()
        case .presence(let room, let change, let name):
            var writer = ChatJSONWriter()
            writer.member("type", "presence")
            writer.member("room", room)
            writer.member("event", change.rawValue)
            writer.member("name", name)
            return writer.finish()
        case .message(let room, let name, let text, let time):
            var writer = ChatJSONWriter(capacity: 96 + text.utf8.count)
            writer.member("type", "message")
            writer.member("room", room)
            writer.member("name", name)
            writer.member("text", text)
            writer.member("time", time)
            return writer.finish()
        case .error(let message):
            var writer = ChatJSONWriter()
            writer.member("type", "error")
            writer.member("message", message)
            return writer.finish()
        }
    }
}
