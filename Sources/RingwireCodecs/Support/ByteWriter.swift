/// A destination for serialized bytes: a connection's outbound queue, or a plain array in tests.
///
/// Serializers (HTTP responses, WebSocket frames) write through this so they never know whether
/// the bytes go to a socket.
@_spi(RingwireInternal) public protocol ByteWriter {
    /// Appends `bytes` (which are only valid during the call).
    mutating func write(_ bytes: UnsafeRawBufferPointer)
}

extension ByteWriter {
    /// Appends the UTF-8 bytes of `string`.
    @inlinable
    public mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Appends `bytes`.
    @inlinable
    public mutating func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { write($0) }
    }
}

@_spi(RingwireInternal) extension Array: ByteWriter where Element == UInt8 {
    @inlinable
    public mutating func write(_ bytes: UnsafeRawBufferPointer) {
        append(contentsOf: bytes)
    }
}
