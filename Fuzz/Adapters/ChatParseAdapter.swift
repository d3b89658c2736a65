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

    /// Which of the limits `ChatRequest` documents an accepted request breaks, if any.
    static func limitViolation(_ request: Request) -> String? {
        switch request {
        case .join(let room, let name):
            if room.isEmpty || room.count > ChatRequest.maximumRoomLength { return "room of \(room.count) characters" }
            if name.isEmpty || name.count > ChatRequest.maximumNameLength { return "name of \(name.count) characters" }
        case .say(let text):
            if text.isEmpty || text.count > ChatRequest.maximumTextLength { return "text of \(text.count) characters" }
        case .leave:
            break
        }
        return nil
    }
}
