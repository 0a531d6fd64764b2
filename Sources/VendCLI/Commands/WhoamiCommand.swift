import AWSCore
import ArgumentParser
import Foundation
import VendEngine

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
    @OptionGroup public var aws: AccountOptions

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Wires the live environment, network and clock.
    public func run() async throws {
        let console = Console.live(color: global.color)
        try await Self.perform(global: global, aws: aws, dependencies: Wiring.liveDependencies(verbose: global.verbose, console: console), console: console)
    }

    /// What `whoami` reports (the engine's report).
    public typealias Report = Whoami.Report

    /// Resolves the session, asks STS who the caller is, and prints the report.
    public static func perform(global: GlobalOptions, aws: AccountOptions, dependencies: AWSDependencies, console: Console) async throws {
        let report = try await Whoami.report(aws.sessionOptions, dependencies: dependencies)
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
