/// How many bytes the partial incoming messages (WebSocket messages, HTTP request bodies) of all
/// connections on one worker may hold together (`ServerConfiguration.messageBufferBudgetPerWorker`).
///
/// Each connection's own limit (`maxMessageSize`, `maxBodySize`) bounds one message; this bounds
/// their sum, so many connections each holding an almost complete large message cannot pin the
/// machine's memory. The connection that would grow past it is failed (1013 Try Again Later, 503).
/// Confined to the worker thread, like the sessions and readers that charge it.
package final class MessageBufferBudget {
    /// Bytes that may be held at once.
    package let limit: Int
    /// Bytes held now (buffer capacities, not just their used parts: that is what memory costs).
    package private(set) var used = 0

    package init(limit: Int) {
        self.limit = limit
    }

    /// Takes `bytes` from the budget; false (and nothing taken) if that would pass the limit.
    package func reserve(_ bytes: Int) -> Bool {
        guard bytes <= limit - used else { return false }
        used += bytes
        return true
    }

    /// Gives back bytes taken by `reserve`.
    package func release(_ bytes: Int) {
        used -= bytes
    }

    /// Whether a finished message's buffer may be kept for the next one: only while at most half the
    /// budget is in use, so kept buffers never crowd out messages in progress.
    var allowsRetaining: Bool { used <= limit / 2 }
}

/// A budget belongs to one worker thread.
@available(*, unavailable)
extension MessageBufferBudget: Sendable {}
