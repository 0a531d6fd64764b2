import AWSCore
import ArgumentParser
import Foundation
import VendEngine

/// `vend launch PRODUCT`: any product of products/ launched into an account of vend.yaml.
public struct LaunchCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "launch",
        abstract: "Launch any product of products/ into an account of vend.yaml.",
        discussion: """
            The account is --profile's (an account of vend.yaml), the central account for a product \
            with launchedIn: central, or — without --profile — the one account of vend.yaml whose \
            domains the product's audience names. Prepares the account as launch-producer does \
            (accepts the portfolio share, associates the caller, creates or updates the launch role \
            from the bundle's policy, waits for a launch path), then provisions the product as --name \
            (default: the product's name) with the --param values; parameters not given keep their \
            template defaults. Tokens are derived from the inputs: the same inputs change nothing and \
            add no record; new parameters or --version update the provisioned product.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var accounts: AccountOptions
    @OptionGroup var launch: LaunchOptions

    /// The product.
    @Argument(help: "The product: a folder of products/ (its product.yaml's name).")
    var product: String

    /// `--name`.
    @Option(name: .long, help: "The provisioned product's name (default: the product's name).")
    var name: String?

    /// `--param`.
    @Option(name: .customLong("param"), help: "A launch parameter KEY=VALUE; repeat for several.")
    var param: [String] = []

    /// `--version`.
    @Option(name: .long, help: "The product version to launch (default: the version in products/<product>/product.yaml).")
    var version: String?

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

    /// Launches the product (the engine's `launch`).
    public func perform(currentDirectory: URL, dependencies: AWSDependencies, console: Console) async throws -> Launching.Report {
        let launching = try launch.launching(global: global, accounts: accounts, currentDirectory: currentDirectory, dependencies: dependencies, console: console)
        return try await launching.launch(.init(product: product, name: name, profile: accounts.profile,
                                                parameters: try LaunchOptions.parameters(param), version: version))
    }
}
