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

    /// AssumeRole.
    public func assumeRole(roleArn: String, sessionName: String, externalId: String?, durationSeconds: Int?) async throws -> STSCredentials {
        var parameters = QueryParameters()
        parameters.set("RoleArn", roleArn)
        parameters.set("RoleSessionName", sessionName)
        parameters.set("ExternalId", externalId)
        parameters.set("DurationSeconds", durationSeconds)
        return try Self.credentials(try await service.query("AssumeRole", parameters.values, idempotent: true), operation: "AssumeRole")
    }

    /// AssumeRoleWithWebIdentity.
    public func assumeRoleWithWebIdentity(roleArn: String, sessionName: String, webIdentityToken: String, durationSeconds: Int?) async throws -> STSCredentials {
        var parameters = QueryParameters()
        parameters.set("RoleArn", roleArn)
        parameters.set("RoleSessionName", sessionName)
        parameters.set("WebIdentityToken", webIdentityToken)
        parameters.set("DurationSeconds", durationSeconds)
        let result = try await service.query("AssumeRoleWithWebIdentity", parameters.values, idempotent: true, signed: false)
        return try Self.credentials(result, operation: "AssumeRoleWithWebIdentity")
    }

    /// Reads the `<Credentials>` of an AssumeRole* result.
    static func credentials(_ result: XMLElementNode, operation: String) throws -> STSCredentials {
        let keys = try STSCredentialsXML.read(result, source: operation)
        return STSCredentials(AccessKeyId: keys.signing.accessKeyId, SecretAccessKey: keys.signing.secretAccessKey,
                              SessionToken: keys.signing.sessionToken ?? "", Expiration: keys.expiration)
    }
}
