import XCTest

@testable import Ringwire

final class RouteTableTests: XCTestCase {
    private func table() -> RouteTable<String> {
        var routes = RouteTable<String>()
        routes.add(.get, "/", "root")
        routes.add(.get, "/health", "health")
        routes.add(.get, "/rooms/:id", "room")
        routes.add(.delete, "/rooms/:id", "delete room")
        routes.add(.get, "/rooms/new", "new room form")
        routes.add(.get, "/rooms/:id/members/:member", "member")
        routes.add(.get, "/static/*", "static")
        routes.add(nil, "/any", "any")
        routes.add(.post, "/upload", "upload")
        return routes
    }

    func testPathPatternSegments() throws {
        XCTAssertEqual(try PathPattern("/").segments, [.literal("")])
        XCTAssertEqual(try PathPattern("/rooms/:id/x").segments, [.literal("rooms"), .parameter("id"), .literal("x")])
        XCTAssertEqual(try PathPattern("/static/*").segments, [.literal("static"), .wildcard])
    }

    func testMalformedPatternsAreKeptAsideWithTheirProblem() {
        var routes = RouteTable<String>()
        routes.add(.get, "no-slash", "a")
        routes.add(.get, "/files/*/more", "b")
        routes.add(.get, "/rooms/:", "c")
        routes.add(.get, "/fine", "d")
        XCTAssertEqual(
            routes.invalidPatterns.map(\.description),
            [
                "route pattern 'no-slash': it must start with /",
                "route pattern '/files/*/more': * must be its last segment",
                "route pattern '/rooms/:': a parameter has no name",
            ])
        XCTAssertEqual(routes.match(method: .get, path: "/fine"), .found("d", parameters: [:]))
        XCTAssertEqual(routes.match(method: .get, path: "/files/x/more"), .notFound)
    }

    func testStaticRoutes() {
        let routes = table()
        XCTAssertEqual(routes.match(method: .get, path: "/"), .found("root", parameters: [:]))
        XCTAssertEqual(routes.match(method: .get, path: "/health"), .found("health", parameters: [:]))
        XCTAssertEqual(routes.match(method: .get, path: "/health/"), .notFound)
        XCTAssertEqual(routes.match(method: .get, path: "/nope"), .notFound)
        XCTAssertEqual(routes.match(method: .get, path: ""), .found("root", parameters: [:]))
    }

    func testParametersArePercentDecoded() {
        let routes = table()
        XCTAssertEqual(routes.match(method: .get, path: "/rooms/42"), .found("room", parameters: ["id": "42"]))
        XCTAssertEqual(
            routes.match(method: .get, path: "/rooms/caf%C3%A9%20au%2Flait+x"),
            .found("room", parameters: ["id": "café au/lait+x"]))
        XCTAssertEqual(routes.match(method: .get, path: "/rooms/100%"), .found("room", parameters: ["id": "100%"]))
        XCTAssertEqual(routes.match(method: .get, path: "/rooms/%zz"), .found("room", parameters: ["id": "%zz"]))
        XCTAssertEqual(
            routes.match(method: .get, path: "/rooms/7/members/bob"),
            .found("member", parameters: ["id": "7", "member": "bob"]))
        XCTAssertEqual(routes.match(method: .get, path: "/rooms/"), .notFound)
    }

    func testStaticSegmentsWinOverParameters() {
        let routes = table()
        XCTAssertEqual(routes.match(method: .get, path: "/rooms/new"), .found("new room form", parameters: [:]))
        // The literal branch has no DELETE, so the parameter route takes it.
        XCTAssertEqual(routes.match(method: .delete, path: "/rooms/new"), .found("delete room", parameters: ["id": "new"]))
        // Backtracking: the literal `new` dead-ends, the parameter branch continues.
        XCTAssertEqual(
            routes.match(method: .get, path: "/rooms/new/members/x"),
            .found("member", parameters: ["id": "new", "member": "x"]))
    }

    func testWildcardCapturesTheRest() {
        let routes = table()
        XCTAssertEqual(
            routes.match(method: .get, path: "/static/css/site%20a.css"),
            .found("static", parameters: ["*": "css/site a.css"]))
        XCTAssertEqual(routes.match(method: .get, path: "/static/"), .found("static", parameters: ["*": ""]))
        XCTAssertEqual(routes.match(method: .get, path: "/static"), .notFound)
    }

    func testMethodNotAllowedListsAllowedMethods() {
        let routes = table()
        XCTAssertEqual(routes.match(method: .post, path: "/rooms/1"), .methodNotAllowed(allowed: [.get, .head, .delete]))
        XCTAssertEqual(routes.match(method: .get, path: "/upload"), .methodNotAllowed(allowed: [.post]))
        XCTAssertEqual(routes.match(method: .post, path: "/rooms/new"), .methodNotAllowed(allowed: [.get, .head, .delete]))
    }

    func testHeadFallsBackToGetAndAnyMethodMatchesEverything() {
        let routes = table()
        XCTAssertEqual(routes.match(method: .head, path: "/health"), .found("health", parameters: [:]))
        XCTAssertEqual(routes.match(method: .head, path: "/upload"), .methodNotAllowed(allowed: [.post]))
        for method in HTTPMethod.allCases {
            XCTAssertEqual(routes.match(method: method, path: "/any"), .found("any", parameters: [:]))
        }
        var explicit = table()
        explicit.add(.head, "/health", "head health")
        XCTAssertEqual(explicit.match(method: .head, path: "/health"), .found("head health", parameters: [:]))
    }

    func testLaterRegistrationReplacesEarlier() {
        var routes = table()
        routes.add(.get, "/health", "health v2")
        XCTAssertEqual(routes.match(method: .get, path: "/health"), .found("health v2", parameters: [:]))
    }

    func testParameterNamesMayDifferAcrossRoutes() {
        var routes = RouteTable<Int>()
        routes.add(.get, "/u/:id", 1)
        routes.add(.get, "/u/:name/posts", 2)
        XCTAssertEqual(routes.match(method: .get, path: "/u/5"), .found(1, parameters: ["id": "5"]))
        XCTAssertEqual(routes.match(method: .get, path: "/u/ann/posts"), .found(2, parameters: ["name": "ann"]))
    }
}
