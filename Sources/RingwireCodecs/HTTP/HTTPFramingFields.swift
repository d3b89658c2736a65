/// Collects, while a head's fields are decoded, the few that decide how the body is delimited,
/// whether the connection persists and whether the client waits for 100 Continue, then checks
/// them together (RFC 9112 §3.2, §6, §9.3).
struct HTTPFramingFields {
    package typealias Bytes = Slice<UnsafeRawBufferPointer>

    private var contentLength: Int?
    private var transferEncodingPresent = false
    private var chunked = false
    private var unsupportedCoding = false
    private var hostCount = 0
    private(set) var connectionClose = false
    private(set) var connectionKeepAlive = false
    package private(set) var expectsContinue = false
    /// The first error found in a single field; the decoder throws it before reading the next line.
    package private(set) var error: HTTPParseError?

    package var bodyFraming: HTTPBodyFraming {
        if chunked { return .chunked }
        return contentLength.map { .contentLength($0) } ?? .none
    }

    mutating func note(name: Bytes, value: Bytes) {
        // The length test rejects almost every other field before comparing any byte.
        switch name.count {
        case 4 where HTTPByte.equalsIgnoringCase(name, "host".utf8):
            hostCount += 1
        case 6 where HTTPByte.equalsIgnoringCase(name, "expect".utf8):
            if HTTPByte.equalsIgnoringCase(value, "100-continue".utf8) { expectsContinue = true }
        case 10 where HTTPByte.equalsIgnoringCase(name, "connection".utf8):
            HTTPByte.forEachListElement(in: value) { option in
                if HTTPByte.equalsIgnoringCase(option, "close".utf8) { connectionClose = true }
                if HTTPByte.equalsIgnoringCase(option, "keep-alive".utf8) { connectionKeepAlive = true }
                return true
            }
        case 14 where HTTPByte.equalsIgnoringCase(name, "content-length".utf8):
            noteContentLength(value)
        case 17 where HTTPByte.equalsIgnoringCase(name, "transfer-encoding".utf8):
            noteTransferEncoding(value)
        default:
            break
        }
    }

    /// Content-Length may repeat (as fields or a list) only with identical values (RFC 9110 §8.6).
    private mutating func noteContentLength(_ value: Bytes) {
        var sawElement = false
        HTTPByte.forEachListElement(in: value) { element in
            sawElement = true
            guard element.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                error = .invalidContentLength
                return false
            }
            // Saturates instead of overflowing: any huge value is simply over maxBodySize.
            let length = element.reduce(0) { total, digit in
                let (shifted, overflow1) = total.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = shifted.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
                return overflow1 || overflow2 ? Int.max : sum
            }
            if let existing = contentLength, existing != length {
                error = .conflictingContentLength
                return false
            }
            contentLength = length
            return true
        }
        if !sawElement, error == nil { error = .invalidContentLength }
    }

    /// Only `chunked` is implemented; it must be the last coding and appear once (RFC 9112 §6.1).
    private mutating func noteTransferEncoding(_ value: Bytes) {
        transferEncodingPresent = true
        HTTPByte.forEachListElement(in: value) { coding in
            if chunked {
                error = .invalidTransferEncoding
                return false
            }
            if HTTPByte.equalsIgnoringCase(coding, "chunked".utf8) {
                chunked = true
            } else {
                unsupportedCoding = true
            }
            return true
        }
    }

    /// The checks that need every field: Host presence, CL/TE exclusivity, the body limit.
    package func validate(version: HTTPVersion, limits: HTTPLimits) throws(HTTPParseError) {
        if version == .http1_1, hostCount == 0 { throw .missingHost }
        if hostCount > 1 { throw .multipleHost }
        if transferEncodingPresent {
            if contentLength != nil { throw .contentLengthWithTransferEncoding }
            if version == .http1_0 { throw .invalidTransferEncoding }
            if unsupportedCoding { throw .unsupportedTransferEncoding }
            if !chunked { throw .invalidTransferEncoding }
        }
        if let contentLength, contentLength > limits.maxBodySize { throw .bodyTooLarge }
    }
}
