/// The first byte of every RESP value, which says how the rest of it is framed: a line (up to
/// CRLF), a length line and that many payload bytes, or a count line and that many values.
enum RESPType: UInt8 {
    case simpleString = 0x2B  // +
    case error = 0x2D  // -
    case integer = 0x3A  // :
    case bulkString = 0x24  // $
    case array = 0x2A  // *
    case null = 0x5F  // _
    case boolean = 0x23  // #
    case double = 0x2C  // ,
    case bigNumber = 0x28  // (
    case bulkError = 0x21  // !
    case verbatimString = 0x3D  // =
    case map = 0x25  // %
    case set = 0x7E  // ~
    case push = 0x3E  // >
    case attribute = 0x7C  // |
}

/// The bytes that end every RESP line and bulk payload.
enum RESPByte {
    static let carriageReturn: UInt8 = 0x0D
    static let lineFeed: UInt8 = 0x0A
}
