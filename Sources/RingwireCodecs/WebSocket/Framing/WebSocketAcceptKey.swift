// Internal: libcrypto is an implementation detail, not part of what Ringwire exposes.
internal import CZlibCrypto

/// The `Sec-WebSocket-Accept` value of the opening handshake (RFC 6455 §4.2.2): proof to the client
/// that the server understood its WebSocket request.
@_spi(RingwireInternal) public enum WebSocketAcceptKey {
    /// The GUID RFC 6455 appends to the client key before hashing.
    static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// base64(SHA-1(`key` + GUID)) for the client's `Sec-WebSocket-Key` (the header value with
    /// surrounding whitespace already removed by the HTTP parser), or nil when the key is not
    /// canonical base64 of exactly 16 bytes, in which case the handshake must be refused with
    /// 400 Bad Request.
    public static func accept(forClientKey key: String) -> String? {
        guard let nonce = Base64.decode(key), nonce.count == 16 else { return nil }
        // key + GUID and the digest in one stack buffer (a 16-byte nonce encodes to 24 characters).
        let digestLength = Int(SHA_DIGEST_LENGTH)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24 + guid.utf8.count + digestLength) { buffer in
            let keyEnd = buffer.initialize(fromContentsOf: key.utf8)
            let inputEnd = UnsafeMutableBufferPointer(rebasing: buffer[keyEnd...]).initialize(fromContentsOf: guid.utf8) + keyEnd
            let digest = UnsafeMutableBufferPointer(rebasing: buffer[inputEnd..<(inputEnd + digestLength)])
            _ = SHA1(buffer.baseAddress, inputEnd, digest.baseAddress)
            return Base64.encode(UnsafeRawBufferPointer(digest))
        }
    }
}
