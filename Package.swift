// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "logsift",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "logsift", targets: ["logsift"]),
        .executable(name: "logsift-bench", targets: ["logsift-bench"]),
        .executable(name: "logsift-fuzz", targets: ["logsift-fuzz"]),
        .library(name: "LogIndexer", targets: ["LogIndexer"]),
        .library(name: "Query", targets: ["Query"]),
        .library(name: "Scoring", targets: ["Scoring"]),
        .library(name: "Reporting", targets: ["Reporting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C shims over the system libraries. Only Sources/LogIndexer/Store imports them.
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // Pure Swift: the event model, byte-level text helpers, time parsing, tokenisation.
        .target(name: "LogCore", swiftSettings: strict),
        // Pure Swift: the query language (KQL), its AST and printer.
        .target(name: "Query", swiftSettings: strict),
        // Pure Swift: noise rules, redaction, failure signals, context rescue, template mining.
        .target(name: "Filters", dependencies: ["LogCore", .product(name: "Yams", package: "Yams")], swiftSettings: strict),
        // Pure Swift: the six-metric scorecard, the weekly report model and its Markdown/HTML/JSON renderers.
        .target(name: "Scoring", dependencies: ["LogCore", .product(name: "Yams", package: "Yams")], swiftSettings: strict),
        // Decode -> join -> enrich -> store; the embedded store (SQLite + FTS5 + zstd) lives in Store/.
        .target(name: "LogIndexer", dependencies: ["LogCore", "Query", "Filters", "CZstd", "CSQLite"], swiftSettings: strict),
        // The store's figures mapped into scores and reports; shared by the CLI and the HTTP server.
        .target(name: "Reporting", dependencies: ["LogIndexer", "Scoring", "LogCore", "Filters"], swiftSettings: strict),

        // The HTTP server (`logsift serve`): Hummingbird routes over the same library calls as the CLI.
        .target(
            name: "Server",
            dependencies: ["LogIndexer", "LogCore", "Query", "Filters", "Reporting", "Scoring",
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "CompressNIO", package: "compress-nio"),
                           .product(name: "Yams", package: "Yams"),
                           .product(name: "HTTPTypes", package: "swift-http-types"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "CoreMetrics", package: "swift-metrics"),
                           .product(name: "Metrics", package: "swift-metrics"),
                           .product(name: "Prometheus", package: "swift-prometheus")],
            swiftSettings: strict
        ),

        .executableTarget(
            name: "logsift",
            dependencies: ["LogIndexer", "LogCore", "Query", "Filters", "Reporting", "Scoring", "Server",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // Coverage-guided fuzz targets over the libraries (no server). `scripts/fuzz.sh` builds it with libFuzzer
        // (-sanitize=fuzzer,address -DLOGSIFT_FUZZ); the normal build is a runner that replays inputs through them.
        .executableTarget(
            name: "logsift-fuzz",
            dependencies: ["CSQLite", "Filters", "LogCore", "LogIndexer", "Query"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "logsift-bench",
            dependencies: ["CSQLite", "Filters", "LogCore", "LogIndexer", "Query"],
            swiftSettings: strict
        ),

        .testTarget(name: "LogCoreTests", dependencies: ["LogCore"]),
        .testTarget(name: "QueryTests", dependencies: ["Query"]),
        .testTarget(name: "FiltersTests", dependencies: ["Filters", "LogCore"]),
        // Real servers for tests (clickhouse-server on loopback ports, alone or as a cluster of shards).
        .target(name: "TestSupport", dependencies: ["LogIndexer"], path: "Tests/Support"),
        .testTarget(name: "LogIndexerTests", dependencies: ["LogIndexer", "LogCore", "Query", "Filters", "TestSupport"]),
        .testTarget(name: "ConformanceTests", dependencies: ["LogIndexer", "LogCore", "Query"]),
        .testTarget(name: "CLITests", dependencies: ["LogIndexer", "LogCore", "TestSupport"], exclude: ["Golden"]),
        .testTarget(name: "ServerTests", dependencies: ["Server", "LogIndexer", "Filters", "Scoring", "TestSupport", .product(name: "Yams", package: "Yams"),
                                                        .product(name: "HummingbirdTesting", package: "hummingbird"),
                                                        .product(name: "CompressNIO", package: "compress-nio"),
                                                        .product(name: "HTTPTypes", package: "swift-http-types")]),
        .testTarget(name: "ScoringTests", dependencies: ["Scoring", "Filters", "LogCore"], exclude: ["Golden"]),
    ]
)
