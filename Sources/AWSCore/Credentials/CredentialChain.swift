import AWSSigV4
import Foundation
import Logging

/// A provider chosen by the chain, with a description of where its credentials come from.
public struct ResolvedCredentials: Sendable {
    /// The provider (cached when the credentials expire).
    public var provider: any CredentialProvider
    /// Where they come from, e.g. `shared credentials file (profile 'dev')`.
    public var source: String
}

/// Chooses a credential provider in the AWS CLI's order: environment (unless `--profile`
/// was given); then for the profile: `role_arn` (assume role, chained through
/// `source_profile`), web identity, SSO, the credentials file's keys, `credential_process`,
/// the config file's keys. Every decision is logged at debug level, never a secret.
public struct CredentialChain: Sendable {
    /// The process environment.
    public var environment: [String: String]
    /// Both shared files.
    public var config: SharedConfig
    /// The profile name.
    public var profile: String
    /// Whether the profile came from `--profile` (which disables environment keys, as in the AWS CLI).
    public var profileFromCommandLine: Bool
    /// Reads token files and the SSO cache.
    public var fileSystem: any AWSFileSystem
    /// Runs `credential_process`.
    public var processRunner: any ProcessRunner
    /// The network, for container and instance metadata credentials.
    public var http: any HTTPClient
    /// Time for caches.
    public var clock: any AWSClock
    /// Verbose log.
    public var logger: Logger
    /// Builds a client for STS or the SSO portal that signs with the given credentials
    /// (nil: unsigned calls only); `region` overrides the session's (SSO's own region).
    public var makeClient: @Sendable (_ service: AWSServiceInfo, _ credentials: (any CredentialProvider)?, _ region: String?) throws -> AWSServiceClient

    /// Creates a chain.
    public init(environment: [String: String], config: SharedConfig, profile: String, profileFromCommandLine: Bool,
                fileSystem: any AWSFileSystem, processRunner: any ProcessRunner, http: any HTTPClient, clock: any AWSClock, logger: Logger,
                makeClient: @escaping @Sendable (AWSServiceInfo, (any CredentialProvider)?, String?) throws -> AWSServiceClient) {
        self.environment = environment
        self.config = config
        self.profile = profile
        self.profileFromCommandLine = profileFromCommandLine
        self.fileSystem = fileSystem
        self.processRunner = processRunner
        self.http = http
        self.clock = clock
        self.logger = logger
        self.makeClient = makeClient
    }

    /// Picks the provider, or explains why there is none.
    public func resolve() throws -> ResolvedCredentials {
        if profileFromCommandLine {
            logger.debug("credentials: --profile given, so environment keys are not used")
        } else if let environmentKeys = try environmentCredentials() {
            logger.debug("credentials: using AWS_ACCESS_KEY_ID from the environment")
            return environmentKeys
        } else {
            logger.debug("credentials: no AWS_ACCESS_KEY_ID in the environment")
        }
        if config.profiles[profile] == nil {
            if profile != "default" || profileFromCommandLine {
                throw CredentialError(.profileNotFound, "profile '\(profile)' not found in \(config.configPath) or \(config.credentialsPath) — check the name (`aws configure list-profiles`) or AWS_CONFIG_FILE")
            }
            logger.debug("credentials: no [default] profile in \(config.configPath) or \(config.credentialsPath)")
            if let web = try webIdentity(profile: profile, useEnvironment: true) { return web }
            if let machine = try machineCredentials() { return machine }
            throw CredentialError(.notFound, "no AWS credentials found: the environment has none and there is no default profile — set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, pass --profile, or run `aws configure`")
        }
        if let found = try fromProfile(profile, visited: [], useEnvironment: true) { return found }
        try refuseHalfKeys(profile)
        if let machine = try machineCredentials() { return machine }
        throw CredentialError(.notFound, "profile '\(profile)' has no credentials: it sets none of aws_access_key_id, role_arn, web_identity_token_file, sso_session/sso_start_url, credential_process — add one")
    }

    /// The chain's last two links: container credentials, then EC2 instance metadata
    /// (unless `AWS_EC2_METADATA_DISABLED=true`).
    func machineCredentials() throws -> ResolvedCredentials? {
        if let container = try ContainerCredentialProvider.fromEnvironment(environment, http: http, fileSystem: fileSystem) {
            logger.debug("credentials: using container credentials from \(container.url)")
            return ResolvedCredentials(provider: CachedCredentialProvider(container, clock: clock), source: "container credentials (\(container.url))")
        }
        if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" {
            logger.debug("credentials: EC2 instance metadata disabled (AWS_EC2_METADATA_DISABLED)")
            return nil
        }
        let metadata = InstanceMetadataCredentialProvider(environment: environment, http: http)
        logger.debug("credentials: nothing configured, will ask EC2 instance metadata at \(metadata.endpoint)")
        return ResolvedCredentials(provider: CachedCredentialProvider(metadata, clock: clock), source: "EC2 instance metadata (\(metadata.endpoint))")
    }

    /// `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` / `AWS_SESSION_TOKEN`, or nil; half a pair is an error.
    func environmentCredentials() throws -> ResolvedCredentials? {
        let keyId = environment["AWS_ACCESS_KEY_ID"].flatMap { $0.isEmpty ? nil : $0 }
        let secret = environment["AWS_SECRET_ACCESS_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        switch (keyId, secret) {
        case let (keyId?, secret?):
            let token = environment["AWS_SESSION_TOKEN"] ?? environment["AWS_SECURITY_TOKEN"]
            let keys = AWSCredentials(signing: SigningCredentials(accessKeyId: keyId, secretAccessKey: secret, sessionToken: token?.isEmpty == false ? token : nil),
                                      source: "environment")
            return ResolvedCredentials(provider: StaticCredentialProvider(keys), source: "environment (AWS_ACCESS_KEY_ID)")
        case (_?, nil):
            throw CredentialError(.invalidConfig, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not — set both or neither")
        case (nil, _?):
            throw CredentialError(.invalidConfig, "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not — set both or neither")
        case (nil, nil):
            return nil
        }
    }

    /// The profile's own chain (botocore's profile provider builder plus assume role).
    func fromProfile(_ name: String, visited: [String], useEnvironment: Bool) throws -> ResolvedCredentials? {
        guard let settings = config.profiles[name] else {
            throw CredentialError(.profileNotFound, "source_profile '\(name)' (from profile '\(visited.last ?? profile)') does not exist — fix source_profile")
        }
        if settings.values["role_arn"] != nil && settings.values["web_identity_token_file"] == nil {
            return try assumeRole(name, visited: visited)
        }
        if let web = try webIdentity(profile: name, useEnvironment: useEnvironment) { return web }
        if let sso = try sso(profile: name) { return sso }
        if let keys = staticKeys(config.credentialsFileProfiles[name], profile: name, file: "shared credentials file \(config.credentialsPath)") {
            return keys
        }
        if let command = config.value("credential_process", profile: name) {
            logger.debug("credentials: profile '\(name)' uses credential_process")
            let provider = ProcessCredentialProvider(command: command, profile: name, runner: processRunner, environment: environment)
            return ResolvedCredentials(provider: CachedCredentialProvider(provider, clock: clock), source: "credential_process (profile '\(name)')")
        }
        if let keys = staticKeys(config.profiles[name], profile: name, file: "config file \(config.configPath)") { return keys }
        return nil
    }

    /// Half a key pair is a mistake to name, not a reason to fall through to instance metadata.
    func refuseHalfKeys(_ name: String) throws {
        for (section, file) in [(config.credentialsFileProfiles[name], config.credentialsPath), (config.profiles[name], config.configPath)] {
            let keyId = section?.values["aws_access_key_id"].map { !$0.isEmpty } ?? false
            let secret = section?.values["aws_secret_access_key"].map { !$0.isEmpty } ?? false
            if keyId != secret {
                let (has, lacks) = keyId ? ("aws_access_key_id", "aws_secret_access_key") : ("aws_secret_access_key", "aws_access_key_id")
                throw CredentialError(.invalidConfig, "profile '\(name)' sets \(has) but not \(lacks) in \(file) — add \(lacks), or remove both")
            }
        }
    }

    /// A section's `aws_access_key_id` / `aws_secret_access_key` / `aws_session_token`, or nil.
    func staticKeys(_ section: INISection?, profile name: String, file: String) -> ResolvedCredentials? {
        guard let section, let keyId = section.values["aws_access_key_id"], !keyId.isEmpty,
              let secret = section.values["aws_secret_access_key"], !secret.isEmpty else { return nil }
        let token = section.values["aws_session_token"] ?? section.values["aws_security_token"]
        let source = "\(file) (profile '\(name)')"
        logger.debug("credentials: using static keys of profile '\(name)' from the \(file)")
        let keys = AWSCredentials(signing: SigningCredentials(accessKeyId: keyId, secretAccessKey: secret, sessionToken: token?.isEmpty == false ? token : nil), source: source)
        return ResolvedCredentials(provider: StaticCredentialProvider(keys), source: source)
    }

    /// `role_arn` with `source_profile` (recursively, with cycle detection) or `credential_source`.
    func assumeRole(_ name: String, visited: [String]) throws -> ResolvedCredentials {
        let roleArn = config.value("role_arn", profile: name) ?? ""
        if config.value("mfa_serial", profile: name) != nil {
            throw CredentialError(.mfaRequired, "profile '\(name)' needs an MFA code (mfa_serial is set) and vend cannot ask for one — get a session first (e.g. `aws sts get-session-token` into a profile without mfa_serial) or use a profile without MFA")
        }
        let sourceProfile = config.value("source_profile", profile: name)
        let credentialSource = config.value("credential_source", profile: name)
        let source: ResolvedCredentials
        switch (sourceProfile, credentialSource) {
        case (.some, .some):
            throw CredentialError(.invalidConfig, "profile '\(name)' sets both source_profile and credential_source — keep one")
        case (nil, nil):
            throw CredentialError(.invalidConfig, "profile '\(name)' has role_arn but neither source_profile nor credential_source — add one")
        case (nil, let credentialSource?):
            switch credentialSource {
            case "Environment":
                guard let environmentKeys = try environmentCredentials() else {
                    throw CredentialError(.notFound, "profile '\(name)' takes its source credentials from the environment (credential_source = Environment) but AWS_ACCESS_KEY_ID is not set")
                }
                source = environmentKeys
            case "EcsContainer":
                guard let container = try ContainerCredentialProvider.fromEnvironment(environment, http: http, fileSystem: fileSystem) else {
                    throw CredentialError(.notFound, "profile '\(name)' uses credential_source = EcsContainer but AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/FULL_URI is not set")
                }
                source = ResolvedCredentials(provider: CachedCredentialProvider(container, clock: clock), source: "container credentials")
            case "Ec2InstanceMetadata":
                source = ResolvedCredentials(provider: CachedCredentialProvider(InstanceMetadataCredentialProvider(environment: environment, http: http), clock: clock),
                                             source: "EC2 instance metadata")
            default:
                throw CredentialError(.invalidConfig, "profile '\(name)' has credential_source = \(credentialSource): use Environment, EcsContainer or Ec2InstanceMetadata")
            }
            logger.debug("credentials: profile '\(name)' assumes \(roleArn) with \(source.source) (credential_source)")
        case (let sourceName?, nil):
            let chain = visited + [name]
            let sourceSettings = config.profiles[sourceName]
            let hasKeys = sourceSettings?.values["aws_access_key_id"] != nil
            if chain.contains(sourceName) && !(sourceName == name && hasKeys) {
                throw CredentialError(.sourceProfileCycle, "source_profile links form a loop: \((chain + [sourceName]).map { "'\($0)'" }.joined(separator: " → ")) — break the cycle")
            }
            logger.debug("credentials: profile '\(name)' assumes \(roleArn) with source_profile '\(sourceName)'")
            if sourceName == name || hasKeys {
                guard let keys = staticKeys(sourceSettings, profile: sourceName, file: "shared files") else {
                    throw CredentialError(.invalidConfig, "source_profile '\(sourceName)' has no usable keys")
                }
                source = keys
            } else if sourceSettings?.values["role_arn"] == nil {
                guard let found = try fromProfile(sourceName, visited: chain, useEnvironment: false) else {
                    throw CredentialError(.notFound, "source_profile '\(sourceName)' of profile '\(name)' has no credentials — add keys, sso or credential_process to it")
                }
                source = found
            } else {
                source = try assumeRole(sourceName, visited: chain)
            }
        }
        var duration: Int?
        if let raw = config.value("duration_seconds", profile: name) {
            guard let seconds = Int(raw) else {
                throw CredentialError(.invalidConfig, "profile '\(name)' has duration_seconds = \(raw): use a number of seconds")
            }
            duration = seconds
        }
        let sessionName = config.value("role_session_name", profile: name) ?? "vend-\(Int(clock.now().timeIntervalSince1970))"
        let description = "assume role \(roleArn) (profile '\(name)', from \(source.source))"
        let provider = AssumeRoleProvider(
            roleArn: roleArn, sessionName: sessionName, externalId: config.value("external_id", profile: name),
            durationSeconds: duration, source: description, sts: try makeClient(.sts, source.provider, nil))
        return ResolvedCredentials(provider: CachedCredentialProvider(provider, clock: clock), source: description)
    }

    /// A web identity token file and role, from the environment (first) or the profile.
    func webIdentity(profile name: String, useEnvironment: Bool) throws -> ResolvedCredentials? {
        func setting(_ key: String, _ variable: String) -> String? {
            if useEnvironment, let value = environment[variable], !value.isEmpty { return value }
            return config.value(key, profile: name)
        }
        guard let tokenFile = setting("web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE") else { return nil }
        guard let roleArn = setting("role_arn", "AWS_ROLE_ARN") else {
            throw CredentialError(.invalidConfig, "a web identity token file is set (\(tokenFile)) but no role: set AWS_ROLE_ARN or role_arn")
        }
        let sessionName = setting("role_session_name", "AWS_ROLE_SESSION_NAME") ?? "vend-\(Int(clock.now().timeIntervalSince1970))"
        logger.debug("credentials: using web identity token file \(tokenFile) for role \(roleArn)")
        let provider = WebIdentityProvider(roleArn: roleArn, tokenFile: SharedConfig.expand(tokenFile, environment: environment),
                                           sessionName: sessionName, fileSystem: fileSystem, sts: try makeClient(.sts, nil, nil))
        return ResolvedCredentials(provider: CachedCredentialProvider(provider, clock: clock), source: "web identity (role \(roleArn))")
    }

    /// An SSO profile, directly or through `sso_session`.
    func sso(profile name: String) throws -> ResolvedCredentials? {
        let sessionName = config.value("sso_session", profile: name)
        guard sessionName != nil || config.value("sso_start_url", profile: name) != nil else { return nil }
        var startURL = config.value("sso_start_url", profile: name)
        var ssoRegion = config.value("sso_region", profile: name)
        if let sessionName {
            guard let session = config.ssoSessions[sessionName] else {
                throw CredentialError(.invalidConfig, "profile '\(name)' names sso_session '\(sessionName)' but there is no [sso-session \(sessionName)] section — add it")
            }
            startURL = session.values["sso_start_url"] ?? startURL
            ssoRegion = session.values["sso_region"] ?? ssoRegion
        }
        guard let startURL, let ssoRegion, let account = config.value("sso_account_id", profile: name),
              let role = config.value("sso_role_name", profile: name) else {
            throw CredentialError(.invalidConfig, "SSO profile '\(name)' is incomplete: it needs sso_start_url, sso_region, sso_account_id and sso_role_name (directly or through sso_session)")
        }
        logger.debug("credentials: profile '\(name)' uses SSO (account \(account), role \(role))")
        let provider = SSOCredentialProvider(
            profile: name, sessionName: sessionName, startURL: startURL, accountId: account, roleName: role,
            cacheDirectory: SharedConfig.home(environment) + "/.aws/sso/cache", fileSystem: fileSystem, clock: clock,
            portal: try makeClient(.sso, nil, ssoRegion), oidc: try makeClient(.ssoOIDC, nil, ssoRegion))
        return ResolvedCredentials(provider: CachedCredentialProvider(provider, clock: clock),
                                   source: "sso (profile '\(name)', account \(account), role \(role))")
    }
}
