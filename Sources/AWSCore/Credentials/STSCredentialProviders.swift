import AWSSigV4
import Foundation

/// Reads the `<Credentials>` element of an AssumeRole / AssumeRoleWithWebIdentity result
/// (shared with AWSServices' STS client).
public enum STSCredentialsXML {
    /// The credentials in `result`, or an `InvalidResponse` error naming `source`.
    public static func read(_ result: XMLElementNode, source: String) throws -> AWSCredentials {
        guard let node = result["Credentials"], let keyId = node.string("AccessKeyId"), let secret = node.string("SecretAccessKey") else {
            throw AWSServiceError(code: "InvalidResponse", message: "STS answered without credentials for \(source)", status: 200,
                                  operation: "STS", retryKind: .client)
        }
        return AWSCredentials(
            signing: SigningCredentials(accessKeyId: keyId, secretAccessKey: secret, sessionToken: node.string("SessionToken")),
            expiration: node.string("Expiration").flatMap(AWSTimestamp.parse), source: source)
    }
}

/// The two STS calls that return credentials, written once: the credential providers and
/// AWSServices' STS client both call these.
public enum STSAssume {
    /// AssumeRole (signed with the caller's keys).
    public static func role(_ sts: AWSServiceClient, roleArn: String, sessionName: String, externalId: String?, durationSeconds: Int?,
                            source: String) async throws -> AWSCredentials {
        var parameters = ["RoleArn": roleArn, "RoleSessionName": sessionName]
        if let externalId { parameters["ExternalId"] = externalId }
        if let durationSeconds { parameters["DurationSeconds"] = String(durationSeconds) }
        return try STSCredentialsXML.read(try await sts.query("AssumeRole", parameters, idempotent: true), source: source)
    }

    /// AssumeRoleWithWebIdentity, which AWS takes unsigned.
    public static func webIdentity(_ sts: AWSServiceClient, roleArn: String, sessionName: String, token: String, durationSeconds: Int?,
                                   source: String) async throws -> AWSCredentials {
        var parameters = ["RoleArn": roleArn, "RoleSessionName": sessionName, "WebIdentityToken": token]
        if let durationSeconds { parameters["DurationSeconds"] = String(durationSeconds) }
        return try STSCredentialsXML.read(try await sts.query("AssumeRoleWithWebIdentity", parameters, idempotent: true, signed: false), source: source)
    }
}

/// `role_arn` with `source_profile` or `credential_source`: STS AssumeRole with the source's keys.
public struct AssumeRoleProvider: CredentialProvider {
    /// The role to assume.
    public var roleArn: String
    /// `role_session_name`, or a generated `vend-<epoch>` name.
    public var sessionName: String
    /// `external_id`.
    public var externalId: String?
    /// `duration_seconds`.
    public var durationSeconds: Int?
    /// A description of the source, for `whoami`.
    public var source: String
    /// Calls STS with the source credentials.
    public var sts: AWSServiceClient

    /// Creates the provider.
    public init(roleArn: String, sessionName: String, externalId: String?, durationSeconds: Int?, source: String, sts: AWSServiceClient) {
        self.roleArn = roleArn
        self.sessionName = sessionName
        self.externalId = externalId
        self.durationSeconds = durationSeconds
        self.source = source
        self.sts = sts
    }

    /// Calls AssumeRole.
    public func credentials() async throws -> AWSCredentials {
        try await STSAssume.role(sts, roleArn: roleArn, sessionName: sessionName, externalId: externalId, durationSeconds: durationSeconds, source: source)
    }
}

/// Web identity (as CI systems use): reads the token file on every refresh and calls
/// AssumeRoleWithWebIdentity, which AWS takes unsigned.
public struct WebIdentityProvider: CredentialProvider {
    /// The role to assume.
    public var roleArn: String
    /// Where the OIDC token is.
    public var tokenFile: String
    /// The session name.
    public var sessionName: String
    /// The file system to read the token from.
    public var fileSystem: any AWSFileSystem
    /// The STS endpoint.
    public var sts: AWSServiceClient

    /// Creates the provider.
    public init(roleArn: String, tokenFile: String, sessionName: String, fileSystem: any AWSFileSystem, sts: AWSServiceClient) {
        self.roleArn = roleArn
        self.tokenFile = tokenFile
        self.sessionName = sessionName
        self.fileSystem = fileSystem
        self.sts = sts
    }

    /// Reads the token and calls AssumeRoleWithWebIdentity.
    public func credentials() async throws -> AWSCredentials {
        guard let data = fileSystem.contents(atPath: tokenFile) else {
            throw CredentialError(.tokenFileUnreadable, "cannot read the web identity token file \(tokenFile): it does not exist — check AWS_WEB_IDENTITY_TOKEN_FILE / web_identity_token_file")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return try await STSAssume.webIdentity(sts, roleArn: roleArn, sessionName: sessionName, token: token, durationSeconds: nil,
                                               source: "web identity (role \(roleArn), token file \(tokenFile))")
    }
}
