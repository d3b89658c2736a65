/// A complete response produced by a handler: status, headers and the whole body.
///
/// Content-Length, Date, Server and Connection are added by `HTTPResponseSerializer`, so
/// handlers only set what is specific to their response.
public struct HTTPResponse: Sendable {
    /// The status line's code and reason.
    public var status: HTTPStatus
    /// Response headers, written in order after the status line.
    public var headers: HTTPHeaders
    /// The body; ignored for statuses that forbid one and for HEAD requests.
    public var body: [UInt8]

    /// Creates a response with a binary body.
    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = .init(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Creates a response with a UTF-8 text body, adding `Content-Type: text/plain; charset=utf-8`
    /// unless `headers` already has a Content-Type.
    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = .init(), text: String) {
        var headers = headers
        if headers["Content-Type"] == nil {
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        }
        self.init(status: status, headers: headers, body: Array(text.utf8))
    }
}
