import AWSCore
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// `vend plan`: what `vend publish` would change, read-only.
public struct PlanCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what `vend publish` would change in the central account, without changing anything.",
        discussion: """
            Builds the bundles, reads the live portfolio, products, versions, constraints, TagOptions, \
            service actions, SSM documents and shares of every region, and prints the changes grouped \
            by product. Only read calls are made. Exits 2 if a version would be refused (same version, \
            other digest).
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var accounts: AccountOptions

    /// Bundle folder.
    @Option(name: .long, help: "Folder for the bundles built before planning.")
    var out: String = "dist"

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        try await Self.perform(global: global, accounts: accounts, out: out, currentDirectory: Wiring.currentDirectory,
                               dependencies: Wiring.liveDependencies(verbose: global.verbose, console: console), console: console)
    }

    /// Builds, reads, plans and prints; throws exit 2 when the plan has refusals.
    public static func perform(global: GlobalOptions, accounts: AccountOptions, out: String, currentDirectory: URL,
                               dependencies: AWSDependencies, console: Console) async throws {
        let results = try await Wiring.central(global, accounts, currentDirectory: currentDirectory, dependencies: dependencies, console: console)
            .publish(build: try Wiring.buildOptions(out: out, currentDirectory: currentDirectory, dependencies: dependencies), apply: false)
        let plans = results.map(\.plan)
        if global.output == .json {
            console.print(try JSONOutput.render(plans.map(PlanRendering.json)))
        } else {
            for plan in plans { PlanRendering.text(plan).forEach { console.print(PlanRendering.paint($0, console)) } }
            let changes = plans.reduce(0) { $0 + $1.allSteps.count }
            let refused = plans.reduce(0) { $0 + $1.refusals.count }
            console.print("plan: \(changes) change(s) in \(plans.count) region(s), \(refused) refused")
        }
        if plans.contains(where: { !$0.refusals.isEmpty }) {
            throw CommandFailure(PublishError.refused(plans.flatMap(\.refusals)).description, status: .refused)
        }
    }
}
