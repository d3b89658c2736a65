import Foundation
import Logging

/// Keeps every message logged through it, so tests can check what the server reported.
package struct CapturingLogHandler: LogHandler {
    /// Where the messages go; shared by all copies of the handler.
    package final class Store: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [(Logger.Level, String)] = []

        package init() {}

        package func append(_ level: Logger.Level, _ message: String) {
            lock.lock()
            stored.append((level, message))
            lock.unlock()
        }

        package var messages: [(level: Logger.Level, text: String)] {
            lock.lock()
            defer { lock.unlock() }
            return stored.map { (level: $0.0, text: $0.1) }
        }
    }

    package let store: Store
    package var logLevel: Logger.Level = .trace
    package var metadata: Logger.Metadata = [:]

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        store.append(event.level, "\(event.message)")
    }

    /// A logger writing into `store`.
    package static func logger(into store: Store) -> Logger {
        Logger(label: "test", factory: { _ in CapturingLogHandler(store: store) })
    }
}
