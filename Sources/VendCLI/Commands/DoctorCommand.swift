import AWSCore
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// `vend doctor`: one pass/fail line per known data-mesh failure, in every account.
public struct DoctorCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check every account for the data mesh's known failures, one pass/fail line each with what to do.",
        discussion: """
            Central: artifact bucket settings, Lake Formation cross-account version, no IAM-only defaults, \
            launch roles present and Lake Formation admins, shares accepted, each producer location \
            registered with a user-defined role. Producer: launch role, bucket policy principals. \
            Consumer: launch role (present, admin), no IAM-only defaults, the analyst's DESCRIBE on the \
            resource link and SELECT on the target with the central catalog id (the seed's known issue), \
            the Athena output location. Checks that need a product not launched yet are skipped. Read \
            calls only; exits 1 if any check fails.

            --probe proves access: for every consumer, a SELECT count(*) per table through the resource \
            link in the consumer's workgroup, as the analyst role (assumed with STS; it must trust the \
            caller) or, where it cannot be assumed (an IAM Identity Center role), as the probe role the \
            consumer product creates with exactly the analyst's grants (the line says so). Each query is \
            stopped after --probe-timeout seconds. PASS lists the tables and row counts; FAIL gives Athena's \
            reason and the missing grant. Data values are never printed.

            --fix re-makes the Lake Formation grants and resource links that vend's provisioned products \
            declare and the accounts lack, directly (GrantPermissions, Glue CreateDatabase) and exactly as \
            the provisioned version's template declares them with its parameters, printing each repair \
            and changing nothing else; then it checks again. With --output json and --fix the answer is \
            {"repairs": [...], "checks": [...]}; otherwise a list of check lines.
            """
    )

    @OptionGroup var global: GlobalOptions
    /// `--region`, `--endpoint-url` (every account of vend.yaml is checked through its own profile).
    @OptionGroup var accounts: AccountOptions

    /// `--probe`.
    @Flag(name: .long, help: "Also run a count query per table as each consumer's analyst (or its probe role) through the resource link.")
    var probe = false
    /// `--fix`.
    @Flag(name: .long, help: "Re-make the grants and resource links vend's products declare that are missing, then check again.")
    var fix = false
    /// `--probe-timeout`.
    @Option(name: .customLong("probe-timeout"), help: "Seconds each probe query may run before it is stopped (default 60).")
    var probeTimeout: Double = 60

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Checks the region; refuses --profile (doctor reads every account through its own profile).
    public func validate() throws {
        _ = try accounts.oneRegion()
        if !(probeTimeout > 0) { throw ValidationError("--probe-timeout must be a positive number of seconds.") }
        if accounts.profile != nil { throw ValidationError("doctor checks every account of vend.yaml through its own profile: leave out --profile.") }
    }

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        let report = try await perform(currentDirectory: Wiring.currentDirectory, dependencies: Wiring.liveDependencies(verbose: global.verbose, console: console))
        try Self.print(report, global: global, console: console)
    }

    /// Runs every check: the engine's `doctor`.
    public static func perform(global: GlobalOptions, accounts: AccountOptions, currentDirectory: URL, dependencies: AWSDependencies) async throws -> [DoctorCheck] {
        try await workflows(global: global, accounts: accounts, currentDirectory: currentDirectory, dependencies: dependencies).doctor()
    }

    /// What `doctor` did: the repairs (`--fix`) and the check lines (probes last).
    public struct Report: Sendable {
        /// Whether `--fix` ran (then JSON is `{"repairs", "checks"}`).
        public var fixed: Bool
        /// The repairs `--fix` made.
        public var repairs: [MeshRepair.Repair]
        /// Every check line.
        public var checks: [DoctorCheck]
    }

    /// Runs the repairs (`--fix`), the checks and the probes (`--probe`).
    public func perform(currentDirectory: URL, dependencies: AWSDependencies) async throws -> Report {
        let workflows = try Self.workflows(global: global, accounts: accounts, currentDirectory: currentDirectory, dependencies: dependencies)
        let repairs = fix ? try await workflows.fix() : []
        var checks = try await workflows.doctor()
        if probe { checks += try await workflows.probe(options: ProbeOptions(timeoutSeconds: probeTimeout)) }
        return Report(fixed: fix, repairs: repairs, checks: checks)
    }

    /// The read workflows over every account of vend.yaml.
    static func workflows(global: GlobalOptions, accounts: AccountOptions, currentDirectory: URL, dependencies: AWSDependencies) throws -> ReadWorkflows {
        let workspace = try Wiring.workspace(global, currentDirectory: currentDirectory)
        let console = Console(out: { _ in }, err: { _ in })
        return try ReadWorkflows(workspace: workspace, resolver: Wiring.resolver(accounts, dependencies: dependencies, console: console, quiet: true),
                                 region: try accounts.oneRegion())
    }

    /// The repairs, then the checks (text or JSON); throws exit 1 when a check or a repair failed.
    static func print(_ report: Report, global: GlobalOptions, console: Console) throws {
        if global.output == .json && report.fixed {
            /// The answer of `--fix` as JSON.
            struct Fixed: Encodable { var repairs: [MeshRepair.Repair], checks: [Line] }
            console.print(try JSONOutput.render(Fixed(repairs: report.repairs, checks: report.checks.map(Line.init))))
        } else if global.output == .json {
            console.print(try JSONOutput.render(report.checks.map(Line.init)))
        } else {
            for repair in report.repairs {
                let style: Console.Style = repair.action == "failed" ? .red : repair.action == "skipped" ? .yellow : .green
                console.print("\(console.paint("REPAIR", style))  \(repair.account): \(repair.provisionedProduct) \(repair.resource): \(repair.action) \(repair.detail)")
            }
            if report.fixed && report.repairs.isEmpty { console.print("REPAIR  nothing to re-make: every declared grant and link exists") }
            for check in report.checks {
                let suffix = check.status == .fail ? (check.fix.map { " — " + ErrorReport.render($0) } ?? "") : ""
                let style: Console.Style = check.status == .fail ? .red : check.status == .pass ? .green : .yellow
                console.print("\(console.paint(check.status.rawValue.uppercased(), style))  \(check.account): \(check.name): \(check.detail)\(suffix)")
            }
        }
        let failed = report.checks.filter { $0.status == .fail }.count
        let failedRepairs = report.repairs.filter { $0.action == "failed" }.count
        if failed > 0 || failedRepairs > 0 {
            throw CommandFailure([failedRepairs > 0 ? "\(failedRepairs) repair(s) failed" : nil,
                                  failed > 0 ? "\(failed) of \(report.checks.count) doctor check(s) failed" : nil].compactMap { $0 }.joined(separator: ", ")
                                 + " — fix each FAIL line as it says")
        }
    }

    /// The check lines alone (tests): as `print(_ report:)` without repairs.
    static func print(_ checks: [DoctorCheck], global: GlobalOptions, console: Console) throws {
        try print(Report(fixed: false, repairs: [], checks: checks), global: global, console: console)
    }

    /// One check as JSON: the next step rendered as the command to run.
    struct Line: Encodable {
        var account: String, name: String, status: DoctorCheck.Status, detail: String, fix: String, tables: [ProbedTable]?
        init(_ check: DoctorCheck) {
            (account, name, status, detail) = (check.account, check.name, check.status, check.detail)
            fix = check.fix.map(ErrorReport.render) ?? ""
            tables = check.tables
        }
    }
}
