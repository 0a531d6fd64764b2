import AWSCore
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// `vend terminate NAME --yes`: removes a provisioned product.
public struct TerminateCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "terminate",
        abstract: "Terminate a provisioned product (its stack and the resources it made).",
        discussion: """
            Needs --yes. The products keep their data buckets (DeletionPolicy: RetainExceptOnCreate); a resource \
            that cannot be deleted fails the termination (the product becomes TAINTED) and re-running \
            tries again; --ignore-errors removes the product from Service Catalog anyway, leaving what \
            could not be deleted for you to clean up.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var accounts: AccountOptions

    /// The provisioned product's name.
    @Argument(help: "The provisioned product, e.g. producer-retail or producer-registration-retail; its account follows from the name and vend.yaml unless --profile names one.")
    var name: String

    /// Confirmation.
    @Flag(name: .long, help: "Confirm the termination.")
    var yes = false
    /// IgnoreErrors.
    @Flag(name: .customLong("ignore-errors"), help: "Remove it from Service Catalog even if its resources cannot all be deleted.")
    var ignoreErrors = false

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Requires --yes.
    public func validate() throws {
        if !yes { throw ValidationError("terminating \(name) deletes what it built: add --yes to confirm.") }
        _ = try accounts.oneRegion()
    }

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        try await perform(currentDirectory: Wiring.currentDirectory,
                          dependencies: Wiring.liveDependencies(verbose: global.verbose, console: console), console: console)
    }

    /// Terminates and prints the outcome (the engine's `terminate`).
    public func perform(currentDirectory: URL, dependencies: AWSDependencies, console: Console) async throws {
        let workspace = try Wiring.workspace(global, currentDirectory: currentDirectory)
        let workflows = try AccountWorkflows(workspace: workspace, resolver: Wiring.resolver(accounts, dependencies: dependencies, console: console, quiet: global.quiet),
                                             region: try accounts.oneRegion())
        let report = try await workflows.terminate(name: name, profile: accounts.profile, ignoreErrors: ignoreErrors)
        if global.output == .json {
            console.print(try JSONOutput.render(report))
        } else {
            console.print("\(name): terminated")
        }
    }
}
