/// Bounds the RESP parser enforces on what a Redis server sends, so that a broken or hostile
/// server (or a man in the middle) cannot make a worker allocate without bound. Each limit is
/// checked as soon as the bytes that break it arrive — a length before its payload is read — and
/// is inclusive: a value exactly at it passes.
package struct RESPLimits: Hashable, Sendable {
    /// Longest bulk string, bulk error or verbatim string payload. Default 64 MiB: far above any
    /// message a room carries (WebSocket messages are bounded well below that), while Redis' own
    /// ceiling (`proto-max-bulk-len`, 512 MiB) would let one reply pin half a GiB per connection.
    package var maxBulkLength: Int

    /// Most elements in one array, set or push, or pairs in one map or attribute. Default
    /// 1,048,576 (Redis' own bound on a request's argument count): range reads of room streams are
    /// paged far below it, and it stops a short header from announcing billions of elements.
    package var maxAggregateCount: Int

    /// Deepest nesting of aggregates and attributes. Default 64: Redis replies nest a few levels
    /// (XREAD is four); the bound keeps the parser's stack small and lets code that walks a value
    /// recursively (equality, encoding, deinitialization) never run out of stack.
    package var maxDepth: Int

    /// Longest line of a simple string, error, number, double, big number or length (without its
    /// CRLF). Default 64 KiB: status words and numbers are short, and error messages (a script's
    /// traceback included) fit with room to spare.
    package var maxLineLength: Int

    /// Most bytes one top-level value may span on the wire, framing included. Default 128 MiB (two
    /// maximal bulk strings): the per-type limits alone do not bound an array of a million
    /// maximal strings. What the parser holds is within a small factor of this (an element costs
    /// at most its value's size plus the array slot, and the smallest element is 3 bytes).
    package var maxValueBytes: Int

    /// Creates limits; every argument defaults to the value documented on its property.
    package init(
        maxBulkLength: Int = 64 * 1024 * 1024,
        maxAggregateCount: Int = 1024 * 1024,
        maxDepth: Int = 64,
        maxLineLength: Int = 64 * 1024,
        maxValueBytes: Int = 128 * 1024 * 1024
    ) {
        self.maxBulkLength = maxBulkLength
        self.maxAggregateCount = maxAggregateCount
        self.maxDepth = maxDepth
        self.maxLineLength = maxLineLength
        self.maxValueBytes = maxValueBytes
    }
}
