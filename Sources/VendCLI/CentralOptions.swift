import AWSCore
import AWSServices
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// Options of the central account's commands: the profile (default: vend.yaml's central
/// profile), one or more regions (default: vend.yaml's regions) and an endpoint URL.
public struct CentralOptions: ParsableArguments {
    /// `--profile`.
    @Option(name: .long, help: "The central account's AWS profile (default: accounts.central.profile in vend.yaml).")
    public var profile: String?

    /// `--region`, repeatable.
    @Option(name: .long, help: "A region to act in; repeat for several (default: regions in vend.yaml).")
    public var region: [String] = []

    /// `--endpoint-url`.
    @Option(name: .customLong("endpoint-url"), help: "Send every AWS call to this URL (e.g. a local cloud) instead of AWS's endpoints.")
    public var endpointURL: String?

    /// Creates the options (used by ArgumentParser).
    public init() {}

    /// The regions to act in.
    public func regions(_ config: MeshConfig) -> [String] { region.isEmpty ? config.regions : region }

    /// Resolves a session per region and checks that the credentials belong to the central account,
    /// so a publish never lands in the wrong account.
    public func sessions(_ config: MeshConfig, dependencies: AWSDependencies) async throws -> [String: AWSSession] {
        let sessions = try resolveSessions(config, dependencies: dependencies)
        try await checkAccount(sessions, config: config)
        return sessions
    }

    /// A session per region (profile, credentials source, endpoints; no call made).
    public func resolveSessions(_ config: MeshConfig, dependencies: AWSDependencies) throws -> [String: AWSSession] {
        var sessions: [String: AWSSession] = [:]
        for name in regions(config) {
            sessions[name] = try AWSSession.resolve(.init(profile: profile ?? config.central.profile, region: name, endpointURL: endpointURL),
                                                    dependencies: dependencies)
        }
        return sessions
    }

    /// Throws unless the sessions' credentials belong to vend.yaml's central account (STS GetCallerIdentity).
    public func checkAccount(_ sessions: [String: AWSSession], config: MeshConfig) async throws {
        guard let any = sessions.values.first else { return }
        let identity = try await LiveSTSClient(session: any).getCallerIdentity()
        guard identity.Account == config.central.accountId else {
            throw CommandFailure("profile '\(any.profile)' belongs to account \(identity.Account), but vend.yaml names \(config.central.accountId) as the central account — use the central account's profile (--profile) or fix accounts.central.accountId")
        }
    }

    /// The caller's ARN (STS GetCallerIdentity) in any of the sessions.
    public func callerArn(_ sessions: [String: AWSSession]) async throws -> String {
        guard let session = sessions.values.first else { throw CommandFailure("no region to act in: name one with --region or in vend.yaml regions") }
        return try await LiveSTSClient(session: session).getCallerIdentity().Arn
    }

    /// The publish environment of a session: Service Catalog, S3, SSM, template URLs, progress.
    public static func environment(_ session: AWSSession, console: Console, quiet: Bool) throws -> PublishEnvironment {
        let s3 = try LiveS3Client(session: session)
        let region = session.region
        return PublishEnvironment(
            serviceCatalog: try LiveServiceCatalogClient(session: session), s3: s3, ssm: try LiveSSMClient(session: session),
            objectURL: { bucket, key in
                let endpoint = s3.service.endpoint
                let port = endpoint.port.map { ":\($0)" } ?? ""
                // Service Catalog fetches the template itself: path style on custom endpoints, else virtual-hosted.
                return s3.usesPathStyle(bucket)
                    ? "\(endpoint.scheme)://\(endpoint.host)\(port)\(endpoint.basePath)/\(bucket)/\(key)"
                    : "\(endpoint.scheme)://\(bucket).\(endpoint.host)\(port)/\(key)"
            },
            clock: session.client.clock,
            progress: { line in if !quiet { console.progress("[\(region)] \(line)") } })
    }
}
