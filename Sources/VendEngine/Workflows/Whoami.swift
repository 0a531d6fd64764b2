import AWSCore
import AWSServices

/// `vend whoami`: how a profile resolves (profile, credentials, region, endpoint, each with where
/// it came from) and who STS says the caller is. Secret keys and session tokens are never reported.
public enum Whoami {
    /// What `whoami` reports.
    public struct Report: Codable, Sendable, Equatable {
        /// The profile name.
        public var profile: String
        /// Where the profile name came from.
        public var profileSource: String
        /// Where the credentials came from.
        public var credentialSource: String
        /// The access key id, masked but for its last four characters.
        public var accessKey: String
        /// The region.
        public var region: String
        /// Where the region came from.
        public var regionSource: String
        /// The STS endpoint called.
        public var endpoint: String
        /// Where the endpoint came from.
        public var endpointSource: String
        /// The caller's account.
        public var account: String
        /// The caller's ARN.
        public var arn: String
        /// The caller's user id.
        public var userId: String
    }

    /// Resolves the session as every command does and asks STS who the caller is.
    public static func report(_ options: AWSSessionOptions, dependencies: AWSDependencies) async throws -> Report {
        let session = try AWSSession.resolve(options, dependencies: dependencies)
        let sts = try LiveSTSClient(session: session)
        let keys = try await session.client.credentials.credentials()
        let identity = try await sts.getCallerIdentity()
        let keyId = keys.signing.accessKeyId
        return Report(
            profile: session.profile, profileSource: session.profileSource, credentialSource: session.credentialSource,
            accessKey: String(repeating: "*", count: max(0, keyId.count - 4)) + keyId.suffix(4),
            region: session.region, regionSource: session.regionSource,
            endpoint: sts.service.endpoint.url, endpointSource: sts.service.endpoint.source,
            account: identity.Account, arn: identity.Arn, userId: identity.UserId)
    }
}
