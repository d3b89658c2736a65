import Glibc

/// Whether this process runs under AddressSanitizer (`swift test --sanitize=address`, as
/// `scripts/sanitizers` does): its runtime, linked into the test runner, exports `__asan_init`.
package let addressSanitizerIsActive = dlsym(nil, "__asan_init") != nil
