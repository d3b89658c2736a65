import Foundation
import Logging

/// Keeps every message logged through it, so tests can check what the server reported.
struct CapturingLogHandler: LogHandler {
    /// Where the messages go; shared by all copies of the handler.
    final class Store: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [(Logger.Level, String)] = []

        func append(_ level: Logger.Level, _ message: String) {
            lock.lock()
            stored.append((level, message))
            lock.unlock()
        }

        var messages: [(level: Logger.Level, text: String)] {
            lock.lock()
            defer { lock.unlock() }
            return stored.map { (level: $0.0, text: $0.1) }
        }
    }

    let store: Store
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        store.append(event.level, "\(event.message)")
    }

    /// A logger writing into `store`.
    static func logger(into store: Store) -> Logger {
        Logger(label: "test", factory: { _ in CapturingLogHandler(store: store) })
    }
}
