/// A chat client's message (README, "The chat room"): `{"type":"join","room":R,"name":N}`,
/// `{"type":"say","text":T}` or `{"type":"leave"}`. Server events are `ChatEvent`s.
enum ChatRequest: Equatable {
    case join(room: String, name: String)
    case say(text: String)
    case leave

    /// Parses one client message, or says what is wrong with it. A plain function of the bytes that
    /// never traps (the fuzz target's entry point); members other than these are ignored.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Result<ChatRequest, ChatError> {
        let values: [String?]
        switch ChatJSONReader.stringMembers(["type", "room", "name", "text"], of: bytes) {
        case .success(let found): values = found
        case .failure(let failure):
            return .failure(ChatError("messages must be JSON objects: \(failure.reason) at byte \(failure.offset)"))
        }
        let (type, room, name, text) = (values[0], values[1], values[2], values[3])
        do throws(ChatError) {
            guard let type else { throw ChatError("messages need a \"type\"") }
            // Compared as bytes, as JSON compares strings: String equality would normalize Unicode first.
            switch Kind.allCases.first(where: { $0.rawValue.utf8.elementsEqual(type.utf8) }) {
            case .join:
                guard let room, let name else { throw ChatError("join needs a \"room\" and a \"name\"") }
                try ChatRules.checkRoom(room)
                try ChatRules.checkName(name)
                return .success(.join(room: room, name: name))
            case .say:
                guard let text else { throw ChatError("say needs a non-empty \"text\"") }
                try ChatRules.checkText(text)
                return .success(.say(text: text))
            case .leave:
                return .success(.leave)
            case nil:
                throw ChatError("unknown type: expected join, say or leave")
            }
        } catch {
            return .failure(error)
        }
    }

    private enum Kind: String, CaseIterable {
        case join, say, leave
    }
}

/// A problem with what a client sent, answered with an `error` event.
struct ChatError: Error, Equatable {
    let message: String
    init(_ message: String) { self.message = message }
}
