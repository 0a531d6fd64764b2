import AWSCore
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// `vend launch-producer`: onboards a producer domain (bucket in the producer account, registration in central).
public struct LaunchProducerCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "launch-producer",
        abstract: "Launch a producer domain: producer-onboarding in its account, then producer-registration in central.",
        discussion: """
            Prepares each account first (accepts the portfolio share, associates the caller with the \
            portfolio, creates or updates the product's launch role with the bundle's policy, waits for a \
            launch path), then provisions producer-onboarding as producer-<domain> in the producer account \
            and producer-registration as producer-registration-<domain> in central, fed with the \
            producer's bucket. Tokens are derived from the inputs: a re-run with the same inputs changes \
            nothing; new parameters or --version update the provisioned products. --param KEY=VALUE sets \
            a parameter of either product (e.g. DatabaseName, Classification). --with-sample-data uploads \
            sample-data/*.csv to the bucket as <table>/<table>.csv, skipping unchanged objects.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var accounts: AccountOptions
    @OptionGroup var launch: LaunchOptions

    /// `--domain`.
    @Option(name: .long, help: "The producer domain (accounts.producers[].domain in vend.yaml).")
    var domain: String

    /// `--param`.
    @Option(name: .customLong("param"), help: "A launch parameter KEY=VALUE; repeat for several.")
    var param: [String] = []

    /// `--version`.
    @Option(name: .long, help: "The product version to launch (default: the version in products/*/product.yaml).")
    var version: String?

    /// `--with-sample-data`.
    @Flag(name: .customLong("with-sample-data"), help: "Upload sample-data/*.csv to the producer bucket, one prefix per table.")
    var withSampleData = false

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Checks the parameters' shape and the region.
    public func validate() throws {
        _ = try LaunchOptions.parameters(param)
        _ = try accounts.oneRegion()
    }

    /// Wires live dependencies.
    public func run() async throws {
        try await LaunchOptions.run(global: global) { try await perform(currentDirectory: $0, dependencies: $1, console: $2) }
    }

    /// Launches onboarding, uploads sample data if asked, then launches the registration (the engine's `launchProducer`).
    public func perform(currentDirectory: URL, dependencies: AWSDependencies, console: Console) async throws -> Launching.Report {
        let launching = try launch.launching(global: global, accounts: accounts, currentDirectory: currentDirectory, dependencies: dependencies, console: console)
        return try await launching.launchProducer(domain: domain, profile: accounts.profile, parameters: try LaunchOptions.parameters(param), version: version,
                                                  sampleData: withSampleData ? launching.workspace.root.appendingPathComponent("sample-data") : nil)
    }
}
