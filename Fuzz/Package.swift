// swift-tools-version:6.2
// libFuzzer targets for the parsers vend owns. Built only by `scripts/fuzz`, with
// `-sanitize=fuzzer` on every module, into its own scratch path: the root package's
// `swift build` and `swift test` never see these targets or those flags.
import Foundation
import PackageDescription

// A path dependency's identity is its folder's name, which is whatever the checkout is called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "vend-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "CFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzer"]),
        .executableTarget(name: "fuzz-ini", dependencies: ["FuzzSupport", .product(name: "AWSCore", package: root)]),
        .executableTarget(name: "fuzz-json", dependencies: ["FuzzSupport", .product(name: "AWSCore", package: root)]),
        .executableTarget(name: "fuzz-xml", dependencies: ["FuzzSupport", .product(name: "AWSCore", package: root)]),
        .executableTarget(name: "fuzz-product", dependencies: ["FuzzSupport", .product(name: "VendModel", package: root)]),
        .executableTarget(name: "fuzz-bundle", dependencies: ["FuzzSupport", .product(name: "VendBundle", package: root)]),
    ],
    swiftLanguageModes: [.v6]
)
