import AWSCore
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// `vend access --principal ARN`: for each table of the mesh, may this principal read it, and why.
public struct AccessCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "Explain, for one principal, which tables of the mesh it may read and through which grants.",
        discussion: """
            For every table of each producer domain's central database, reached the way the principal \
            reaches it (through each resource link its account holds, directly in central, or by naming \
            the central catalog), prints ALLOW or DENY with the domain, the consumer, database.table and \
            the chain of Lake Formation grants that allows it — DESCRIBE on the link, the central \
            catalog's grant to the account, SELECT on the target by name or LF-Tag policy with its catalog \
            id, the registered location — or the first missing link and what would restore it. It is \
            computed from the live grants (Lake Formation settings, permissions, LF-Tags, registered \
            locations; Glue databases, links and tables), read in every account of vend.yaml through its \
            own profile, which should be a data lake administrator to see every grant; no query runs. \
            IAM policies are not evaluated. An assumed-role session ARN stands for its role. Read calls \
            only. It is a report: the exit code is 0 whatever the verdicts.
            """
    )

    @OptionGroup var global: GlobalOptions
    /// `--region`, `--endpoint-url` (every account of vend.yaml is read through its own profile).
    @OptionGroup var accounts: AccountOptions

    /// `--principal`.
    @Option(name: .long, help: "The IAM role or user ARN (or an assumed-role session ARN) to explain access for.")
    var principal: String

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Checks the region and the principal's shape; refuses --profile (every account is read through its own).
    public func validate() throws {
        _ = try accounts.oneRegion()
        if accounts.profile != nil { throw ValidationError("access reads every account of vend.yaml through its own profile: leave out --profile.") }
        if !principal.hasPrefix("arn:") || principal.split(separator: ":", omittingEmptySubsequences: false).count < 6 {
            throw ValidationError("--principal \"\(principal)\" is not an IAM ARN (arn:aws:iam::<account>:role/<name>).")
        }
    }

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        let verdicts = try await perform(currentDirectory: Wiring.currentDirectory,
                                         dependencies: Wiring.liveDependencies(verbose: global.verbose, console: console))
        try Self.print(verdicts, global: global, console: console)
    }

    /// Reads every account and evaluates each table: the engine's `access`.
    public func perform(currentDirectory: URL, dependencies: AWSDependencies) async throws -> [AccessVerdict] {
        let workspace = try Wiring.workspace(global, currentDirectory: currentDirectory)
        let silent = Console(out: { _ in }, err: { _ in })
        let workflows = try ReadWorkflows(workspace: workspace, resolver: Wiring.resolver(accounts, dependencies: dependencies, console: silent, quiet: true),
                                          region: try accounts.oneRegion())
        return try await workflows.access(principal: principal)
    }

    /// One verdict as JSON: the next step rendered as the command that restores the missing link.
    struct Line: Encodable {
        var verdict: AccessVerdict
        var restore: String?

        func encode(to encoder: any Encoder) throws {
            try verdict.encode(to: encoder)
            var container = encoder.container(keyedBy: Key.self)
            try container.encodeIfPresent(restore, forKey: .restore)
        }

        enum Key: String, CodingKey { case restore }
    }

    /// One line per table, or JSON.
    static func print(_ verdicts: [AccessVerdict], global: GlobalOptions, console: Console) throws {
        if global.output == .json {
            console.print(try JSONOutput.render(verdicts.map { Line(verdict: $0, restore: $0.missing?.nextStep.map(ErrorReport.render)) }))
            return
        }
        if verdicts.isEmpty { console.print("no tables: no producer domain's central database has any yet") }
        for verdict in verdicts {
            let word = console.paint(verdict.allowed ? "ALLOW" : "DENY ", verdict.allowed ? .green : .red)
            let head = "\(word)  \(verdict.domain)  \(verdict.consumer)  \(verdict.database).\(verdict.table)"
            if let missing = verdict.missing {
                console.print(head + "  missing: \(missing.text)" + (missing.nextStep.map { " — " + ErrorReport.render($0) } ?? ""))
            } else {
                let columns = verdict.columns.map { " (columns: \($0.joined(separator: ", ")))" } ?? ""
                console.print(head + columns + "  via " + verdict.chain.map(\.text).joined(separator: "; "))
            }
        }
    }
}
