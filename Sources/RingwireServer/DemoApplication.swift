import Ringwire

/// The handlers `ringwire` serves with no code of its own: a text page and a health check on HTTP
/// listeners.
enum DemoApplication {
    static let homePage = """
        Ringwire: a WebSocket server on io_uring.

        This port speaks HTTP/1.1. Try:
          curl http://localhost:9501/health

        """

    /// Installs the demo handlers on every listener, according to its protocol.
    static func install(on configuration: inout ServerConfiguration) {
        for index in configuration.listeners.indices where configuration.listeners[index].kind == .http {
            configuration.listeners[index].get("/") { _ in HTTPResponse(text: homePage) }
            configuration.listeners[index].get("/health") { _ in HTTPResponse(text: "ok\n") }
        }
    }
}
