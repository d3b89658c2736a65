/// Integers as ASCII decimal digits formatted on the stack, for serializers that write lengths
/// and counts (Content-Length, RESP headers) without allocating a String.
enum DecimalDigits {
    /// Calls `body` with the digits of `number`, a leading minus included (at most 20 bytes).
    static func with<Result>(_ number: Int64, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            // Built from the end, on the magnitude, which Int64.min has as a UInt64.
            var magnitude = number.magnitude
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if number < 0 {
                start -= 1
                digits[start] = UInt8(ascii: "-")
            }
            return body(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: digits[start...])))
        }
    }
}
