/// One HTTP response as a client reads it, parsed bytewise (independently of the server's serializer).
package struct TestResponse {
    package var status: Int
    package var statusLine: String
    /// Header names lowercased, in order.
    package var headers: [(String, String)]
    package var body: [UInt8]

    package func header(_ name: String) -> String? { headers.first { $0.0 == name.lowercased() }?.1 }
    package var text: String { String(decoding: body, as: UTF8.self) }

    /// Takes the first complete response off the front of `bytes`; nil (and `bytes` untouched) while
    /// it is incomplete. A body without Content-Length runs to the end of the stream, so it is complete
    /// only `atEndOfStream`. `headRequest` means no body.
    package static func parse(_ bytes: inout [UInt8], headRequest: Bool = false, atEndOfStream: Bool = false) -> TestResponse? {
        let delimiter = Array("\r\n\r\n".utf8)
        guard bytes.count >= delimiter.count,
            let headEnd = (0...(bytes.count - delimiter.count)).first(where: { bytes[$0..<$0 + delimiter.count].elementsEqual(delimiter) })
        else { return nil }
        let head = String(decoding: bytes[..<headEnd], as: UTF8.self)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: true).map(String.init)
        let statusLine = lines.removeFirst()
        let status = Int(statusLine.split(separator: " ")[1]) ?? 0
        var headers: [(String, String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((line[..<colon].lowercased(), String(line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" })))
        }
        var response = TestResponse(status: status, statusLine: statusLine, headers: headers, body: [])
        let bodyStart = headEnd + delimiter.count
        let bodyEnd: Int
        if status == 100 || status == 101 || headRequest || status == 204 || status == 304 {
            bodyEnd = bodyStart
        } else if let length = response.header("content-length").flatMap(Int.init) {
            guard bytes.count >= bodyStart + length else { return nil }
            bodyEnd = bodyStart + length
        } else {
            guard atEndOfStream else { return nil }
            bodyEnd = bytes.count
        }
        response.body = Array(bytes[bodyStart..<bodyEnd])
        bytes.removeFirst(bodyEnd)
        return response
    }
}
