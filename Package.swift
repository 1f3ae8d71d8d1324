// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Upward",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "upward", targets: ["UpwardCLI"]),
        .library(name: "Matching", targets: ["Matching"]),
        .library(name: "Scheduling", targets: ["Scheduling"]),
        .library(name: "SMTP", targets: ["SMTP"]),
        .library(name: "Upward", targets: ["Upward"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.4.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.29.0"),
    ],
    targets: [
        // Pure Swift: profiles → scores → rules → solver → explained proposals. Never imports Vapor.
        .target(name: "Matching"),
        // Pure Swift: meetings planned from a cadence across time zones, and iCalendar. Never imports Vapor.
        .target(name: "Scheduling"),
        // An SMTP client on SwiftNIO and NIOSSL, and MIME messages. Never imports Vapor.
        .target(
            name: "SMTP",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The Vapor application.
        .target(
            name: "Upward",
            dependencies: [
                "Matching",
                "Scheduling",
                "SMTP",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        // The `upward` executable: entry point and thin commands.
        .executableTarget(
            name: "UpwardCLI",
            dependencies: [
                "Upward",
                "Matching",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/upward"
        ),
        .testTarget(name: "MatchingTests", dependencies: ["Matching"]),
        .testTarget(name: "SchedulingTests", dependencies: ["Scheduling"]),
        .testTarget(name: "SMTPTests", dependencies: ["SMTP", .product(name: "NIOEmbedded", package: "swift-nio")]),
        .testTarget(
            name: "UpwardTests",
            dependencies: [
                "Upward",
                .product(name: "VaporTesting", package: "vapor"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "UpwardCLITests", dependencies: ["UpwardCLI", "Matching"]),
    ],
    swiftLanguageModes: [.v6]
)
