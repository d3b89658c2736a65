// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "Ringwire",
    products: [
        .library(name: "Ringwire", targets: ["Ringwire"]),
        .executable(name: "ringwire", targets: ["RingwireServer"]),
        // The C layer, for the benchmark suite's io_uring load generator (not needed by applications).
        .library(name: "RingwireCShims", targets: ["CShims"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Thin C layer: liburing, libcrypto and zlib entry points Swift cannot reach directly.
        .target(
            name: "CShims",
            path: "CShims",
            linkerSettings: [.linkedLibrary("uring"), .linkedLibrary("crypto"), .linkedLibrary("z")]
        ),
        .target(
            name: "Ringwire",
            dependencies: ["CShims", .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "RingwireServer",
            dependencies: ["Ringwire", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "RingwireTests", dependencies: ["Ringwire"]),
        // The binary's own code (the chat room's protocol and registry), tested without sockets.
        .testTarget(name: "RingwireServerTests", dependencies: ["RingwireServer", "Ringwire"]),
        // Depends on the library the way an application's package does: public API only.
        .testTarget(name: "RingwireEmbeddingTests", dependencies: ["Ringwire"]),
    ],
    swiftLanguageModes: [.v6]
)
