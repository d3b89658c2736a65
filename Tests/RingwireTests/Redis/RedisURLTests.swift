import XCTest

@testable import Ringwire

final class RedisURLTests: XCTestCase {
    func testHostAloneTakesTheDefaults() throws {
        let url = try RedisURL("redis://cache.internal")
        XCTAssertEqual(url.host, "cache.internal")
        XCTAssertEqual(url.port, 6379)
        XCTAssertEqual(url.database, 0)
        XCTAssertNil(url.credentials)
    }

    func testEveryPartIsRead() throws {
        let url = try RedisURL("redis://app:s3cret@10.0.0.7:6380/4")
        XCTAssertEqual(url.host, "10.0.0.7")
        XCTAssertEqual(url.port, 6380)
        XCTAssertEqual(url.database, 4)
        XCTAssertEqual(url.credentials?.user, "app")
        XCTAssertEqual(url.credentials?.password, "s3cret")
    }

    func testUserAndPasswordArePercentDecoded() throws {
        let url = try RedisURL("redis://us%40er:p%3Aa%2Fss%40@localhost:1/")
        XCTAssertEqual(url.credentials?.user, "us@er")
        XCTAssertEqual(url.credentials?.password, "p:a/ss@")
        XCTAssertEqual(url.database, 0, "a bare slash is database 0")
    }

    func testPasswordAloneMeansTheDefaultUser() throws {
        let url = try RedisURL("REDIS://:pw@h")
        XCTAssertEqual(url.credentials?.user, "default")
        XCTAssertEqual(url.credentials?.password, "pw")
    }

    func testIPv6HostsAreBracketed() throws {
        let url = try RedisURL("redis://[::1]:7000/2")
        XCTAssertEqual(url.host, "::1")
        XCTAssertEqual(url.port, 7000)
        XCTAssertEqual(url.description, "redis://[::1]:7000/2")
    }

    func testDescriptionHidesThePassword() throws {
        XCTAssertEqual(try RedisURL("redis://u:topsecret@h:1/3").description, "redis://u:***@h:1/3")
    }

    func testEachMalformedPartIsNamed() {
        let cases: [(String, RedisURLError)] = [
            ("http://h", .scheme),
            ("h:6379", .scheme),
            ("redis://user@h", .userInfo),
            ("redis://", .host),
            ("redis://:pw@:6379", .host),
            ("redis://[::1", .host),
            ("redis://[::1]x", .host),
            ("redis://h:0", .port("0")),
            ("redis://h:65536", .port("65536")),
            ("redis://h:+1", .port("+1")),
            ("redis://h:", .port("")),
            ("redis://h/16", .database("16", maximum: 15)),
            ("redis://h/-1", .database("-1", maximum: 15)),
            ("redis://h/a", .database("a", maximum: 15)),
            ("redis://h/1?x=1", .unsupported("h/1?x=1")),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try RedisURL(text), text) { XCTAssertEqual($0 as? RedisURLError, expected, text) }
        }
    }

    func testTheDatabaseLimitCanBeRaised() throws {
        XCTAssertEqual(try RedisURL("redis://h/31", maximumDatabase: 31).database, 31)
    }

    func testErrorMessagesNameThePart() {
        XCTAssertEqual(RedisURLError.port("x").description, "Redis URL port 'x': expected a number from 1 to 65535")
        XCTAssertEqual(RedisURLError.database("16", maximum: 15).description, "Redis URL database '16': expected a number from 0 to 15")
    }
}
