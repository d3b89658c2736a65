import RingwireTestSupport
import XCTest

extension XCTestCase {
    /// A throwaway `redis-server` for this test, stopped when it ends; a missing `redis-server`
    /// skips the test (or fails it under `RINGWIRE_REQUIRE_CLIENTS=1`, see `missingClient`).
    func startRedis(_ arguments: [String] = []) throws -> RedisTestServer {
        do {
            let server = try RedisTestServer(arguments: arguments)
            addTeardownBlock { server.stop() }
            return server
        } catch let unavailable as RedisTestServer.Unavailable {
            throw missingClient(unavailable.description)
        }
    }
}
