import XCTest
@testable import Ringwire
final class PlaceholderTests: XCTestCase { func testBuilds() {} }
