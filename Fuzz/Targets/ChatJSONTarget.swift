import Foundation

/// chat-json: the chat room's client message parser, through `ChatParseAdapter`.
///
/// Input: options byte (unused, kept so every target's input has the same shape), then one
/// message as a client would send it.
/// Properties: any bytes parse or are refused without trapping; an accepted request keeps the
/// protocol's limits; it survives a round trip: written back as JSON by Foundation's encoder (an
/// independent writer) and parsed again, it is the same request.
@_cdecl("LLVMFuzzerTestOneInput")
public func chatJSONFuzzTarget(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = FuzzInput(bytes, count: count)
    guard let request = input.data.withUnsafeBytes(ChatParseAdapter.parse) else { return 0 }
    if let violation = ChatParseAdapter.limitViolation(request) { fuzzFail("accepted \(violation)") }

    let json = encodedJSON(request)
    let again = json.withUnsafeBytes(ChatParseAdapter.parse)
    fuzzRequire(again == request, "\(request) written as \(String(decoding: json, as: UTF8.self)) parsed as \(String(describing: again))")
    return 0
}

/// The request as a client message, written by `JSONEncoder` (keys sorted, so `type` is not first).
private func encodedJSON(_ request: ChatParseAdapter.Request) -> [UInt8] {
    var fields = [String: String]()
    switch request {
    case .join(let room, let name): fields = ["type": "join", "room": room, "name": name]
    case .say(let text): fields = ["type": "say", "text": text]
    case .leave: fields = ["type": "leave"]
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    // A dictionary of strings always encodes.
    return Array((try? encoder.encode(fields)) ?? Data())
}
