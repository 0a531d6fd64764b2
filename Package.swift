// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "vend",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vend", targets: ["vend"]),
        // The parsers, as libraries for the fuzz package in Fuzz/ (which depends on this one by path).
        .library(name: "AWSCore", targets: ["AWSCore"]),
        .library(name: "VendModel", targets: ["VendModel"]),
        .library(name: "VendBundle", targets: ["VendBundle"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // The executable is a few lines: everything lives in libraries that tests drive in-process.
        .executableTarget(name: "vend", dependencies: ["VendCLI"]),
        // `git describe` of the checkout, written before each build by the GitDescribe plugin.
        .target(name: "VendBuildInfo", plugins: ["GitDescribe"]),
        .plugin(name: "GitDescribe", capability: .buildTool()),
        .target(
            name: "VendCLI",
            dependencies: [
                "VendBuildInfo", "VendEngine", "VendModel", "VendBundle", "AWSServices", "AWSCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "VendEngine", dependencies: ["VendModel", "VendBundle", "AWSServices"]),
        .target(
            name: "VendModel",
            dependencies: ["Yams"]
        ),
        .target(
            name: "VendBundle",
            dependencies: [
                "CLibArchive",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // libarchive, loaded with dlopen on first use (see vend_archive.c); its headers come
        // from libarchive-dev.
        .target(name: "CLibArchive", dependencies: ["CVendDL"]),
        .target(name: "AWSServices", dependencies: ["AWSCore"], exclude: ["README.md"]),
        // libcurl, loaded with dlopen on the first HTTP request (see include/vend_curl.h).
        .target(name: "CVendCurl", dependencies: ["CVendDL"]),
        // libxml2's reader, loaded with dlopen on the first XML answer (see include/vend_xml.h).
        .target(name: "CVendXML", dependencies: ["CVendDL"]),
        // dlopen/dlsym helpers the three share.
        .target(name: "CVendDL", linkerSettings: [.linkedLibrary("dl")]),
        .target(
            name: "AWSCore",
            dependencies: [
                "AWSSigV4", "CVendCurl", "CVendXML",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(name: "AWSSigV4", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "VendTestSupport", dependencies: ["AWSCore", "AWSServices", "VendEngine", "VendModel"]),
        .testTarget(name: "VendModelTests", dependencies: ["VendModel", "VendTestSupport"]),
        .testTarget(name: "VendBundleTests", dependencies: ["VendBundle", "VendEngine", "VendModel", "VendTestSupport", "CLibArchive"]),
        .testTarget(name: "VendCLITests", dependencies: ["VendCLI", "VendTestSupport"]),
        .testTarget(name: "VendEngineTests", dependencies: ["VendEngine", "VendModel", "VendBundle", "VendTestSupport", "AWSCore", "AWSServices"]),
        .testTarget(name: "VendIntegrationTests", dependencies: ["VendCLI", "VendEngine", "VendModel", "VendTestSupport", "AWSCore", "AWSServices"]),
        .testTarget(name: "AWSSigV4Tests", dependencies: ["AWSSigV4"], exclude: ["Fixtures"]),
        .testTarget(name: "AWSCoreTests", dependencies: ["AWSCore", "AWSServices", "VendTestSupport"]),
        .testTarget(name: "AWSServicesTests", dependencies: ["AWSCore", "AWSServices", "VendTestSupport"], exclude: ["Goldens"]),
        .testTarget(name: "AWSIntegrationTests", dependencies: ["AWSCore", "AWSServices", "VendTestSupport"]),
        .testTarget(name: "AWSWhoamiTests", dependencies: ["VendCLI", "AWSCore", "VendTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
