import Glibc
import XCTest

/// Whether this process runs under AddressSanitizer (`swift test --sanitize=address`, as
/// `scripts/sanitizers` does): its runtime, linked into the test runner, exports `__asan_init`.
let addressSanitizerIsActive = dlsym(nil, "__asan_init") != nil

/// Skips a test that measures this process's resident memory when AddressSanitizer runs: freed
/// blocks stay resident in its quarantine (up to 256 MiB) and every block carries redzones, so RSS
/// growth would measure the sanitizer rather than the server. Such tests run in the plain suite.
func skipMemoryMeasurementUnderAddressSanitizer() throws {
    if addressSanitizerIsActive {
        throw XCTSkip("measures RSS, which AddressSanitizer's quarantine and redzones distort (runs in the plain suite)")
    }
}
