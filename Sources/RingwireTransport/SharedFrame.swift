import Glibc

/// Bytes that many connections send unchanged — a published message, framed once — shared by
/// reference among their send queues on any worker instead of copied into each.
///
/// Immutable after `init`, so any thread may read it (hence `@unchecked Sendable`: the pointer is
/// never written after `init`); the last reference frees it.
package final class SharedFrame: @unchecked Sendable {
    package let bytes: UnsafeRawBufferPointer

    /// Allocates `count` bytes and lets `fill` write them (it must write exactly `count`).
    package init(count: Int, fill: (UnsafeMutableRawBufferPointer) -> Void) {
        guard let memory = malloc(max(count, 1)) else { fatalError("out of memory allocating a \(count)-byte frame") }
        let buffer = UnsafeMutableRawBufferPointer(start: memory, count: count)
        fill(buffer)
        bytes = UnsafeRawBufferPointer(buffer)
    }

    deinit { free(UnsafeMutableRawPointer(mutating: bytes.baseAddress)) }
}
