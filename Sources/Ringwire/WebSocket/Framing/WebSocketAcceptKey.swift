// Internal: libcrypto is an implementation detail, not part of what Ringwire exposes.
internal import CShims

/// The `Sec-WebSocket-Accept` value of the opening handshake (RFC 6455 §4.2.2): proof to the client
/// that the server understood its WebSocket request.
public enum WebSocketAcceptKey {
    /// The GUID RFC 6455 appends to the client key before hashing.
    static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// base64(SHA-1(`key` + GUID)) for the client's `Sec-WebSocket-Key` (the header value with
    /// surrounding whitespace already removed by the HTTP parser), or nil when the key is not
    /// canonical base64 of exactly 16 bytes, in which case the handshake must be refused with
    /// 400 Bad Request.
    public static func accept(forClientKey key: String) -> String? {
        guard let nonce = Base64.decode(key), nonce.count == 16 else { return nil }
        let input = Array((key + guid).utf8)
        var digest = [UInt8](repeating: 0, count: Int(SHA_DIGEST_LENGTH))
        input.withUnsafeBufferPointer { inputBuffer in
            digest.withUnsafeMutableBufferPointer { digestBuffer in
                _ = SHA1(inputBuffer.baseAddress, inputBuffer.count, digestBuffer.baseAddress)
            }
        }
        return digest.withUnsafeBytes { Base64.encode($0) }
    }
}
