// swift-tools-version:6.2
import PackageDescription

// Layers, bottom up; each target sees only the ones below it:
//   CZlibCrypto, CURing          thin C modules (zlib + libcrypto; liburing + threads)
//   RingwireCodecs               sans-I/O HTTP/1.1, WebSocket and RESP codecs, deflate (no ring, no sockets)
//   RingwireTransport            rings, worker loops, connections, mailboxes (no protocol)
//   Ringwire                     sessions, routing, pub/sub, server, public API
let package = Package(
    name: "Ringwire",
    products: [
        .library(name: "Ringwire", targets: ["Ringwire"]),
        .executable(name: "ringwire", targets: ["RingwireServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(
            name: "CZlibCrypto",
            path: "CShims/ZlibCrypto",
            linkerSettings: [.linkedLibrary("crypto"), .linkedLibrary("z")]
        ),
        .target(
            name: "CURing",
            path: "CShims/URing",
            linkerSettings: [.linkedLibrary("uring")]
        ),
        .target(name: "RingwireCodecs", dependencies: ["CZlibCrypto"]),
        .target(
            name: "RingwireTransport",
            dependencies: ["CURing", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "Ringwire",
            dependencies: ["RingwireCodecs", "RingwireTransport", .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "RingwireServer",
            dependencies: ["Ringwire", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // What tests share: seeded random data, and the embedded harness (an in-memory connection and
        // a manual clock) that drives sessions without sockets or sleeps.
        .target(name: "RingwireTestSupport", dependencies: ["Ringwire", "RingwireTransport", "RingwireCodecs", "CZlibCrypto"]),
        .testTarget(name: "RingwireCodecsTests", dependencies: ["RingwireCodecs", "CZlibCrypto", "RingwireTestSupport"]),
        .testTarget(name: "RingwireTransportTests", dependencies: ["RingwireTransport", "CURing", "RingwireTestSupport"]),
        .testTarget(name: "RingwireTests", dependencies: ["Ringwire", "RingwireTestSupport"]),
        // The binary's own code (the chat room's protocol and registry), tested without sockets.
        .testTarget(name: "RingwireServerTests", dependencies: ["RingwireServer", "Ringwire", "RingwireTestSupport"]),
        // Depends on the library the way an application's package does: public API only.
        .testTarget(name: "RingwireEmbeddingTests", dependencies: ["Ringwire"]),
    ],
    swiftLanguageModes: [.v6]
)
