// swift-tools-version:6.2
// A standalone driver for the CPU cost of inflating one hostile permessage-deflate message (issue 9):
// its own package so it builds with nothing but Ringwire, unlike the benchmark suite next to it.
import Foundation
import PackageDescription

// The main package is two folders up; a path dependency's identity is its folder's name.
let ringwire = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let package = Package(
    name: "InflateCost",
    dependencies: [.package(path: ringwire.path)],
    targets: [
        .executableTarget(
            name: "inflate-cost",
            dependencies: [.product(name: "Ringwire", package: ringwire.lastPathComponent.lowercased())]
        )
    ],
    swiftLanguageModes: [.v6]
)
