/// Writes responses in HTTP/1.1 wire format.
///
/// The status line always says HTTP/1.1, also to HTTP/1.0 clients: a server sends its own
/// version (RFC 9110 §6.2), and the response uses nothing an HTTP/1.0 client cannot read
/// (no chunked coding: the body length is always Content-Length).
@_spi(RingwireInternal) public enum HTTPResponseSerializer {
    /// Writes status line, the response's headers, then Content-Length (computed; never for
    /// 1xx/204/304), `Date: <date>`, `Server: <server>`, `Connection: close` when !keepAlive (and
    /// `Connection: keep-alive` for an HTTP/1.0 keep-alive request), blank line, and the body unless
    /// `isHeadRequest` or the status forbids one.
    ///
    /// - A Content-Length in `response.headers` is dropped: the computed one is authoritative.
    /// - A Date or Server in `response.headers` replaces the generated one; an empty `server`
    ///   writes no Server header.
    /// - A Connection in `response.headers` is kept only when this function writes none (so a 101
    ///   response's `Connection: Upgrade` passes on a persistent HTTP/1.1 connection).
    /// - Headers whose name is not a token or whose value holds CR, LF or another control byte
    ///   are dropped, so handler-supplied text can never split the response.
    public static func write(
        _ response: HTTPResponse, to writer: inout some ByteWriter, version: HTTPVersion,
        isHeadRequest: Bool, keepAlive: Bool, date: String, server: String
    ) {
        let connection: String? = !keepAlive ? "close" : version == .http1_0 ? "keep-alive" : nil
        writer.write("HTTP/1.1 ")
        writeDecimal(response.status.code, to: &writer)
        writer.write(" ")
        writer.write(response.status.reasonPhrase)
        writer.write("\r\n")

        var hasDate = false
        var hasServer = false
        for (name, value) in response.headers where isWritable(name: name, value: value) {
            if HTTPByte.equalsIgnoringCase(name.utf8, "content-length".utf8) { continue }
            if connection != nil, HTTPByte.equalsIgnoringCase(name.utf8, "connection".utf8) { continue }
            hasDate = hasDate || HTTPByte.equalsIgnoringCase(name.utf8, "date".utf8)
            hasServer = hasServer || HTTPByte.equalsIgnoringCase(name.utf8, "server".utf8)
            writeField(name, value, to: &writer)
        }
        let allowsBody = response.status.allowsBody
        if allowsBody {
            // Also for HEAD: it announces the length a GET would have returned.
            writer.write("Content-Length: ")
            writeDecimal(response.body.count, to: &writer)
            writer.write("\r\n")
        }
        if !hasDate { writeField("Date", date, to: &writer) }
        if !hasServer, !server.isEmpty { writeField("Server", server, to: &writer) }
        if let connection { writeField("Connection", connection, to: &writer) }
        writer.write("\r\n")
        if allowsBody, !isHeadRequest, !response.body.isEmpty {
            writer.write(response.body)
        }
    }

    /// Writes the interim `HTTP/1.1 100 Continue` response that tells an `Expect: 100-continue`
    /// client to send its body. It has no headers, so it needs none of `write`'s parameters.
    public static func writeContinue(to writer: inout some ByteWriter) {
        writer.write("HTTP/1.1 100 Continue\r\n\r\n")
    }

    private static func writeField(_ name: String, _ value: String, to writer: inout some ByteWriter) {
        writer.write(name)
        writer.write(": ")
        writer.write(value)
        writer.write("\r\n")
    }

    /// Whether a header can be written without letting its text split the response.
    static func isWritable(name: String, value: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy(HTTPByte.isToken) && value.utf8.allSatisfy(HTTPByte.isFieldValue)
    }

    /// Writes a non-negative integer in decimal without allocating a String.
    private static func writeDecimal(_ value: Int, to writer: inout some ByteWriter) {
        DecimalDigits.with(Int64(max(0, value))) { writer.write($0) }
    }
}
