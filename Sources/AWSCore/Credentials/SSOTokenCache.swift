import Foundation

/// The token `aws sso login` leaves in `~/.aws/sso/cache`. For `sso_session` profiles a
/// token within 15 minutes of expiry is refreshed with SSO OIDC CreateToken and written back,
/// as the AWS CLI does; legacy `sso_start_url` profiles cannot refresh.
public struct SSOTokenCache: Sendable {
    /// The cache file.
    public var path: String
    /// Reads (and, when writable, rewrites) the cache.
    public var fileSystem: any AWSFileSystem
    /// Expiry checks.
    public var clock: any AWSClock
    /// SSO OIDC, for refreshing; nil for legacy profiles.
    public var oidc: AWSServiceClient?
    /// What to tell the user when a new login is needed.
    public var loginHint: String

    /// Refresh when less than this many seconds are left (botocore's window).
    public static let refreshWindow: TimeInterval = 15 * 60

    private struct CreateTokenInput: Encodable {
        var grantType = "refresh_token"
        var clientId: String
        var clientSecret: String
        var refreshToken: String
    }

    private struct CreateTokenOutput: Decodable {
        var accessToken: String?
        var expiresIn: Double?
        var refreshToken: String?
    }

    /// A valid access token, refreshed if it is about to expire and can be.
    public func accessToken() async throws -> String {
        guard let data = fileSystem.contents(atPath: path),
              let cache = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let token = cache["accessToken"] as? String, let expiresText = cache["expiresAt"] as? String,
              let expires = AWSTimestamp.parse(expiresText.replacingOccurrences(of: "UTC", with: "Z")) else {
            throw CredentialError(.ssoLoginRequired, "no SSO token: \(path) is missing or unreadable — \(loginHint)")
        }
        let now = clock.now()
        if expires.timeIntervalSince(now) > Self.refreshWindow { return token }
        if let refreshed = await refresh(cache, now: now) { return refreshed }
        guard expires > now else {
            throw CredentialError(.ssoLoginRequired, "the SSO token has expired — \(loginHint)")
        }
        return token
    }

    /// Calls CreateToken with the cached refresh token; nil when it cannot or fails.
    private func refresh(_ cache: [String: Any], now: Date) async -> String? {
        guard let oidc, let clientId = cache["clientId"] as? String, let clientSecret = cache["clientSecret"] as? String,
              let refreshToken = cache["refreshToken"] as? String,
              let registrationText = cache["registrationExpiresAt"] as? String,
              let registrationExpires = AWSTimestamp.parse(registrationText), registrationExpires > now else { return nil }
        oidc.client.logger.debug("credentials: the SSO token expires soon; refreshing it with SSO OIDC")
        guard let output = try? await oidc.restJSON(
            "CreateToken", method: "POST", path: "/token",
            body: CreateTokenInput(clientId: clientId, clientSecret: clientSecret, refreshToken: refreshToken),
            idempotent: true, as: CreateTokenOutput.self, signed: false),
            let accessToken = output.accessToken, let expiresIn = output.expiresIn else {
            oidc.client.logger.debug("credentials: the SSO token refresh failed")
            return nil
        }
        var updated = cache
        updated["accessToken"] = accessToken
        updated["expiresAt"] = AWSTimestamp.iso8601(now.addingTimeInterval(expiresIn))
        if let next = output.refreshToken { updated["refreshToken"] = next }
        if let writable = fileSystem as? any AWSWritableFileSystem,
           let data = try? JSONSerialization.data(withJSONObject: updated, options: [.sortedKeys]) {
            try? writable.write(data, atPath: path)
        }
        return accessToken
    }
}
