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
            """
    )

    @OptionGroup var global: GlobalOptions
    /// `--region`, `--endpoint-url` (every account of vend.yaml is checked through its own profile).
    @OptionGroup var accounts: AccountOptions

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Checks the region; refuses --profile (doctor reads every account through its own profile).
    public func validate() throws {
        _ = try accounts.oneRegion()
        if accounts.profile != nil { throw ValidationError("doctor checks every account of vend.yaml through its own profile: leave out --profile.") }
    }

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        let checks = try await Self.perform(global: global, accounts: accounts, currentDirectory: Wiring.currentDirectory,
                                            dependencies: Wiring.liveDependencies(verbose: global.verbose, console: console))
        try Self.print(checks, global: global, console: console)
    }

    /// Runs every check: the engine's `doctor`.
    public static func perform(global: GlobalOptions, accounts: AccountOptions, currentDirectory: URL, dependencies: AWSDependencies) async throws -> [DoctorCheck] {
        let workspace = try Wiring.workspace(global, currentDirectory: currentDirectory)
        let console = Console(out: { _ in }, err: { _ in })
        let workflows = try ReadWorkflows(workspace: workspace, resolver: Wiring.resolver(accounts, dependencies: dependencies, console: console, quiet: true),
                                          region: try accounts.oneRegion())
        return try await workflows.doctor()
    }

    /// One line per check (or JSON); throws exit 1 when any failed.
    static func print(_ checks: [DoctorCheck], global: GlobalOptions, console: Console) throws {
        if global.output == .json {
            /// One check as JSON: the next step rendered as the command to run.
            struct Line: Encodable { var account: String, name: String, status: DoctorCheck.Status, detail: String, fix: String }
            console.print(try JSONOutput.render(checks.map {
                Line(account: $0.account, name: $0.name, status: $0.status, detail: $0.detail, fix: $0.fix.map(ErrorReport.render) ?? "")
            }))
        } else {
            for check in checks {
                let suffix = check.status == .fail ? (check.fix.map { " — " + ErrorReport.render($0) } ?? "") : ""
                let style: Console.Style = check.status == .fail ? .red : check.status == .pass ? .green : .yellow
                console.print("\(console.paint(check.status.rawValue.uppercased(), style))  \(check.account): \(check.name): \(check.detail)\(suffix)")
            }
        }
        let failed = checks.filter { $0.status == .fail }.count
        if failed > 0 { throw CommandFailure("\(failed) of \(checks.count) doctor check(s) failed — fix each FAIL line as it says") }
    }
}
