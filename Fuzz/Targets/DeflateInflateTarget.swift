@_spi(RingwireInternal) @testable import RingwireCodecs

/// deflate-inflate: `PerMessageDecompressor` on arbitrary payloads, and `PerMessageCompressor`
/// output inflated back.
///
/// Input: options byte (bits 0–2: window bits 8 + n (capped at 15); bit 3: no context takeover;
/// bit 4: small message limit), then the data. The data is used twice: cut into two payloads that
/// one decompressor inflates in turn, and cut into two messages that a compressor deflates and a
/// decompressor with the same parameters inflates.
/// Properties: an inflated message never has more than `maxMessageSize` bytes; the caller's buffer
/// keeps its earlier bytes and, on error, gets nothing else; what the compressor wrote inflates to
/// the original, fits a limit of exactly its size and fails with `.messageTooBig` one byte below.
@_cdecl("LLVMFuzzerTestOneInput")
public func deflateInflateFuzzTarget(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    var input = FuzzInput(bytes, count: count)
    let windowBits = min(8 + Int(input.options & 7), 15)
    let noContextTakeover = input.option(3)
    let maxMessageSize = input.option(4) ? Int(input.options >> 5) * 40 : 16 * 1024 * 1024
    let parameters = PerMessageDeflateParameters(
        serverNoContextTakeover: noContextTakeover, clientNoContextTakeover: noContextTakeover,
        serverMaxWindowBits: windowBits, clientMaxWindowBits: windowBits)
    let cut = input.data.isEmpty ? 0 : Int.random(in: 0...input.data.count, using: &input.random)
    let halves = [Array(input.data[..<cut]), Array(input.data[cut...])]

    let decompressor = PerMessageDecompressor(parameters: parameters)
    for payload in halves {
        inflateArbitrary(payload, with: decompressor, maxMessageSize: maxMessageSize)
    }

    var configuration = PerMessageDeflateConfiguration()
    configuration.isEnabled = true
    configuration.compressionLevel = Int(input.random.next() % 10)
    let compressor = PerMessageCompressor(parameters: parameters, configuration: configuration)
    let inflater = PerMessageDecompressor(parameters: parameters)
    for (index, message) in halves.enumerated() {
        // A fresh decompressor is in the state `inflater` is in for the first message only.
        let scratch = index == 0 ? PerMessageDecompressor(parameters: parameters) : nil
        roundTrip(message, compressor: compressor, decompressor: inflater, limitCheck: scratch)
    }
    return 0
}

/// Whatever `payload` holds, the decompressor either appends at most `maxMessageSize` bytes or
/// throws and leaves the buffer as it was.
private func inflateArbitrary(_ payload: [UInt8], with decompressor: PerMessageDecompressor, maxMessageSize: Int) {
    let prefix: [UInt8] = [1, 2, 3]
    var buffer = prefix
    let outcome = payload.withUnsafeBytes { bytes in
        Result { () throws(PerMessageDeflateError) in
            try decompressor.decompress(bytes, maxMessageSize: maxMessageSize, into: &buffer)
        }
    }
    fuzzRequire(buffer.starts(with: prefix), "the buffer's earlier bytes changed")
    switch outcome {
    case .success:
        fuzzRequire(buffer.count - prefix.count <= maxMessageSize, "inflated \(buffer.count - prefix.count) bytes, limit \(maxMessageSize)")
    case .failure:
        fuzzRequire(buffer == prefix, "a failed inflation left \(buffer.count - prefix.count) bytes")
    }
}

/// Compresses `message`, checks on `limitCheck` (when given) that one byte less than the message
/// is refused, then inflates it with `decompressor`, which carries the context over from earlier
/// messages like the peer's, under a limit of exactly the message's size.
private func roundTrip(
    _ message: [UInt8], compressor: PerMessageCompressor, decompressor: PerMessageDecompressor,
    limitCheck: PerMessageDecompressor?
) {
    var payload: [UInt8] = []
    message.withUnsafeBytes { compressor.compress($0, to: &payload) }
    if let limitCheck, !message.isEmpty {
        var refused: [UInt8] = []
        let outcome = payload.withUnsafeBytes { bytes in
            Result { () throws(PerMessageDeflateError) in
                try limitCheck.decompress(bytes, maxMessageSize: message.count - 1, into: &refused)
            }
        }
        let tooBig = if case .failure(.messageTooBig) = outcome { true } else { false }
        fuzzRequire(tooBig, "a limit one byte short gave \(outcome)")
    }
    var inflated: [UInt8] = []
    let outcome = payload.withUnsafeBytes { bytes in
        Result { () throws(PerMessageDeflateError) in
            try decompressor.decompress(bytes, maxMessageSize: message.count, into: &inflated)
        }
    }
    guard case .success = outcome else {
        fuzzFail("compressed message of \(message.count) bytes failed to inflate: \(outcome)")
    }
    fuzzRequire(inflated == message, "inflated \(inflated.count) bytes differ from the \(message.count) compressed")
}
