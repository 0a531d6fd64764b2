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
    @OptionGroup var target: LifecycleOptions

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
        try await perform(currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                          dependencies: AWSOptions.liveDependencies(verbose: global.verbose, console: console), console: console)
    }

    /// What `upgrade` reports.
    public struct Report: Codable, Sendable, Equatable {
        /// The plan.
        public var plan: ProvisionedLifecycle.UpgradePlan
        /// `planned`, `upgraded` or `unchanged`.
        public var action: String
        /// The record's outputs after an upgrade.
        public var outputs: [String: String]
    }

    /// Plans, prints, and with --yes applies.
    @discardableResult
    public func perform(currentDirectory: URL, dependencies: AWSDependencies, console: Console) async throws -> Report {
        let location = global.workspace(currentDirectory: currentDirectory)
        let workspace = try Workspace.load(root: location.root, configFile: location.configFile)
        let environment = try await target.environment(workspace.config, dependencies: dependencies, console: console, quiet: global.quiet)
        let lifecycle = ProvisionedLifecycle(environment: environment)
        let plan = try await lifecycle.planUpgrade(name: target.name, version: version)
        var report = Report(plan: plan, action: plan.upToDate ? "unchanged" : "planned", outputs: [:])
        if global.output == .text {
            console.print(plan.upToDate ? "\(plan.name): already at \(plan.product) \(plan.to)"
                                        : "\(plan.name): \(plan.product) \(plan.from) → \(plan.to), keeping \(plan.parameters.joined(separator: ", "))")
        }
        if !plan.upToDate && yes {
            let record = try await lifecycle.upgrade(plan)
            report.action = "upgraded"
            report.outputs = record.map(RecordFollower.outputs) ?? [:]
            if global.output == .text { console.print("\(plan.name): upgraded to \(plan.to)") }
        } else if !plan.upToDate && !global.quiet {
            console.progress("nothing changed: re-run with --yes to apply this plan")
        }
        if global.output == .json { console.print(try JSONOutput.render(report)) }
        return report
    }
}
