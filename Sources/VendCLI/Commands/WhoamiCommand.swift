import AWSCore
import AWSServices
import ArgumentParser
import Foundation

/// `vend whoami`: the resolved profile, credential source, region, endpoint and caller
/// identity — the first thing to run when an AWS call fails.
public struct WhoamiCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Show which profile, credentials, region and endpoint vend uses, and who AWS says you are.",
        discussion: """
            Resolves the profile, credentials, region and endpoint exactly as every other command does \
            (and as the AWS CLI does), then calls STS GetCallerIdentity. With --verbose each decision is \
            logged on stderr; secret keys and session tokens are never printed.
            """
    )

    /// `--output`, `--verbose`, …
    @OptionGroup public var global: GlobalOptions
    /// `--profile`, `--region`, `--endpoint-url`.
    @OptionGroup public var aws: AWSOptions

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Wires the live environment, network and clock.
    public func run() async throws {
        let console = Console.live(color: global.color)
        try await Self.perform(global: global, aws: aws, dependencies: AWSOptions.liveDependencies(verbose: global.verbose, console: console), console: console)
    }

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

    /// Resolves the session, asks STS who the caller is, and prints the report.
    public static func perform(global: GlobalOptions, aws: AWSOptions, dependencies: AWSDependencies, console: Console) async throws {
        let session = try AWSSession.resolve(aws.sessionOptions, dependencies: dependencies)
        let sts = try LiveSTSClient(session: session)
        let keys = try await session.client.credentials.credentials()
        let identity = try await sts.getCallerIdentity()
        let keyId = keys.signing.accessKeyId
        let report = Report(
            profile: session.profile, profileSource: session.profileSource, credentialSource: session.credentialSource,
            accessKey: String(repeating: "*", count: max(0, keyId.count - 4)) + keyId.suffix(4),
            region: session.region, regionSource: session.regionSource,
            endpoint: sts.service.endpoint.url, endpointSource: sts.service.endpoint.source,
            account: identity.Account, arn: identity.Arn, userId: identity.UserId)
        if global.output == .json {
            console.print(try JSONOutput.render(report))
            return
        }
        var table = TextTable(["SETTING", "VALUE", "FROM"])
        table.add(["profile", report.profile, report.profileSource])
        table.add(["credentials", report.accessKey, report.credentialSource])
        table.add(["region", report.region, report.regionSource])
        table.add(["endpoint", report.endpoint, report.endpointSource])
        table.add(["account", report.account, "sts:GetCallerIdentity"])
        table.add(["arn", report.arn, "sts:GetCallerIdentity"])
        table.add(["user id", report.userId, "sts:GetCallerIdentity"])
        console.print(table.rendered)
    }
}
