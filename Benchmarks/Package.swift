// swift-tools-version:6.1
// The benchmark suite: its own package so the main package never builds SwiftNIO.
import Foundation
import PackageDescription

// The main package is the parent folder; a path dependency's identity is its folder's name.
let ringwire = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let ringwireIdentity = ringwire.lastPathComponent.lowercased()

let package = Package(
    name: "RingwireBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .systemLibrary(name: "CLiburing", path: "Sources/CLiburing"),
        .executableTarget(
            name: "ringwire-bench",
            dependencies: [
                .product(name: "Ringwire", package: ringwireIdentity),
                "CLiburing",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "nio-echo-server",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "RingwireMicro",
            dependencies: [
                .product(name: "Ringwire", package: ringwireIdentity),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/RingwireMicro",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
