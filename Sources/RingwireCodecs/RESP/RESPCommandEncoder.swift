/// Writes Redis commands in the one form a server reads from clients: an array of bulk strings,
/// command name first (`*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n`). A pipelining client writes several
/// commands into its outbound queue before one send; replies come back in the same order.
///
/// Arguments are written straight from their storage (a String's UTF-8, an array's bytes, an
/// integer's digits formatted on the stack), never through an intermediate String or array.
package enum RESPCommandEncoder {
    /// Writes one command of text arguments.
    package static func write(_ arguments: [String], into writer: inout some ByteWriter) {
        writeHeader(RESPType.array, arguments.count, into: &writer)
        for argument in arguments { writeBulk(argument, into: &writer) }
    }

    /// Writes one command of binary arguments.
    package static func write(_ arguments: [[UInt8]], into writer: inout some ByteWriter) {
        writeHeader(RESPType.array, arguments.count, into: &writer)
        for argument in arguments { argument.withUnsafeBytes { writeBulk($0, into: &writer) } }
    }

    /// Writes one command of mixed arguments.
    package static func write(_ arguments: [RESPArgument], into writer: inout some ByteWriter) {
        writeHeader(RESPType.array, arguments.count, into: &writer)
        for argument in arguments {
            switch argument {
            case .string(let text): writeBulk(text, into: &writer)
            case .bytes(let bytes): bytes.withUnsafeBytes { writeBulk($0, into: &writer) }
            case .integer(let number): DecimalDigits.with(number) { writeBulk($0, into: &writer) }
            }
        }
    }

    private static func writeBulk(_ text: String, into writer: inout some ByteWriter) {
        var text = text
        text.withUTF8 { writeBulk(UnsafeRawBufferPointer($0), into: &writer) }
    }

    private static func writeBulk(_ bytes: UnsafeRawBufferPointer, into writer: inout some ByteWriter) {
        writeHeader(RESPType.bulkString, bytes.count, into: &writer)
        writer.write(bytes)
        writeLineEnd(into: &writer)
    }

    /// Writes `*count\r\n` or `$length\r\n` in one write.
    private static func writeHeader(_ type: RESPType, _ count: Int, into writer: inout some ByteWriter) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { line in
            line[0] = type.rawValue
            var end = 1
            DecimalDigits.with(Int64(count)) { digits in
                for digit in digits {
                    line[end] = digit
                    end += 1
                }
            }
            line[end] = RESPByte.carriageReturn
            line[end + 1] = RESPByte.lineFeed
            writer.write(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: line[..<(end + 2)])))
        }
    }

    private static func writeLineEnd(into writer: inout some ByteWriter) {
        withUnsafeBytes(of: (RESPByte.carriageReturn, RESPByte.lineFeed)) { writer.write($0) }
    }
}
