/// The request methods Ringwire understands (RFC 9110 §9 plus PATCH from RFC 5789).
///
/// A request whose method is a syntactically valid token outside this set is rejected with
/// `HTTPParseError.unknownMethod` (501), so handlers never see a method they cannot name.
public enum HTTPMethod: Hashable, Sendable, CaseIterable {
    /// GET: retrieve a representation.
    case get
    /// HEAD: like GET, without the body; routed to GET handlers unless one is registered.
    case head
    /// POST: process the enclosed body.
    case post
    /// PUT: replace the target with the enclosed body.
    case put
    /// DELETE: remove the target.
    case delete
    /// OPTIONS: describe the communication options (`*` target allowed).
    case options
    /// PATCH: partially modify the target (RFC 5789).
    case patch
    /// TRACE: loop the request back.
    case trace
    /// CONNECT: open a tunnel (authority-form target).
    case connect

    /// The method as it appears on the wire, e.g. `"GET"`.
    public var name: String {
        switch self {
        case .get: "GET"
        case .head: "HEAD"
        case .post: "POST"
        case .put: "PUT"
        case .delete: "DELETE"
        case .options: "OPTIONS"
        case .patch: "PATCH"
        case .trace: "TRACE"
        case .connect: "CONNECT"
        }
    }

    /// Recognises a method from its wire bytes. Methods are case-sensitive (RFC 9110 §9.1), so
    /// `get` is a valid token but not `GET`.
    package init?(bytes: UnsafeRawBufferPointer) {
        // Switching on the length first keeps this to at most three byte comparisons.
        switch bytes.count {
        case 3:
            if bytes.elementsEqual("GET".utf8) { self = .get } else if bytes.elementsEqual("PUT".utf8) { self = .put } else { return nil }
        case 4:
            if bytes.elementsEqual("POST".utf8) {
                self = .post
            } else if bytes.elementsEqual("HEAD".utf8) {
                self = .head
            } else {
                return nil
            }
        case 5:
            if bytes.elementsEqual("PATCH".utf8) {
                self = .patch
            } else if bytes.elementsEqual("TRACE".utf8) {
                self = .trace
            } else {
                return nil
            }
        case 6:
            if bytes.elementsEqual("DELETE".utf8) { self = .delete } else { return nil }
        case 7:
            if bytes.elementsEqual("OPTIONS".utf8) {
                self = .options
            } else if bytes.elementsEqual("CONNECT".utf8) {
                self = .connect
            } else {
                return nil
            }
        default:
            return nil
        }
    }
}
