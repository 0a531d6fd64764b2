import Foundation

/// Who the caller is.
public struct CallerIdentity: Sendable, Equatable, Codable {
    /// The account id.
    public var Account: String
    /// The caller's ARN.
    public var Arn: String
    /// The unique id of the user or role session.
    public var UserId: String

    /// Creates an identity.
    public init(Account: String, Arn: String, UserId: String) {
        self.Account = Account
        self.Arn = Arn
        self.UserId = UserId
    }
}

/// Temporary credentials from STS.
public struct STSCredentials: Sendable, Equatable {
    /// Access key id.
    public var AccessKeyId: String
    /// Secret key (never print it).
    public var SecretAccessKey: String
    /// Session token (never print it).
    public var SessionToken: String
    /// When they stop working.
    public var Expiration: Date?
}
