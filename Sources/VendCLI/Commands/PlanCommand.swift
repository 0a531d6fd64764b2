import AWSCore
import AWSServices
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// `vend plan`: what `vend apply` would change — the central baseline, the catalog and the mesh,
/// drift included — read-only.
public struct PlanCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what `vend apply` would change: the central baseline, the catalog and the mesh, drift included.",
        discussion: """
            Builds the bundles and reads every account of vend.yaml it can open — the catalog, the \
            baseline's LF tags, provisioned products with their versions and parameters, sources' \
            crawlers, subscriptions, and the grants and links the provisioned products declare. It \
            prints the catalog changes grouped by product (as `vend publish` would make them), then the \
            mesh: launches, updates, sources, subscriptions, drift, and what is not read, not checked \
            (grants seen only in part), pending, waiting for data, not declared or hand-made. Only read calls are made (with \
            --resource-changes, Service Catalog plans are created, read and deleted). Central's \
            credentials alone are enough: other accounts are listed as not read. Exits 2 if a version \
            would be refused; with --detailed-exitcode: 0 no changes, 2 changes, 1 error, 3 refused.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var accounts: AccountOptions

    /// Bundle folder.
    @Option(name: .long, help: "Folder for the bundles built before planning.")
    var dist: String = "dist"
    /// Where to save the plan.
    @Option(name: .long, help: "Save the plan to this file, for `vend apply FILE`.")
    var out: String?
    /// Domains to plan.
    @Option(name: .long, help: "Plan only this domain's changes (domain=NAME; repeatable). Refused while central changes are pending.")
    var target: [String] = []
    /// Plan removals.
    @Flag(name: .long, help: "Plan removals of what vend.yaml no longer declares (terminations, crawlers; data is kept).")
    var prune = false
    /// Service Catalog plans for updates.
    @Flag(name: .long, help: "Add each update's resource-level changes, from Service Catalog provisioned product plans.")
    var resourceChanges = false
    /// Terraform-style exit codes.
    @Flag(name: .long, help: "Exit 0 with no changes, 2 with changes, 1 on error, 3 when refused.")
    var detailedExitcode = false

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Checks the options.
    public func validate() throws {
        _ = try accounts.oneRegion()
        _ = try Self.targets(target)
    }

    /// `domain=NAME` values as domain names.
    static func targets(_ values: [String]) throws -> [String] {
        try values.map { value in
            guard value.hasPrefix("domain="), value.count > "domain=".count else {
                throw ValidationError("--target \(value): give it as domain=NAME, e.g. --target domain=retail")
            }
            return String(value.dropFirst("domain=".count))
        }
    }

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        try await perform(currentDirectory: Wiring.currentDirectory, dependencies: Wiring.liveDependencies(verbose: global.verbose, console: console), console: console)
    }

    /// Reads, plans, prints, saves; the exit code follows the options.
    public func perform(currentDirectory: URL, dependencies: AWSDependencies, console: Console) async throws {
        let workflows = try Wiring.mesh(global, accounts, dist: dist, currentDirectory: currentDirectory, dependencies: dependencies, console: console)
        let report: MeshWorkflows.PlanReport
        do {
            report = try await workflows.plan(targets: try Self.targets(target), prune: prune, resourceChanges: resourceChanges)
        } catch let error as MeshError where error.isRefusal && detailedExitcode {
            throw CommandFailure(ErrorReport.message(error), status: .refusedByPolicy)
        }
        if let out {
            let url = URL(fileURLWithPath: out, relativeTo: currentDirectory)
            do {
                try report.saved.encoded().write(to: url, options: .atomic)
            } catch {
                throw CommandFailure("the plan could not be saved to \(out): \(error.localizedDescription) — check the folder exists and is writable")
            }
        }
        Self.show(report, global: global, console: console)
        if let out, global.output == .text, !global.quiet { console.progress("plan saved to \(out): `vend apply \(out)` applies exactly it") }
        let refused = !report.plan.refusals.isEmpty
        if detailedExitcode {
            if refused { throw CommandFailure(PublishError.refused(report.catalog.flatMap(\.refusals)).description, status: .refusedByPolicy) }
            if report.plan.hasChanges { throw SilentExit(status: 2) }
            return
        }
        if refused { throw CommandFailure(PublishError.refused(report.catalog.flatMap(\.refusals)).description, status: .refused) }
    }

    /// Prints a plan report (text or JSON).
    static func show(_ report: MeshWorkflows.PlanReport, global: GlobalOptions, console: Console) {
        if global.output == .json {
            struct JSONPlan: Encodable {
                var catalog: [PlanRendering.PlanJSON]
                var mesh: MeshPlan
                var resourceChanges: [String: [ServiceCatalog.ResourceChange]]
            }
            if let text = try? JSONOutput.render(JSONPlan(catalog: report.catalog.map(PlanRendering.json), mesh: report.plan, resourceChanges: report.resourceChanges)) {
                console.print(text)
            }
            return
        }
        for plan in report.catalog { PlanRendering.text(plan).forEach { console.print(PlanRendering.paint($0, console)) } }
        MeshRendering.text(report.plan, resourceChanges: report.resourceChanges).forEach { console.print(MeshRendering.paint($0, console)) }
        let drift = report.plan.actions.filter(\.drift).count
        console.print("plan: \(report.plan.actions.count) change(s) (\(drift) drift), \(report.plan.notes.count) note(s), \(report.plan.refusals.count) refused")
    }
}

/// Ends the process with a status and no message (`plan --detailed-exitcode` with changes).
public struct SilentExit: Error, Sendable {
    /// The exit status.
    public var status: Int32
}
