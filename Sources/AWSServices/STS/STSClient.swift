import AWSCore
import Foundation

/// The STS calls vend makes.
public protocol STSClient: Sendable {
    /// GetCallerIdentity.
    func getCallerIdentity() async throws -> CallerIdentity
    /// AssumeRole.
    func assumeRole(roleArn: String, sessionName: String, externalId: String?, durationSeconds: Int?) async throws -> STSCredentials
    /// AssumeRoleWithWebIdentity (unsigned).
    func assumeRoleWithWebIdentity(roleArn: String, sessionName: String, webIdentityToken: String, durationSeconds: Int?) async throws -> STSCredentials
}

/// STS over AWSCore's Query protocol.
public struct LiveSTSClient: STSClient {
    /// The service client.
    public let service: AWSServiceClient

    /// Creates the client for a session.
    public init(session: AWSSession) throws { service = try session.serviceClient(.sts) }
    /// Creates the client over a service client.
    public init(service: AWSServiceClient) { self.service = service }

    /// GetCallerIdentity.
    public func getCallerIdentity() async throws -> CallerIdentity {
        let result = try await service.query("GetCallerIdentity", idempotent: true)
        // An identity without an account would let vend act on an unknown account.
        guard let account = result.string("Account"), !account.isEmpty else {
            throw AWSServiceError(code: "InvalidResponse", message: "the answer names no Account", status: 200,
                                  operation: "\(service.service.sdkId) GetCallerIdentity", retryKind: .client)
        }
        return CallerIdentity(Account: account, Arn: result.string("Arn") ?? "", UserId: result.string("UserId") ?? "")
    }

    /// AssumeRole (AWSCore's `STSAssume`, the one implementation).
    public func assumeRole(roleArn: String, sessionName: String, externalId: String?, durationSeconds: Int?) async throws -> STSCredentials {
        Self.credentials(try await STSAssume.role(service, roleArn: roleArn, sessionName: sessionName, externalId: externalId,
                                                  durationSeconds: durationSeconds, source: "AssumeRole"))
    }

    /// AssumeRoleWithWebIdentity (AWSCore's `STSAssume`).
    public func assumeRoleWithWebIdentity(roleArn: String, sessionName: String, webIdentityToken: String, durationSeconds: Int?) async throws -> STSCredentials {
        Self.credentials(try await STSAssume.webIdentity(service, roleArn: roleArn, sessionName: sessionName, token: webIdentityToken,
                                                         durationSeconds: durationSeconds, source: "AssumeRoleWithWebIdentity"))
    }

    /// AWSCore's credentials as this client's shape.
    static func credentials(_ keys: AWSCredentials) -> STSCredentials {
        STSCredentials(AccessKeyId: keys.signing.accessKeyId, SecretAccessKey: keys.signing.secretAccessKey,
                       SessionToken: keys.signing.sessionToken ?? "", Expiration: keys.expiration)
    }
}
