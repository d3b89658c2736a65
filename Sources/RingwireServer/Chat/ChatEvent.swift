import Foundation

/// What the server sends: encoded once, then sent or published as text.
enum ChatEvent: Encodable {
    /// You joined `room`; `members` are everyone there now, you included.
    case welcome(room: String, name: String, members: [String])
    /// Somebody joined or left `room`.
    case presence(room: String, event: String, name: String, members: [String])
    /// A message said in `room`.
    case message(room: String, name: String, text: String, time: String)
    /// Your last message was refused.
    case error(message: String)

    private enum Keys: String, CodingKey { case type, room, name, members, event, text, time, message }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        switch self {
        case .welcome(let room, let name, let members):
            try container.encode("welcome", forKey: .type)
            try container.encode(room, forKey: .room)
            try container.encode(name, forKey: .name)
            try container.encode(members, forKey: .members)
        case .presence(let room, let event, let name, let members):
            try container.encode("presence", forKey: .type)
            try container.encode(room, forKey: .room)
            try container.encode(event, forKey: .event)
            try container.encode(name, forKey: .name)
            try container.encode(members, forKey: .members)
        case .message(let room, let name, let text, let time):
            try container.encode("message", forKey: .type)
            try container.encode(room, forKey: .room)
            try container.encode(name, forKey: .name)
            try container.encode(text, forKey: .text)
            try container.encode(time, forKey: .time)
        case .error(let message):
            try container.encode("error", forKey: .type)
            try container.encode(message, forKey: .message)
        }
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
