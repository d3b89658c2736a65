import Foundation

/// This process's resident set size (VmRSS) in bytes: the servers under test run in the test
/// process. Not being able to read it stops the run, so a memory check can never pass vacuously.
func residentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
    else { preconditionFailure("cannot read VmRSS from /proc/self/status") }
    return kilobytes * 1024
}
