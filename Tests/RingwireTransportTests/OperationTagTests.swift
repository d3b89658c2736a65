import XCTest

@_spi(RingwireInternal) @testable import RingwireTransport

/// A completion's `user_data` must give back exactly the tag it was submitted with.
final class OperationTagTests: XCTestCase {
    private let kinds: [OperationTag.Kind] = [
        .accept, .receive, .send, .cancel, .close, .handOff, .handOffFailed, .wakeUp, .mailbox, .wakeFailed, .ignored, .connect,
    ]

    func testEveryFieldRoundTripsAtItsLimits() {
        for kind in kinds {
            for slot: UInt32 in [0, 1, 0x7F_FFFF, 0xFF_FFFE, 0xFF_FFFF] {
                for generation: UInt32 in [0, 1, 0x8000_0000, .max - 1, .max] {
                    let tag = OperationTag(kind, slot: slot, generation: generation)
                    XCTAssertEqual(OperationTag(userData: tag.userData), tag, "\(kind) \(slot) \(generation)")
                }
            }
        }
    }

    func testFieldsDoNotBleedIntoEachOther() {
        let full = OperationTag(.ignored, slot: 0xFF_FFFF, generation: .max)
        XCTAssertEqual(full.userData, UInt64(OperationTag.Kind.ignored.rawValue) << 56 | 0x00FF_FFFF_FFFF_FFFF)
        XCTAssertEqual(OperationTag(.receive, slot: 0, generation: .max).userData >> 32, UInt64(OperationTag.Kind.receive.rawValue) << 24)
        XCTAssertEqual(OperationTag(.receive, slot: 0xFF_FFFF, generation: 0).userData & 0xFFFF_FFFF, 0)
    }

    func testUserDataOfNoKnownKindIsNotATag() {
        XCTAssertNil(OperationTag(userData: 0), "0 is what an unset user_data reads as")
        XCTAssertNil(OperationTag(userData: UInt64(0xEE) << 56 | 5))
    }
}
