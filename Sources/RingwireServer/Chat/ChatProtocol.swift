import Foundation

/// The chat room's JSON messages (documented in README, "The chat room").
///
/// Client to server: `{"type":"join","room":R,"name":N}`, `{"type":"say","text":T}`, `{"type":"leave"}`.
/// Server to client: `welcome`, `presence`, `message` and `error` events (see `ChatEvent`).
enum ChatRequest {
    case join(room: String, name: String)
    case say(text: String)
    case leave

    /// Longest accepted name, room and text.
    static let maximumNameLength = 32
    static let maximumRoomLength = 64
    static let maximumTextLength = 2000

    private struct Wire: Decodable {
        var type: String
        var room: String?
        var name: String?
        var text: String?
    }

    /// Parses one client message, or says what is wrong with it.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Result<ChatRequest, ChatError> {
        guard let wire = try? JSONDecoder().decode(Wire.self, from: Data(bytes)) else {
            return .failure(.init("messages must be JSON objects with a \"type\""))
        }
        switch wire.type {
        case "join":
            guard let room = wire.room?.trimmingCharacters(in: .whitespaces), isValidRoom(room) else {
                return .failure(.init("room must be 1–\(maximumRoomLength) letters, digits, '-' or '_'"))
            }
            guard let name = wire.name?.trimmingCharacters(in: .whitespacesAndNewlines), !name.isEmpty,
                name.count <= maximumNameLength, !name.contains(where: \.isNewline)
            else { return .failure(.init("name must be 1–\(maximumNameLength) characters")) }
            return .success(.join(room: room, name: name))
        case "say":
            guard let text = wire.text, !text.isEmpty else { return .failure(.init("say needs a non-empty \"text\"")) }
            guard text.count <= maximumTextLength else {
                return .failure(.init("text is longer than \(maximumTextLength) characters"))
            }
            return .success(.say(text: text))
        case "leave":
            return .success(.leave)
        default:
            return .failure(.init("unknown type \"\(wire.type)\""))
        }
    }

    private static func isValidRoom(_ room: String) -> Bool {
        !room.isEmpty && room.count <= maximumRoomLength
            && room.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }
    }
}

/// A problem with what a client sent, answered with an `error` event.
struct ChatError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

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
