import Crypto
import Foundation

/// SHA-256 in one place, so every module hashes the same way.
public enum SHA256Hasher {
    /// The digest of `data`.
    public static func hash(_ data: Data) -> SHA256.Digest { SHA256.hash(data: data) }

    /// Lowercase hex SHA-256 of `data`.
    public static func hex(_ data: Data) -> String { BundleManifest.hex(SHA256.hash(data: data)) }
}
