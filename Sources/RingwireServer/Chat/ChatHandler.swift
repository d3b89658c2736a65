import Ringwire

/// The chat room: each room is a pub/sub topic, so a message reaches every member on whichever
/// worker it lives. Bad input gets an `error` event; the connection stays.
struct ChatHandler: WebSocketHandler {
    /// The name and room of a connection that joined one.
    struct Member {
        var name: String
        var room: String
    }

    let rooms: ChatRooms

    func upgrade(_ request: WebSocketUpgradeRequest) -> WebSocketUpgradeDecision<Member?> {
        .accept(nil)
    }

    func onMessage(_ socket: borrowing WebSocket<ChatHandler>, _ message: borrowing WebSocketMessage) {
        switch ChatRequest.parse(message.bytes) {
        case .failure(let error):
            socket.send(text: ChatEvent.error(message: error.message).json)
        case .success(.join(let room, let name)):
            join(socket, room: room, name: name)
        case .success(.say(let text)):
            guard let member = socket.state else {
                socket.send(text: ChatEvent.error(message: "join a room first").json)
                return
            }
            let event = ChatEvent.message(room: member.room, name: member.name, text: text, time: ChatTimestamp.now())
            socket.publish(member.room, text: event.json)
        case .success(.leave):
            leave(socket)
        }
    }

    func onClose(_ socket: borrowing WebSocket<ChatHandler>, code: WebSocketCloseCode?, reason: String) {
        leave(socket)
    }

    private func join(_ socket: borrowing WebSocket<ChatHandler>, room: String, name: String) {
        let current = socket.state
        if let current, current.room == room, current.name == name { return }
        switch rooms.join(room, name: name, id: socket.id, leaving: current.map { ($0.room, $0.name) }) {
        case .joined:
            break
        case .nameTaken:
            socket.send(text: ChatEvent.error(message: "the name \"\(name)\" is taken in \(room)").json)
            return
        case .roomFull:
            socket.send(text: ChatEvent.error(message: "\(room) is full (\(ChatRooms.maximumMembersPerRoom) members)").json)
            return
        }
        if let current {
            if current.room != room { socket.unsubscribe(current.room) }
            let left = ChatEvent.presence(room: current.room, change: .leave, name: current.name)
            socket.publish(current.room, text: left.json, excludingSelf: true)
        }
        socket.state = Member(name: name, room: room)
        // Subscribed before the snapshot: whoever joins or leaves after it publishes after it, so
        // this member hears of it; a change just before it may also arrive as an event, which the
        // page applies idempotently (a set of names).
        socket.subscribe(room)
        let members = rooms.members(of: room).keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        socket.send(text: ChatEvent.welcome(room: room, name: name, members: members).json)
        socket.publish(room, text: ChatEvent.presence(room: room, change: .join, name: name).json, excludingSelf: true)
    }

    private func leave(_ socket: borrowing WebSocket<ChatHandler>) {
        guard let member = socket.state else { return }
        socket.state = nil
        socket.unsubscribe(member.room)
        rooms.leave(member.room, name: member.name, id: socket.id)
        socket.server.publish(member.room, text: ChatEvent.presence(room: member.room, change: .leave, name: member.name).json)
    }
}
