import Foundation
import VendBundle

/// Idempotency tokens derived from content, never random, so a retried or re-run command never
/// creates a second product, artifact, constraint or action.
///
/// AWS accepts `[a-zA-Z0-9][a-zA-Z0-9_-]*`, at most 128 characters; a SHA-256 hex of the parts
/// (64 characters) fits and cannot collide for different inputs in practice.
public enum IdempotencyToken {
    /// The token for an operation on the given parts (e.g. operation, account, region, name, digest).
    public static func make(_ parts: String...) -> String { make(parts) }

    /// The token for an operation on the given parts.
    public static func make(_ parts: [String]) -> String {
        SHA256Hasher.hex(Data(parts.joined(separator: "\u{1F}").utf8))
    }
}
