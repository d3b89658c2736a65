/// Turns a complete request head (as delimited by `HTTPHeadScanner`: every line ends in CRLF,
/// the last line is empty) into an `HTTPRequestHead`, checking the request-line and field syntax
/// of RFC 9112 and the framing rules that keep the body length unambiguous.
///
/// Works directly on the bytes, in place in the caller's receive buffer when the head arrived
/// whole; the only allocations are the strings handed to the application.
enum HTTPHeadDecoder {
    package static func decode(
        _ head: UnsafeRawBufferPointer, headerCount: Int, limits: HTTPLimits
    ) throws(HTTPParseError) -> HTTPRequestHead {
        var lines = LineIterator(head)
        guard let requestLine = lines.next() else { throw .malformedRequestLine }
        var result = try decodeRequestLine(requestLine)

        var framing = HTTPFramingFields()
        var headers = HTTPHeaders(reservingCapacity: headerCount)
        while let line = lines.next(), !line.isEmpty {
            let (name, value) = try splitField(line)
            framing.note(name: name, value: value)
            if let error = framing.error { throw error }
            headers.add(name: string(name), value: string(value))
        }

        try framing.validate(version: result.version, limits: limits)
        result.headers = headers
        result.bodyFraming = framing.bodyFraming
        // RFC 9112 §9.3: HTTP/1.1 persists unless told to close; HTTP/1.0 only when asked to.
        let persistent = result.version == .http1_1 || framing.connectionKeepAlive
        result.keepAlive = persistent && !framing.connectionClose
        result.expectsContinue = result.version == .http1_1 && framing.expectsContinue
        return result
    }

    // MARK: Request line

    private static func decodeRequestLine(_ line: Bytes) throws(HTTPParseError) -> HTTPRequestHead {
        guard let methodEnd = line.firstIndex(of: HTTPByte.space) else { throw .malformedRequestLine }
        let methodBytes = line[line.startIndex..<methodEnd]
        guard !methodBytes.isEmpty, methodBytes.allSatisfy(HTTPByte.isToken) else { throw .malformedRequestLine }
        let targetStart = methodEnd + 1
        guard let targetEnd = line[targetStart...].firstIndex(of: HTTPByte.space), targetEnd > targetStart else {
            throw .malformedRequestLine
        }
        let targetBytes = line[targetStart..<targetEnd]
        let version = try decodeVersion(line[(targetEnd + 1)...])
        // Visible ASCII only: raw UTF-8, controls or a stray CR in a target are refused rather
        // than interpreted differently from a proxy in front of us.
        guard targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw .invalidTarget }
        guard let method = HTTPMethod(bytes: UnsafeRawBufferPointer(rebasing: methodBytes)) else {
            throw .unknownMethod
        }
        let (target, path, query) = try decodeTarget(targetBytes, method: method)
        return HTTPRequestHead(
            method: method, version: version, target: target, path: path, query: query,
            keepAlive: false, expectsContinue: false, bodyFraming: .none
        )
    }

    /// `HTTP/d.d`: a malformed version is a syntax error (400); a well-formed one other than
    /// 1.0 or 1.1 is a version we do not speak (505).
    private static func decodeVersion(_ bytes: Bytes) throws(HTTPParseError) -> HTTPVersion {
        guard bytes.count == 8, bytes.starts(with: "HTTP/".utf8) else { throw .malformedRequestLine }
        let major = bytes[bytes.startIndex + 5], dot = bytes[bytes.startIndex + 6], minor = bytes[bytes.startIndex + 7]
        guard isDigit(major), dot == UInt8(ascii: "."), isDigit(minor) else { throw .malformedRequestLine }
        switch (major, minor) {
        case (UInt8(ascii: "1"), UInt8(ascii: "1")): return .http1_1
        case (UInt8(ascii: "1"), UInt8(ascii: "0")): return .http1_0
        default: throw .unsupportedVersion
        }
    }

    /// Splits the target into path and query according to its form (RFC 9112 §3.2).
    private static func decodeTarget(
        _ bytes: Bytes, method: HTTPMethod
    ) throws(HTTPParseError) -> (target: String, path: String, query: String?) {
        let target = string(bytes)
        let first = bytes[bytes.startIndex]
        if method == .connect {
            // authority-form (host:port) is the only form CONNECT allows.
            guard first != UInt8(ascii: "/") else { throw .invalidTarget }
            return (target, target, nil)
        }
        if first == UInt8(ascii: "/") {
            guard let mark = bytes.firstIndex(of: UInt8(ascii: "?")) else { return (target, target, nil) }
            return (target, string(bytes[bytes.startIndex..<mark]), string(bytes[(mark + 1)...]))
        }
        if bytes.count == 1, first == UInt8(ascii: "*") {
            guard method == .options else { throw .invalidTarget }
            return (target, target, nil)
        }
        // absolute-form: scheme "://" authority [path] ["?" query]; the authority is dropped
        // because routing only looks at the path.
        guard isLetter(first), let schemeEnd = bytes.firstIndex(of: HTTPByte.colon),
            bytes[bytes.startIndex..<schemeEnd].allSatisfy(isSchemeByte),
            bytes[schemeEnd...].starts(with: "://".utf8)
        else { throw .invalidTarget }
        let authorityStart = schemeEnd + 3
        let rest = bytes[authorityStart...]
        let pathStart = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? rest.endIndex
        let afterAuthority = bytes[pathStart...]
        let mark = afterAuthority.firstIndex(of: UInt8(ascii: "?"))
        let pathBytes = afterAuthority[pathStart..<(mark ?? afterAuthority.endIndex)]
        let query = mark.map { string(afterAuthority[($0 + 1)...]) }
        return (target, pathBytes.isEmpty ? "/" : string(pathBytes), query)
    }

    // MARK: Header fields

    /// Splits `name: value` (RFC 9112 §5), trimming the value's surrounding whitespace.
    private static func splitField(_ line: Bytes) throws(HTTPParseError) -> (name: Bytes, value: Bytes) {
        guard let first = line.first, !HTTPByte.isWhitespace(first) else { throw .obsoleteLineFolding }
        guard let stop = line.firstIndex(where: { !HTTPByte.isToken($0) }) else { throw .invalidHeaderName }
        if HTTPByte.isWhitespace(line[stop]) {
            // `Name : value` gets its own error: it is a known request-smuggling trick.
            let next = line[stop...].firstIndex { !HTTPByte.isWhitespace($0) }
            throw next.map { line[$0] == HTTPByte.colon } == true ? HTTPParseError.whitespaceBeforeColon : .invalidHeaderName
        }
        guard line[stop] == HTTPByte.colon, stop > line.startIndex else { throw .invalidHeaderName }
        var value = line[(stop + 1)...]
        while let byte = value.first, HTTPByte.isWhitespace(byte) { value = value.dropFirst() }
        while let byte = value.last, HTTPByte.isWhitespace(byte) { value = value.dropLast() }
        guard value.allSatisfy(HTTPByte.isFieldValue) else { throw .invalidHeaderValue }
        return (line[line.startIndex..<stop], value)
    }

    // MARK: Helpers

    package typealias Bytes = Slice<UnsafeRawBufferPointer>

    /// Iterates the lines of a head without their CRLF; the scanner guarantees each LF follows a CR.
    private struct LineIterator {
        package let bytes: UnsafeRawBufferPointer
        package var position = 0

        package init(_ bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
        }

        package mutating func next() -> Bytes? {
            guard position < bytes.count,
                let lf = bytes[position...].firstIndex(of: HTTPByte.lf), lf > position
            else { return nil }
            defer { position = lf + 1 }
            return bytes[position..<(lf - 1)]
        }
    }

    private static func string(_ bytes: Bytes) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes), as: UTF8.self)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        let lower = HTTPByte.lowercased(byte)
        return lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")
    }

    /// scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986 §3.1).
    private static func isSchemeByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
}
