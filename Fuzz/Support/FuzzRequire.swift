import Glibc

/// Stops the run when a property does not hold. `abort()` makes libFuzzer save the input as a
/// crash reproducer, exactly as for a trap in the code under test.
func fuzzRequire(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    guard !condition() else { return }
    fuzzFail(message(), file: file, line: line)
}

/// Stops the run: a property does not hold.
func fuzzFail(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fputs("property failed at \(file):\(line): \(message)\n", stderr)
    abort()
}
