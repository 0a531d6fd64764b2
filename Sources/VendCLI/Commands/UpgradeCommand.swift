import AWSCore
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// `vend upgrade NAME`: a provisioned product to a newer version, plan first.
public struct UpgradeCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Move a provisioned product to a newer version, showing the plan first.",
        discussion: """
            Prints the plan (current version → target version, parameters kept as they are). With --yes \
            it applies it: UpdateProvisionedProduct with a token derived from the product and both \
            versions, followed to the end. The target is --version or the newest version that is not \
            deprecated. Already at the target: nothing is done.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var accounts: AccountOptions

    /// The provisioned product's name.
    @Argument(help: "The provisioned product, e.g. producer-retail or producer-registration-retail; its account follows from the name and vend.yaml unless --profile names one.")
    var name: String

    /// Target version.
    @Option(name: .long, help: "The version to move to (default: the newest that is not deprecated).")
    var version: String?
    /// Confirmation.
    @Flag(name: .long, help: "Apply the plan (without it, only the plan is shown).")
    var yes = false

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        try await perform(currentDirectory: Wiring.currentDirectory,
                          dependencies: Wiring.liveDependencies(verbose: global.verbose, console: console), console: console)
    }

    /// Checks the region.
    public func validate() throws { _ = try accounts.oneRegion() }

    /// Plans, prints, and with --yes applies (the engine's `upgrade`).
    @discardableResult
    public func perform(currentDirectory: URL, dependencies: AWSDependencies, console: Console) async throws -> AccountWorkflows.UpgradeReport {
        let workspace = try Wiring.workspace(global, currentDirectory: currentDirectory)
        let workflows = try AccountWorkflows(workspace: workspace, resolver: Wiring.resolver(accounts, dependencies: dependencies, console: console, quiet: global.quiet),
                                             region: try accounts.oneRegion())
        let text = global.output == .text
        let report = try await workflows.upgrade(name: name, profile: accounts.profile, version: version, apply: yes) { plan in
            // The plan is printed before an upgrade starts waiting on its record.
            guard text else { return }
            console.print(plan.upToDate ? "\(plan.name): already at \(plan.product) \(plan.to)"
                                        : "\(plan.name): \(plan.product) \(plan.from) → \(plan.to), keeping \(plan.parameters.joined(separator: ", "))")
        }
        let plan = report.plan
        if !text {
            console.print(try JSONOutput.render(report))
            return report
        }
        if report.action == "upgraded" {
            console.print("\(plan.name): upgraded to \(plan.to)")
        } else if !plan.upToDate && !global.quiet {
            console.progress("nothing changed: re-run with --yes to apply this plan")
        }
        return report
    }
}
