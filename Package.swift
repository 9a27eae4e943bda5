// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "access-audit",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "access-audit", targets: ["access-audit"]),
        .library(name: "AccessAuditKit", targets: ["AccessAuditKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    ],
    targets: [
        // The system libsqlite3 and nothing else (STYLE.md: a project-specific module name
        // so it cannot collide with another package's `CSQLite`).
        .systemLibrary(
            name: "CAccessAuditSQLite",
            path: "Sources/CAccessAuditSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        .target(
            name: "AccessAuditKit",
            dependencies: [
                "CAccessAuditSQLite", .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
            // No unsafeFlags: a package that uses them cannot be depended on. The fast engine's
            // hot state opts out of run-time exclusivity checks per property instead
            // (`@exclusivity(unchecked)` in FastState), so debug and release check everything else.
        ),
        .executableTarget(
            name: "access-audit",
            dependencies: [
                "AccessAuditKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "AccessAuditKitTests",
            dependencies: ["AccessAuditKit"],
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "AccessAuditCLITests",
            dependencies: ["access-audit", "AccessAuditKit"]
        ),
    ]
)
