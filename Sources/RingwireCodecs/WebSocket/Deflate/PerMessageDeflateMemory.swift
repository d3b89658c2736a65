extension PerMessageDeflateConfiguration {
    /// zlib 1.2.x's `deflate_state` and `inflate_state` structs on 64-bit Linux (about 5.9 and
    /// 7.1 KiB), rounded up, plus our object and its `z_stream`.
    private static let deflateStateOverhead = 6 * 1024 + 256
    private static let inflateStateOverhead = 7 * 1024 + 256

    /// The bytes one connection's compression state takes once it has both sent and received a
    /// compressed message, for the README's sizing table.
    ///
    /// From zlib's documented formulas: deflate needs `(1 << (windowBits + 2)) + (1 << (memLevel + 9))`
    /// (with windowBits at least 9, see `PerMessageCompressor`), inflate `1 << windowBits`, each
    /// plus a few KiB of state. With `sharedCompressor` the deflate part belongs to the worker and
    /// is left out. Without `parameters`, assumes the worst case this configuration allows: our
    /// full `serverMaxWindowBits`, and a client window of 15 (clients that do not offer
    /// `client_max_window_bits` cannot be asked for less). Examples: 15/15 with memLevel 8 is
    /// about 301 KiB; 12/12 with memLevel 5 about 50 KiB.
    public static func estimatedMemoryPerConnection(for configuration: PerMessageDeflateConfiguration) -> Int {
        estimatedMemoryPerConnection(for: configuration, parameters: nil)
    }

    /// The same for parameters a handshake agreed on.
    @_spi(RingwireInternal) public static func estimatedMemoryPerConnection(
        for configuration: PerMessageDeflateConfiguration,
        parameters: PerMessageDeflateParameters?
    ) -> Int {
        let serverBits = max(clampWindowBits(parameters?.serverMaxWindowBits ?? configuration.serverMaxWindowBits), 9)
        let clientBits = clampWindowBits(parameters?.clientMaxWindowBits ?? 15)
        let inflate = (1 << clientBits) + inflateStateOverhead
        if configuration.sharedCompressor { return inflate }
        let deflate = (1 << (serverBits + 2)) + (1 << (configuration.clampedMemLevel + 9)) + deflateStateOverhead
        return deflate + inflate
    }
}
