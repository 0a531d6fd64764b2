import AWSCore
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// `vend apply [FILE]`: converges AWS to vend.yaml — the plan first, then every change along one
/// dependency graph.
public struct ApplyCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Converge AWS to vend.yaml: bootstrap, publish, launches, updates, sources, subscriptions and drift repairs.",
        discussion: """
            Shows the plan (as `vend plan`), asks, then runs it along one dependency graph: the \
            baseline, the catalog, then each domain's launches, sources and subscriptions, in parallel \
            across domains and accounts within vend.yaml's `apply:` bounds. A failed change blocks only \
            what depends on it; a table shows each change. A run holds a lock in central, so two applies \
            never run at once. With FILE (from `vend plan --out`) it applies exactly that plan, and \
            refuses if the live state moved since. Nothing to change: no call that changes anything is \
            made. Exit 1 if a change failed, 2 if refused.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var accounts: AccountOptions

    /// A saved plan.
    @Argument(help: "A plan saved by `vend plan --out FILE`, applied exactly.")
    var file: String?
    /// Confirmation.
    @Flag(name: .long, help: "Apply without asking.")
    var yes = false
    /// Domains to apply.
    @Option(name: .long, help: "Apply only this domain's changes (domain=NAME; repeatable). Refused while central changes are pending.")
    var target: [String] = []
    /// Removals.
    @Flag(name: .long, help: "Also remove what vend.yaml no longer declares (terminations, crawlers; data is kept). Removed subscriptions are revoked without it.")
    var prune = false
    /// Bundle folder.
    @Option(name: .long, help: "Folder for the bundles built before planning.")
    var dist: String = "dist"

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Checks the options.
    public func validate() throws {
        _ = try accounts.oneRegion()
        _ = try PlanCommand.targets(target)
        if file != nil && (!target.isEmpty || prune) {
            throw ValidationError("a saved plan is applied as planned: give --target and --prune to `vend plan`, not to `vend apply FILE`")
        }
    }

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        try await perform(currentDirectory: Wiring.currentDirectory, dependencies: Wiring.liveDependencies(verbose: global.verbose, console: console), console: console,
                          confirm: { Self.ask($0, console: console) })
    }

    /// Asks on the terminal; nil when there is none to ask on.
    static func ask(_ question: String, console: Console) -> Bool? {
        guard isatty(STDIN_FILENO) == 1 else { return nil }
        console.progress(question + " [y/N]")
        return ["y", "yes"].contains(readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? "")
    }

    /// Plans (or loads the saved plan), shows it, asks, applies, and prints the outcomes.
    @discardableResult
    public func perform(currentDirectory: URL, dependencies: AWSDependencies, console: Console,
                        confirm: (String) -> Bool?) async throws -> MeshWorkflows.ApplyReport {
        let workflows = try Wiring.mesh(global, accounts, dist: dist, currentDirectory: currentDirectory, dependencies: dependencies, console: console)
        let saved: SavedMeshPlan
        if let file {
            saved = try SavedMeshPlan.load(URL(fileURLWithPath: file, relativeTo: currentDirectory), displayPath: file)
            if global.output == .text { MeshRendering.text(saved.plan, resourceChanges: [:]).forEach { console.print(MeshRendering.paint($0, console)) } }
        } else {
            let report = try await workflows.plan(targets: try PlanCommand.targets(target), prune: prune)
            if global.output == .text { PlanCommand.show(report, global: global, console: console) }
            saved = report.saved
            if !report.plan.refusals.isEmpty {
                throw CommandFailure(PublishError.refused(report.catalog.flatMap(\.refusals)).description + " — nothing was applied", status: .refused)
            }
            if report.plan.hasChanges && !yes {
                switch confirm("apply \(report.plan.actions.count) change(s)?") {
                case true?: break
                case false?: throw CommandFailure("apply cancelled: nothing was changed")
                case nil: throw CommandFailure("apply needs --yes when it cannot ask (no terminal on stdin): nothing was changed — review `vend plan`, then run `vend apply --yes`",
                                               status: .usage)
                }
            }
        }
        let report = try await workflows.apply(saved)
        if global.output == .json {
            console.print(try JSONOutput.render(report))
        } else {
            MeshRendering.outcomes(report.outcomes).forEach { console.print(MeshRendering.paint($0, console)) }
        }
        let failed = report.outcomes.filter { $0.status == "failed" }.count
        let blocked = report.outcomes.filter { $0.status == "blocked" }.count
        if failed + blocked > 0 { throw MeshError.actionsFailed(failed: failed, blocked: blocked) }
        return report
    }
}
