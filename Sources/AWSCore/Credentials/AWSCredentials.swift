import AWSSigV4
import Foundation

/// Credentials with their expiry and where they came from.
public struct AWSCredentials: Sendable, CustomStringConvertible {
    /// The keys to sign with.
    public var signing: SigningCredentials
    /// When temporary credentials stop working (nil: never).
    public var expiration: Date?
    /// Where they came from, for `whoami` and `--verbose` (never a secret).
    public var source: String

    /// Creates credentials.
    public init(signing: SigningCredentials, expiration: Date? = nil, source: String) {
        self.signing = signing
        self.expiration = expiration
        self.source = source
    }

    /// The access key id and source only.
    public var description: String { "\(signing) from \(source)" }
}

/// One way of getting credentials.
public protocol CredentialProvider: Sendable {
    /// Returns credentials, fetching them if needed.
    func credentials() async throws -> AWSCredentials
}

/// Fixed credentials.
public struct StaticCredentialProvider: CredentialProvider {
    /// The credentials returned.
    public var value: AWSCredentials
    /// Creates a provider that always returns `value`.
    public init(_ value: AWSCredentials) { self.value = value }
    /// `value`.
    public func credentials() async throws -> AWSCredentials { value }
}

/// Why no credentials could be resolved. Descriptions read "what happened: why — what to do".
public struct CredentialError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What kind of problem.
    public enum Kind: String, Sendable {
        /// No provider in the chain had credentials.
        case notFound
        /// A profile's settings are wrong or incomplete.
        case invalidConfig
        /// The named profile does not exist.
        case profileNotFound
        /// `source_profile` links form a loop.
        case sourceProfileCycle
        /// The profile needs an MFA code and none can be asked for.
        case mfaRequired
        /// The SSO token is missing or expired.
        case ssoLoginRequired
        /// `credential_process` failed or printed something unusable.
        case processFailed
        /// A token file could not be read.
        case tokenFileUnreadable
        /// The settings ask for something vend does not implement.
        case unsupported
    }

    /// What kind of problem.
    public var kind: Kind
    /// The message.
    public var description: String

    /// Creates an error.
    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
