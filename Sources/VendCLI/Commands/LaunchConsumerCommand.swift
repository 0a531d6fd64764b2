import AWSCore
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// `vend launch-consumer`: onboards a consumer domain (central registration, then the consumer account).
public struct LaunchConsumerCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "launch-consumer",
        abstract: "Launch a consumer domain: consumer-registration in central, then consumer-onboarding in its account.",
        discussion: """
            Prepares each account as launch-producer does, then provisions consumer-registration as \
            consumer-registration-<domain> in central (read-only, tag-based grants to the consumer \
            account) and consumer-onboarding as consumer-<domain> in the consumer account (resource link to \
            the producer's database, Athena workgroup with a results location, the analyst's grants on the \
            link and on the target). Central goes first: the consumer's grants on the central catalog need \
            the central grants. --reads names the producer domain (default: the first producer in vend.yaml), \
            whose registration must exist (`vend launch-producer`).
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var accounts: AccountOptions
    @OptionGroup var launch: LaunchOptions

    /// `--domain`.
    @Option(name: .long, help: "The consumer domain (accounts.consumers[].domain in vend.yaml).")
    var domain: String

    /// `--analyst-role`.
    @Option(name: .customLong("analyst-role"), help: "The IAM role ARN of the consumer's analysts (without a path).")
    var analystRole: String

    /// `--reads`.
    @Option(name: .long, help: "The producer domain this consumer reads (default: the first producer in vend.yaml).")
    var reads: String?

    /// `--version`.
    @Option(name: .long, help: "The product version to launch (default: the version in products/*/product.yaml).")
    var version: String?

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Checks the region.
    public func validate() throws { _ = try accounts.oneRegion() }

    /// Wires live dependencies.
    public func run() async throws {
        try await LaunchOptions.run(global: global) { try await perform(currentDirectory: $0, dependencies: $1, console: $2) }
    }

    /// Launches the registration, then the onboarding (the engine's `launchConsumer`).
    public func perform(currentDirectory: URL, dependencies: AWSDependencies, console: Console) async throws -> Launching.Report {
        let launching = try launch.launching(global: global, accounts: accounts, currentDirectory: currentDirectory, dependencies: dependencies, console: console)
        return try await launching.launchConsumer(domain: domain, profile: accounts.profile, analystRole: analystRole, reads: reads, version: version)
    }
}
