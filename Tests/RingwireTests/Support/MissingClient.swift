import Foundation
import XCTest

/// A client or tool a test needs (Python websockets, Chromium, curl, the built binary) is missing.
struct MissingClient: Error, CustomStringConvertible {
    let description: String
}

/// What to throw when `reason` keeps a test from running: a skip on a developer's machine, a failure
/// where `RINGWIRE_REQUIRE_CLIENTS` is set (CI sets it after installing everything), so a broken
/// install cannot pass as skipped tests.
func missingClient(_ reason: String) -> Error {
    ProcessInfo.processInfo.environment["RINGWIRE_REQUIRE_CLIENTS"] == nil ? XCTSkip(reason) : MissingClient(description: reason)
}
