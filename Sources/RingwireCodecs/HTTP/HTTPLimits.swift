/// Bounds the HTTP/1.1 parser enforces on each request, so one client cannot make a worker buffer
/// or process unbounded input. Each limit is checked as early as the bytes allow, and a limit
/// is inclusive: a request exactly at it passes, one byte (or header) more fails.
public struct HTTPLimits: Hashable, Sendable {
    /// Longest request line (method, target, version; without its CRLF). Default 8 KiB, the
    /// size most servers and proxies accept, which is far above any sane URL. Exceeding it → 414.
    public var maxRequestLineLength: Int

    /// Largest head: request line, header lines, their CRLFs and the terminating empty line.
    /// Default 32 KiB, enough for large cookie sets while bounding the per-connection buffer a
    /// head split across reads can need. Exceeding it → 431. Also bounds chunked trailers.
    public var maxHeaderBytes: Int

    /// Most header lines in one head. Default 100, matching common servers; bounds the work
    /// and the `HTTPHeaders` array built per request. Exceeding it → 431.
    public var maxHeaderCount: Int

    /// Largest request body, whether announced by Content-Length (rejected at head time, before
    /// any body byte is read, so `Expect: 100-continue` clients are refused early) or accumulated
    /// from chunks. Default 1 MiB, since handlers receive the body as one array. Exceeding it → 413.
    public var maxBodySize: Int

    /// Longest chunk-size line of a chunked body (size, extensions; without CRLF). Default 4 KiB:
    /// extensions are ignored, but without a bound a client could stream them forever. → 400.
    public var maxChunkLineLength: Int

    /// Creates limits; every argument defaults to the value documented on its property.
    public init(
        maxRequestLineLength: Int = 8 * 1024,
        maxHeaderBytes: Int = 32 * 1024,
        maxHeaderCount: Int = 100,
        maxBodySize: Int = 1024 * 1024,
        maxChunkLineLength: Int = 4 * 1024
    ) {
        self.maxRequestLineLength = maxRequestLineLength
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodySize = maxBodySize
        self.maxChunkLineLength = maxChunkLineLength
    }
}
