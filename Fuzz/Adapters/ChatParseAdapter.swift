@testable import RingwireServer

/// The only file of the chat-json target that names the chat protocol's code: when the parser or
/// its limits change, retarget here and the target stays as it is.
enum ChatParseAdapter {
    /// A parsed client message, in the target's own terms.
    enum Request: Equatable {
        case join(room: String, name: String)
        case say(text: String)
        case leave
    }

    /// `ChatRequest.parse`: the request, or nil when it is refused (with an error event).
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Request? {
        switch ChatRequest.parse(bytes) {
        case .success(.join(let room, let name)): .join(room: room, name: name)
        case .success(.say(let text)): .say(text: text)
        case .success(.leave): .leave
        case .failure: nil
        }
    }

    /// Which of the limits `ChatRules` documents an accepted request breaks, if any.
    static func limitViolation(_ request: Request) -> String? {
        switch request {
        case .join(let room, let name):
            if room.isEmpty || room.utf8.count > ChatRules.maximumRoomBytes { return "room of \(room.utf8.count) bytes" }
            if name.isEmpty || name.utf8.count > ChatRules.maximumNameBytes
                || name.unicodeScalars.count > ChatRules.maximumNameScalars
            {
                return "name of \(name.utf8.count) bytes, \(name.unicodeScalars.count) scalars"
            }
            let forbidden: [Unicode.GeneralCategory] = [.control, .format, .lineSeparator, .paragraphSeparator]
            if name.unicodeScalars.contains(where: { forbidden.contains($0.properties.generalCategory) }) {
                return "name \(name.debugDescription) with a control, format or separator character"
            }
        case .say(let text):
            if text.isEmpty || text.unicodeScalars.count > ChatRules.maximumTextScalars {
                return "text of \(text.unicodeScalars.count) scalars"
            }
        case .leave:
            break
        }
        return nil
    }
}
