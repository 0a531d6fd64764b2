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
        abstract: "Launch a consumer domain: consumer-onboarding in its account, then a subscription to the domain it reads.",
        discussion: """
            Prepares the consumer account as launch-producer does and provisions consumer-onboarding as \
            consumer-<domain> (Lake Formation settings, Athena workgroup with a results location, the \
            analyst, the RequestAccess action), then subscribes the consumer to --reads (default: the first \
            producer in vend.yaml), whose registration must exist (`vend launch-producer`): with the \
            domain's approval: auto the central grant, the link and the analysts' grants are launched at \
            once, otherwise the request waits for an owner (`vend approve`). Never replaces anything: \
            other subscriptions stay, and a consumer-onboarding from before subscriptions keeps the domain \
            it reads.
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
