import Foundation
import Logging

/// What the command line says about where and as whom to call AWS.
public struct AWSSessionOptions: Sendable, Equatable {
    /// `--profile`.
    public var profile: String?
    /// `--region`.
    public var region: String?
    /// `--endpoint-url`.
    public var endpointURL: String?

    /// Creates options.
    public init(profile: String? = nil, region: String? = nil, endpointURL: String? = nil) {
        self.profile = profile
        self.region = region
        self.endpointURL = endpointURL
    }
}

/// The live dependencies a session needs; tests pass stubs.
public struct AWSDependencies: Sendable {
    /// The process environment (never read from the process inside AWSCore).
    public var environment: [String: String]
    /// Config files, token files, SSO cache.
    public var fileSystem: any AWSFileSystem
    /// The network.
    public var http: any HTTPClient
    /// Time.
    public var clock: any AWSClock
    /// Runs `credential_process`.
    public var processRunner: any ProcessRunner
    /// Verbose log (never receives a secret).
    public var logger: Logger
    /// `User-Agent`.
    public var userAgent: String
    /// Full-jitter source in [0, 1).
    public var jitter: @Sendable () -> Double

    /// Creates dependencies.
    public init(environment: [String: String], fileSystem: any AWSFileSystem = LocalFileSystem(), http: any HTTPClient,
                clock: any AWSClock = SystemClock(), processRunner: any ProcessRunner = LocalProcessRunner(),
                logger: Logger = Logger(label: "vend.aws"), userAgent: String = "vend",
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.environment = environment
        self.fileSystem = fileSystem
        self.http = http
        self.clock = clock
        self.processRunner = processRunner
        self.logger = logger
        self.userAgent = userAgent
        self.jitter = jitter
    }
}

/// A resolved profile: region, credentials, endpoints and one shared client. Build one per
/// profile and region with `AWSSession.resolve`, then hand it to the service clients.
///
/// ```swift
/// let session = try AWSSession.resolve(
///     AWSSessionOptions(profile: "central", region: "eu-west-1"),   // nil: as the AWS CLI decides
///     dependencies: AWSDependencies(environment: ProcessInfo.processInfo.environment, http: CurlHTTPClient()))
/// let aws = try AWSServiceClients(session: session)                  // AWSServices
/// let me = try await aws.sts.getCallerIdentity()
/// ```
/// Resolution throws `CredentialError`, `EndpointError` or `INIParseError`; calls throw
/// `AWSServiceError`, `HTTPTransportError` or `AWSClientError` — all mapped in VendCLI's
/// `ErrorReport`. Credentials are fetched on the first call and cached until shortly before
/// they expire.
public struct AWSSession: Sendable {
    /// The profile name.
    public let profile: String
    /// Where the profile name came from: `--profile`, `AWS_PROFILE`, or `default`.
    public let profileSource: String
    /// The region.
    public let region: String
    /// Where the region came from.
    public let regionSource: String
    /// Where the credentials come from (never a secret).
    public let credentialSource: String
    /// The shared client (credentials, retries, transport).
    public let client: AWSClient
    /// Endpoint resolution for this profile.
    public let endpoints: EndpointResolver
    /// The shared files.
    public let config: SharedConfig

    /// Resolves profile, region, retry settings and the credential chain. Credentials are
    /// only fetched on the first call.
    public static func resolve(_ options: AWSSessionOptions, dependencies: AWSDependencies) throws -> AWSSession {
        let environment = dependencies.environment
        let logger = dependencies.logger
        let config = try SharedConfig.load(environment: environment, fileSystem: dependencies.fileSystem)
        let (profile, profileSource): (String, String) =
            if let name = options.profile, !name.isEmpty { (name, "--profile") }
            else if let name = environment["AWS_PROFILE"], !name.isEmpty { (name, "AWS_PROFILE") }
            else if let name = environment["AWS_DEFAULT_PROFILE"], !name.isEmpty { (name, "AWS_DEFAULT_PROFILE") }
            else { ("default", "default") }
        logger.debug("profile: '\(profile)' (from \(profileSource)); config \(config.configPath), credentials \(config.credentialsPath)")
        if config.profiles[profile] == nil && profileSource != "default" {
            throw CredentialError(.profileNotFound, "profile '\(profile)' (from \(profileSource)) not found in \(config.configPath) or \(config.credentialsPath) — check the name (`aws configure list-profiles`) or AWS_CONFIG_FILE")
        }
        let settings = config.profiles[profile] ?? INISection()
        let (region, regionSource) = try RegionResolver.resolve(commandLine: options.region, environment: environment, profile: profile, settings: settings)
        logger.debug("region: \(region) (from \(regionSource))")
        let retry = try RetryConfig.resolve(environment: environment, profile: settings)
        logger.debug("retries: \(retry.mode.rawValue) mode, \(retry.maxAttempts) attempts")
        let endpoints = EndpointResolver(commandLineURL: options.endpointURL, environment: environment, profile: settings, servicesSections: config.services)
        if endpoints.ignoresConfiguredURLs { logger.debug("endpoints: configured endpoint URLs are ignored (AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)") }

        // Credential calls (STS, SSO) honour configured endpoints but not --endpoint-url, as in the AWS CLI.
        var credentialEndpoints = endpoints
        credentialEndpoints.commandLineURL = nil
        let makeClient: @Sendable (AWSServiceInfo, (any CredentialProvider)?, String?) throws -> AWSServiceClient = { [credentialEndpoints] service, credentials, regionOverride in
            let client = AWSClient(http: dependencies.http, credentials: credentials ?? StaticCredentialProvider(AWSCredentials(signing: .init(accessKeyId: "", secretAccessKey: ""), source: "unsigned")),
                                   clock: dependencies.clock, retry: retry, logger: logger, userAgent: dependencies.userAgent, jitter: dependencies.jitter)
            return AWSServiceClient(client: client, service: service, endpoint: try credentialEndpoints.resolve(service, region: regionOverride ?? region))
        }
        let chain = CredentialChain(
            environment: environment, config: config, profile: profile, profileFromCommandLine: profileSource == "--profile",
            fileSystem: dependencies.fileSystem, processRunner: dependencies.processRunner, http: dependencies.http, clock: dependencies.clock,
            logger: logger, makeClient: makeClient)
        let credentials = try chain.resolve()
        logger.debug("credentials: \(credentials.source)")
        let client = AWSClient(http: dependencies.http, credentials: credentials.provider, clock: dependencies.clock, retry: retry,
                               logger: logger, userAgent: dependencies.userAgent, jitter: dependencies.jitter)
        return AWSSession(profile: profile, profileSource: profileSource, region: region, regionSource: regionSource,
                          credentialSource: credentials.source, client: client, endpoints: endpoints, config: config)
    }

    /// The same profile's region, endpoints and retry settings, signing with fixed `credentials`
    /// instead (for example an assumed role's temporary keys from STS AssumeRole). Nothing is
    /// resolved again and no call is made; the keys are never logged, only their `source`.
    public func withStaticCredentials(_ credentials: AWSCredentials) -> AWSSession {
        client.logger.debug("credentials: \(credentials.source) (derived from profile '\(profile)')")
        let derived = AWSClient(http: client.http, credentials: StaticCredentialProvider(credentials), clock: client.clock, retry: client.retry,
                                logger: client.logger, userAgent: client.userAgent, timeout: client.timeout, jitter: client.jitter)
        return AWSSession(profile: profile, profileSource: profileSource, region: region, regionSource: regionSource,
                          credentialSource: credentials.source, client: derived, endpoints: endpoints, config: config)
    }

    /// A client for one service in this session's region (or another region).
    public func serviceClient(_ service: AWSServiceInfo, region: String? = nil) throws -> AWSServiceClient {
        let endpoint = try endpoints.resolve(service, region: region ?? self.region)
        client.logger.debug("endpoint: \(service.sdkId) → \(endpoint.url) (from \(endpoint.source), signed for \(endpoint.signingRegion))")
        return AWSServiceClient(client: client, service: service, endpoint: endpoint)
    }
}

/// Region resolution: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`.
public enum RegionResolver {
    /// The region and where it came from, or an error saying how to set one.
    public static func resolve(commandLine: String?, environment: [String: String], profile: String, settings: INISection) throws(EndpointError) -> (String, String) {
        let candidates: [(String?, String)] = [
            (commandLine, "--region"), (environment["AWS_REGION"], "AWS_REGION"),
            (environment["AWS_DEFAULT_REGION"], "AWS_DEFAULT_REGION"), (settings.values["region"], "profile '\(profile)' region"),
        ]
        for (value, source) in candidates {
            if let value, !value.isEmpty {
                guard value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                    throw EndpointError("invalid region \"\(value)\" from \(source): a region looks like eu-west-1")
                }
                return (value, source)
            }
        }
        throw EndpointError("no AWS region: none of --region, AWS_REGION, AWS_DEFAULT_REGION or region in profile '\(profile)' is set — pass --region or add region to the profile")
    }
}
