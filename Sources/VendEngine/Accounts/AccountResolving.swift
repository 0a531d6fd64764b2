import AWSCore
import AWSServices
import Foundation

/// Which account to reach: a profile in a region, and the account id vend.yaml expects it to be.
public struct AccountRequest: Sendable, Equatable {
    /// How progress and errors name it, e.g. `central`, `producer retail`.
    public var label: String
    /// The AWS profile.
    public var profile: String
    /// The region.
    public var region: String
    /// The account vend.yaml names for it; nil when any account will do (e.g. `--profile` given for `upgrade`).
    public var expectedAccountId: String?

    /// Creates a request.
    public init(label: String, profile: String, region: String, expectedAccountId: String?) {
        self.label = label
        self.profile = profile
        self.region = region
        self.expectedAccountId = expectedAccountId
    }
}

/// The one way workflows reach an account: profile → session → clients (`open`, no call made),
/// then the caller-identity check against vend.yaml (`verify`). Tests swap in accounts on fakes.
public protocol AccountResolving: Sendable {
    /// The account's context, without any call (so reads can start while the identity is checked).
    func open(_ request: AccountRequest) throws -> AccountContext
    /// Asks STS who the caller is and refuses an account other than the expected one.
    func verify(_ context: AccountContext, _ request: AccountRequest) async throws -> AccountContext
    /// The account's context signing with fixed temporary keys (an assumed role's) instead of the profile's; no call.
    func open(_ request: AccountRequest, signingWith credentials: STSCredentials) throws -> AccountContext
}

extension AccountResolving {
    /// Opens and verifies.
    public func resolve(_ request: AccountRequest) async throws -> AccountContext {
        try await verify(try open(request), request)
    }

    /// The shared identity check: GetCallerIdentity, then the expected account.
    public func verify(_ context: AccountContext, _ request: AccountRequest) async throws -> AccountContext {
        let identity = try await context.clients.sts.getCallerIdentity()
        if let expected = request.expectedAccountId, identity.Account != expected {
            throw EngineError.wrongAccount(profile: request.profile, actual: identity.Account, expected: expected, label: request.label)
        }
        var verified = context
        verified.accountId = identity.Account
        verified.callerArn = identity.Arn
        return verified
    }

    /// The context of `roleArn` assumed from `context`'s caller (STS AssumeRole, as AWS decides: the
    /// role must trust the caller). `callerArn` is the role's ARN; the keys last STS's default hour.
    public func assume(_ roleArn: String, from context: AccountContext, sessionName: String) async throws -> AccountContext {
        let keys = try await context.clients.sts.assumeRole(roleArn: roleArn, sessionName: sessionName, externalId: nil, durationSeconds: nil)
        var assumed = try open(.init(label: context.label, profile: context.profile, region: context.region, expectedAccountId: context.accountId),
                               signingWith: keys)
        assumed.callerArn = roleArn
        return assumed
    }
}

/// Accounts reached through the AWS CLI's profiles, exactly as the AWS CLI resolves them.
public struct LiveAccountResolver: AccountResolving {
    /// Environment, files, HTTP, clock, logger.
    public var dependencies: AWSDependencies
    /// `--endpoint-url`, when given.
    public var endpointURL: String?
    /// Where progress lines go (stderr, unless quiet).
    public var progress: @Sendable (String) -> Void

    /// Creates a resolver.
    public init(dependencies: AWSDependencies, endpointURL: String?, progress: @escaping @Sendable (String) -> Void) {
        self.dependencies = dependencies
        self.endpointURL = endpointURL
        self.progress = progress
    }

    /// Resolves the profile's session and builds the live clients; makes no call.
    public func open(_ request: AccountRequest) throws -> AccountContext {
        let session = try AWSSession.resolve(.init(profile: request.profile, region: request.region, endpointURL: endpointURL), dependencies: dependencies)
        let clients = try AWSServiceClients(session: session)
        let s3 = try LiveS3Client(session: session)
        let endpoint = s3.service.endpoint
        return AccountContext(
            label: request.label, profile: session.profile, accountId: request.expectedAccountId ?? "", region: request.region, clients: clients,
            clock: session.client.clock,
            objectURL: { bucket, key in
                let port = endpoint.port.map { ":\($0)" } ?? ""
                // Service Catalog fetches the template itself: path style on custom endpoints, else virtual-hosted.
                return s3.usesPathStyle(bucket)
                    ? "\(endpoint.scheme)://\(endpoint.host)\(port)\(endpoint.basePath)/\(bucket)/\(key)"
                    : "\(endpoint.scheme)://\(bucket).\(endpoint.host)\(port)/\(key)"
            },
            progress: progress)
    }

    /// The profile's context, signing with `credentials` (AWSSession's `withStaticCredentials`).
    public func open(_ request: AccountRequest, signingWith credentials: STSCredentials) throws -> AccountContext {
        let session = try AWSSession.resolve(.init(profile: request.profile, region: request.region, endpointURL: endpointURL), dependencies: dependencies)
            .withStaticCredentials(AWSCredentials(signing: .init(accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey,
                                                                 sessionToken: credentials.SessionToken),
                                                  expiration: credentials.Expiration, source: "assumed role (STS AssumeRole)"))
        var context = try open(request)
        context.clients = try AWSServiceClients(session: session)
        return context
    }
}
