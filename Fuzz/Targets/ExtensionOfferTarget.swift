@_spi(RingwireInternal) @testable import RingwireCodecs

/// extension-offer: `ExtensionOfferParser` and `PerMessageDeflateNegotiation`.
///
/// Input: options byte (bit 0: sharedCompressor; bit 1: serverNoContextTakeover; bit 2:
/// clientNoContextTakeover; bits 3–7 pick our window sizes, out of range on purpose sometimes),
/// then `Sec-WebSocket-Extensions` header values separated by newlines.
/// Properties: offers have token names and parameters; negotiated windows are within 8...15 and
/// never larger than ours; a shared compressor's window and context reset are always kept; what we
/// answer parses back into one permessage-deflate offer that names exactly what was agreed.
@_cdecl("LLVMFuzzerTestOneInput")
public func extensionOfferFuzzTarget(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = FuzzInput(bytes, count: count)
    let values = input.data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }

    for offer in ExtensionOfferParser.parse(values) {
        fuzzRequire(isToken(offer.name), "offer name \(offer.name.debugDescription)")
        for parameter in offer.parameters {
            fuzzRequire(isToken(parameter.name), "parameter name \(parameter.name.debugDescription)")
        }
    }

    var configuration = PerMessageDeflateConfiguration()
    configuration.isEnabled = true
    configuration.sharedCompressor = input.option(0)
    configuration.serverNoContextTakeover = input.option(1)
    configuration.clientNoContextTakeover = input.option(2)
    configuration.serverMaxWindowBits = 6 + Int(input.options >> 3) % 12
    configuration.clientMaxWindowBits = 17 - Int(input.options >> 3) % 12
    guard let agreed = PerMessageDeflateNegotiation.negotiate(offers: values, configuration: configuration) else { return 0 }

    fuzzRequire((8...15).contains(agreed.serverMaxWindowBits), "server window \(agreed.serverMaxWindowBits)")
    fuzzRequire((8...15).contains(agreed.clientMaxWindowBits), "client window \(agreed.clientMaxWindowBits)")
    fuzzRequire(agreed.serverMaxWindowBits <= configuration.clampedServerMaxWindowBits, "server window above ours")
    if configuration.sharedCompressor {
        fuzzRequire(agreed.serverMaxWindowBits == configuration.clampedServerMaxWindowBits, "shared compressor window changed")
        fuzzRequire(agreed.serverNoContextTakeover, "shared compressor without server_no_context_takeover")
    }
    if configuration.serverNoContextTakeover { fuzzRequire(agreed.serverNoContextTakeover, "server context kept") }
    if configuration.clientNoContextTakeover { fuzzRequire(agreed.clientNoContextTakeover, "client context kept") }

    let answer = ExtensionOfferParser.parse([agreed.responseHeaderValue])
    fuzzRequire(answer.count == 1 && answer[0].name == "permessage-deflate", "answer \(agreed.responseHeaderValue)")
    var named: [String: String?] = [:]
    for parameter in answer[0].parameters { named[parameter.name] = parameter.value }
    fuzzRequire(named.count == answer[0].parameters.count, "answer repeats a parameter: \(agreed.responseHeaderValue)")
    fuzzRequire((named["server_no_context_takeover"] != nil) == agreed.serverNoContextTakeover, "answer \(agreed.responseHeaderValue)")
    fuzzRequire((named["client_no_context_takeover"] != nil) == agreed.clientNoContextTakeover, "answer \(agreed.responseHeaderValue)")
    fuzzRequire(windowBits(named["server_max_window_bits"]) == agreed.serverMaxWindowBits, "answer \(agreed.responseHeaderValue)")
    fuzzRequire(windowBits(named["client_max_window_bits"]) == agreed.clientMaxWindowBits, "answer \(agreed.responseHeaderValue)")
    return 0
}

private func isToken(_ text: String) -> Bool {
    !text.isEmpty && text.utf8.allSatisfy(HTTPByte.isToken)
}

/// The window a `*_max_window_bits` parameter of the answer names; 15 when it is absent.
private func windowBits(_ parameter: String??) -> Int? {
    guard let parameter else { return 15 }
    return parameter.flatMap { Int($0) }
}
