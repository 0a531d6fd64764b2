import AWSSigV4
import Crypto
import Foundation

/// SSO (IAM Identity Center): the token `aws sso login` cached, then GetRoleCredentials.
public struct SSOCredentialProvider: CredentialProvider {
    /// The profile (for messages).
    public var profile: String
    /// `sso_session` name, or nil for a legacy profile with `sso_start_url`.
    public var sessionName: String?
    /// `sso_start_url`.
    public var startURL: String
    /// `sso_account_id`.
    public var accountId: String
    /// `sso_role_name`.
    public var roleName: String
    /// Where the SSO cache lives (`~/.aws/sso/cache`).
    public var cacheDirectory: String
    /// The file system.
    public var fileSystem: any AWSFileSystem
    /// The clock (token expiry).
    public var clock: any AWSClock
    /// The SSO portal endpoint.
    public var portal: AWSServiceClient
    /// SSO OIDC, to refresh `sso_session` tokens.
    public var oidc: AWSServiceClient?

    /// Creates the provider.
    public init(profile: String, sessionName: String?, startURL: String, accountId: String, roleName: String,
                cacheDirectory: String, fileSystem: any AWSFileSystem, clock: any AWSClock, portal: AWSServiceClient, oidc: AWSServiceClient? = nil) {
        self.profile = profile
        self.sessionName = sessionName
        self.startURL = startURL
        self.accountId = accountId
        self.roleName = roleName
        self.cacheDirectory = cacheDirectory
        self.fileSystem = fileSystem
        self.clock = clock
        self.portal = portal
        self.oidc = oidc
    }

    /// The cache file: SHA-1 of the session name (or, legacy, of the start URL).
    public var cachePath: String {
        let key = sessionName ?? startURL
        let digest = Insecure.SHA1.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
        return "\(cacheDirectory)/\(digest).json"
    }

    private struct RoleCredentialsOutput: Decodable {
        struct RoleCredentials: Decodable {
            var accessKeyId: String?
            var secretAccessKey: String?
            var sessionToken: String?
            var expiration: Double?
        }
        var roleCredentials: RoleCredentials?
    }

    /// Reads the cached token and exchanges it for role credentials.
    public func credentials() async throws -> AWSCredentials {
        let login = "run `aws sso login --profile \(profile)` and try again"
        let token = try await SSOTokenCache(path: cachePath, fileSystem: fileSystem, clock: clock,
                                            oidc: sessionName == nil ? nil : oidc, loginHint: login).accessToken()
        let output = try await portal.restJSON(
            "GetRoleCredentials", method: "GET", path: "/federation/credentials",
            query: [("account_id", accountId), ("role_name", roleName)], idempotent: true,
            as: RoleCredentialsOutput.self, extraHeaders: [("x-amz-sso_bearer_token", token)], signed: false)
        guard let role = output.roleCredentials, let keyId = role.accessKeyId, let secret = role.secretAccessKey else {
            throw CredentialError(.ssoLoginRequired, "SSO returned no credentials for profile '\(profile)' — \(login)")
        }
        return AWSCredentials(
            signing: SigningCredentials(accessKeyId: keyId, secretAccessKey: secret, sessionToken: role.sessionToken),
            expiration: role.expiration.map { Date(timeIntervalSince1970: $0 / 1000) },
            source: "sso (\(sessionName.map { "sso_session '\($0)'" } ?? startURL), account \(accountId), role \(roleName))")
    }
}
