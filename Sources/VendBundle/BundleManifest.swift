import Crypto
import Foundation

/// `manifest.json` of a bundle: what it holds and the digest that names its content.
public struct BundleManifest: Codable, Sendable, Equatable {
    /// One file of the bundle.
    public struct File: Codable, Sendable, Equatable {
        /// Path inside the bundle.
        public var path: String
        /// Lowercase hex SHA-256 of the bytes.
        public var sha256: String
        /// Size in bytes.
        public var size: Int
    }

    /// Manifest format version.
    public var format: Int
    /// Product name.
    public var product: String
    /// Product version.
    public var version: String
    /// vend version that wrote the bundle (informational: not part of the digest).
    public var toolVersion: String
    /// Every file except `manifest.json`, sorted by path.
    public var files: [File]
    /// `sha256:<hex>` over the file listing; see `digest(of:)`.
    public var bundleDigest: String

    /// The name of the manifest entry inside a bundle.
    public static let entryName = "manifest.json"
    /// The manifest format this vend writes and reads.
    public static let currentFormat = 1

    /// Builds the manifest for a product's files.
    public init(product: String, version: String, toolVersion: String, files: [String: Data]) {
        self.format = Self.currentFormat
        self.product = product
        self.version = version
        self.toolVersion = toolVersion
        self.files = files.keys.sorted(by: BundlePath.precedes).map { path in
            let data = files[path] ?? Data()
            return File(path: path, sha256: Self.hex(SHA256.hash(data: data)), size: data.count)
        }
        self.bundleDigest = Self.digest(of: self.files)
    }

    /// The content digest: SHA-256 of one `<sha256> <size> <path>\n` line per file, sorted by path.
    /// It covers exactly the product's files (product.yaml carries name and version), not the tool
    /// version, so the same content keeps its digest across vend releases.
    public static func digest(of files: [File]) -> String {
        let listing = files.sorted { BundlePath.precedes($0.path, $1.path) }
            .map { "\($0.sha256) \($0.size) \($0.path)\n" }.joined()
        return "sha256:" + hex(SHA256.hash(data: Data(listing.utf8)))
    }

    /// Lowercase hex of a digest.
    public static func hex<D: Digest>(_ digest: D) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    /// Canonical JSON bytes: sorted keys, pretty, trailing newline; the same manifest gives the same bytes.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }
}

/// Path rules shared by the writer and the reader.
public enum BundlePath {
    /// Byte-wise UTF-8 order, the same on every platform and locale.
    public static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        Array(lhs.utf8).lexicographicallyPrecedes(Array(rhs.utf8))
    }

    /// Why a path may not appear in a bundle, or nil if it is a plain relative path.
    public static func problem(_ path: String) -> String? {
        if path.isEmpty { return "an empty name" }
        if path.hasPrefix("/") { return "an absolute path" }
        if path.utf8.count > 1024 { return "a name over 1024 bytes" }
        if path.unicodeScalars.contains(where: { $0.value < 0x20 || $0 == "\\" }) { return "a control character or backslash in the name" }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        if components.contains("..") { return "a \"..\" component" }
        if components.dropLast().contains("") || components.contains(".") { return "an empty or \".\" component" }
        return nil
    }
}
