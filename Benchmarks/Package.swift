// swift-tools-version:6.0
// Benchmarks live in their own package (as in swift-collections), so users never build them.
import PackageDescription

let package = Package(
    name: "UpwardBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "Upward", path: "..")],
    targets: [
        .executableTarget(
            name: "MatchingBenchmark",
            dependencies: [.product(name: "Matching", package: "Upward")],
            swiftSettings: [.unsafeFlags(["-Ounchecked"])]
        ),
    ],
    swiftLanguageModes: [.v6]
)
