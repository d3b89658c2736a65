import RingwireTestSupport
import XCTest

/// Skips a test that measures this process's resident memory when AddressSanitizer runs: freed
/// blocks stay resident in its quarantine (up to 256 MiB) and every block carries redzones, so RSS
/// growth would measure the sanitizer rather than the server. Such tests run in the plain suite.
func skipMemoryMeasurementUnderAddressSanitizer() throws {
    if addressSanitizerIsActive {
        throw XCTSkip("measures RSS, which AddressSanitizer's quarantine and redzones distort (runs in the plain suite)")
    }
}
