import XCTest

@_spi(RingwireInternal) @testable import RingwireCodecs

final class PerMessageDeflateMemoryTests: XCTestCase {
    func testDefaultsAreAboutThreeHundredKiB() {
        let bytes = PerMessageDeflateConfiguration.estimatedMemoryPerConnection(for: PerMessageDeflateConfiguration())
        // 128 KiB window + 128 KiB hash/pending for deflate, 32 KiB inflate window, plus state.
        XCTAssertEqual(bytes, (128 + 128 + 32) * 1024 + 6 * 1024 + 256 + 7 * 1024 + 256)
    }

    func testNegotiatedParametersAndMemLevelShrinkIt() {
        var configuration = PerMessageDeflateConfiguration()
        configuration.memLevel = 5
        let parameters = PerMessageDeflateParameters(serverMaxWindowBits: 12, clientMaxWindowBits: 12)
        let bytes = PerMessageDeflateConfiguration.estimatedMemoryPerConnection(for: configuration, parameters: parameters)
        XCTAssertEqual(bytes, (16 + 16 + 4) * 1024 + 6 * 1024 + 256 + 7 * 1024 + 256)
    }

    func testWindowEightCountsAsNine() {
        let eight = PerMessageDeflateParameters(serverMaxWindowBits: 8)
        let nine = PerMessageDeflateParameters(serverMaxWindowBits: 9)
        let configuration = PerMessageDeflateConfiguration()
        XCTAssertEqual(
            PerMessageDeflateConfiguration.estimatedMemoryPerConnection(for: configuration, parameters: eight),
            PerMessageDeflateConfiguration.estimatedMemoryPerConnection(for: configuration, parameters: nine)
        )
    }

    func testSharedCompressorLeavesOnlyTheInflater() {
        var configuration = PerMessageDeflateConfiguration()
        configuration.sharedCompressor = true
        XCTAssertEqual(PerMessageDeflateConfiguration.estimatedMemoryPerConnection(for: configuration), 32 * 1024 + 7 * 1024 + 256)
    }
}
