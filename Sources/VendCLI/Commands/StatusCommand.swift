import AWSCore
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// `vend status`: one readable table per account.
public struct StatusCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the portfolio, versions, shares, provisioned products and recent records of every account.",
        discussion: """
            Reads the central account (portfolio, products and versions with their state and digest, \
            shares and whether each was accepted) and every producer and consumer account of vend.yaml \
            (the imported portfolio, provisioned products with version, status and outputs, recent \
            records), each through its own profile. --profile limits it to one account. Read calls only. \
            An account that cannot be read is reported and the others are still shown; the exit code is \
            then 1.
            """
    )

    @OptionGroup var global: GlobalOptions

    /// `--profile` limits it to one account; `--region`, `--endpoint-url`.
    @OptionGroup var accounts: AccountOptions

    /// `--graph [mermaid|dot]`: the mesh as a picture instead of the tables.
    @Option(name: .long, help: ArgumentHelp("Print the mesh as a picture instead: mermaid (the default when --graph has no value) or dot (Graphviz).",
                                            valueName: "format"))
    var graph: String?

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Checks the region and the picture's format.
    public func validate() throws {
        _ = try accounts.oneRegion()
        if let graph, MeshGraph.Format(rawValue: graph) == nil {
            throw ValidationError("--graph \(graph) is not a format: use mermaid or dot.")
        }
    }

    /// `--graph` given last or before another option means `--graph mermaid` (ArgumentParser's
    /// options always take a value, so the value is filled in before parsing).
    public static func fillGraphDefault(_ arguments: [String]) -> [String] {
        var result: [String] = []
        for (index, argument) in arguments.enumerated() {
            result.append(argument)
            guard argument == "--graph" else { continue }
            let next = arguments.dropFirst(index + 1).first
            if next == nil || next?.hasPrefix("-") == true { result.append(MeshGraph.Format.mermaid.rawValue) }
        }
        return result
    }

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        if let graph, let format = MeshGraph.Format(rawValue: graph) {
            try await printGraph(format, currentDirectory: Wiring.currentDirectory,
                                 dependencies: Wiring.liveDependencies(verbose: global.verbose, console: console), console: console)
            return
        }
        let read = try await Self.perform(global: global, accounts: accounts, currentDirectory: Wiring.currentDirectory,
                                          dependencies: Wiring.liveDependencies(verbose: global.verbose, console: console))
        try Self.print(read, global: global, console: console)
        if let failed = read.first(where: { $0.error != nil }) {
            throw CommandFailure("could not read the \(failed.role) account (profile '\(failed.profile)'): \(failed.error ?? "") — check the profile with `vend whoami --profile \(failed.profile)`")
        }
    }

    /// Reads every account of vend.yaml (or the one `--profile` names): the engine's `status`.
    public static func perform(global: GlobalOptions, accounts: AccountOptions, currentDirectory: URL, dependencies: AWSDependencies) async throws -> [StatusReader.Account] {
        let workspace = try Wiring.workspace(global, currentDirectory: currentDirectory)
        let console = Console(out: { _ in }, err: { _ in })
        let workflows = try ReadWorkflows(workspace: workspace, resolver: Wiring.resolver(accounts, dependencies: dependencies, console: console, quiet: true),
                                          region: try accounts.oneRegion())
        return try await workflows.status(profile: accounts.profile, clock: dependencies.clock) { ErrorReport($0)?.text ?? "\($0)" }
    }

    /// The mesh as Mermaid or DOT on stdout.
    public func printGraph(_ format: MeshGraph.Format, currentDirectory: URL, dependencies: AWSDependencies, console: Console) async throws {
        let workspace = try Wiring.workspace(global, currentDirectory: currentDirectory)
        let workflows = try ReadWorkflows(workspace: workspace, resolver: Wiring.resolver(accounts, dependencies: dependencies, console: console, quiet: true),
                                          region: try accounts.oneRegion())
        let (views, notRead) = try await workflows.subscriptions(clock: dependencies.clock)
        console.print(MeshGraph.render(workspace.config, views: views, format: format))
        if let (account, reason) = notRead.sorted(by: { $0.key < $1.key }).first {
            throw CommandFailure("the picture lacks account \(account), which could not be read: \(reason) — check its profile with `vend whoami`, then re-run")
        }
    }

    /// Tables on stdout, or JSON.
    static func print(_ accounts: [StatusReader.Account], global: GlobalOptions, console: Console) throws {
        if global.output == .json {
            console.print(try JSONOutput.render(accounts))
            return
        }
        for (index, account) in accounts.enumerated() {
            if index > 0 { console.print("") }
            console.print("== \(account.role) — account \(account.accountId), profile \(account.profile), \(account.region), portfolio \(account.portfolioId ?? "none")")
            if let error = account.error {
                console.print("  unreadable: \(error)")
                continue
            }
            if !account.products.isEmpty {
                var table = TextTable(["PRODUCT", "VERSION", "STATE", "VERSION ID", "DIGEST"])
                for product in account.products {
                    for version in product.versions { table.add([product.name, version.name, version.state, version.id, version.digest ?? "-"]) }
                }
                console.print(table.rendered)
            }
            if !account.shares.isEmpty {
                var table = TextTable(["SHARED WITH", "TYPE", "STATE"])
                for share in account.shares { table.add([share.principal, share.type, share.state]) }
                console.print(table.rendered)
            }
            var provisioned = TextTable(["PROVISIONED", "PRODUCT", "VERSION", "STATUS", "OUTPUTS"])
            for item in account.provisioned {
                let outputs = item.outputs.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                provisioned.add([item.name, item.product, item.version, item.status + (item.message.map { " (\($0))" } ?? ""), outputs])
            }
            console.print(account.provisioned.isEmpty ? "no provisioned products" : provisioned.rendered)
            if let subscriptions = account.subscriptions {
                var table = TextTable(["READS", "STATE", "REQUEST", "UNTIL"])
                for item in subscriptions { table.add([item.domain, item.label, item.request ?? "-", item.until.map(SubscriptionStore.day) ?? "-"]) }
                console.print(subscriptions.isEmpty ? "no subscriptions" : table.rendered)
            }
            if !account.records.isEmpty {
                var records = TextTable(["RECORD", "TYPE", "PROVISIONED", "STATUS", "ERRORS"])
                for record in account.records { records.add([record.id, record.type, record.provisionedProduct, record.status, record.errors.joined(separator: "; ")]) }
                console.print(records.rendered)
            }
        }
    }
}
