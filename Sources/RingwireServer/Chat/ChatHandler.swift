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

    func onMessage(_ socket: WebSocket<ChatHandler>, _ message: WebSocketMessage) {
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

    func onClose(_ socket: WebSocket<ChatHandler>, code: WebSocketCloseCode?, reason: String) {
        leave(socket)
    }

    private func join(_ socket: WebSocket<ChatHandler>, room: String, name: String) {
        let current = socket.state
        if let current, current.room == room, current.name == name { return }
        // Join first: a taken name leaves the member where it was.
        guard let members = rooms.join(room, id: socket.id, name: name) else {
            socket.send(text: ChatEvent.error(message: "the name \"\(name)\" is taken in \(room)").json)
            return
        }
        if let current {
            if current.room == room {
                // A rename: the room's record already holds the new name.
                socket.publish(room, text: ChatEvent.presence(room: room, event: "leave", name: current.name, members: members).json, excludingSelf: true)
            } else {
                leave(socket)
            }
        }
        socket.state = Member(name: name, room: room)
        socket.subscribe(room)
        socket.send(text: ChatEvent.welcome(room: room, name: name, members: members).json)
        socket.publish(room, text: ChatEvent.presence(room: room, event: "join", name: name, members: members).json, excludingSelf: true)
    }

    private func leave(_ socket: WebSocket<ChatHandler>) {
        guard let member = socket.state else { return }
        socket.state = nil
        socket.unsubscribe(member.room)
        let members = rooms.leave(member.room, id: socket.id)
        socket.server.publish(member.room, text: ChatEvent.presence(room: member.room, event: "leave", name: member.name, members: members).json)
    }
}
