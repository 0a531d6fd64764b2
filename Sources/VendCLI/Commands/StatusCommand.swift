import AWSCore
import AWSServices
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

    /// Limit to one profile.
    @Option(name: .long, help: "Show only the account reached through this profile.")
    var profile: String?
    /// Region.
    @Option(name: .long, help: "The region (default: the first region of vend.yaml).")
    var region: String?
    /// Endpoint.
    @Option(name: .customLong("endpoint-url"), help: "Send every AWS call to this URL (e.g. a local cloud).")
    var endpointURL: String?

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        let accounts = try await Self.perform(global: global, profile: profile, region: region, endpointURL: endpointURL,
                                              currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                                              dependencies: AWSOptions.liveDependencies(verbose: global.verbose, console: console))
        try Self.print(accounts, global: global, console: console)
        if let failed = accounts.first(where: { $0.error != nil }) {
            throw CommandFailure("could not read the \(failed.role) account (profile '\(failed.profile)'): \(failed.error ?? "") — check the profile with `vend whoami --profile \(failed.profile)`")
        }
    }

    /// Reads every account of vend.yaml (or the one `profile` names).
    public static func perform(global: GlobalOptions, profile: String?, region: String?, endpointURL: String?, currentDirectory: URL,
                               dependencies: AWSDependencies) async throws -> [StatusReader.Account] {
        let location = global.workspace(currentDirectory: currentDirectory)
        let workspace = try Workspace.load(root: location.root, configFile: location.configFile)
        let config = workspace.config
        guard let region = region ?? config.regions.first else { throw CommandFailure("no region: pass --region or list regions in vend.yaml") }
        var targets: [(role: String, account: MeshConfig.Account, central: Bool)] = [("central", config.central, true)]
        targets += config.producers.map { ("producer \($0.domain ?? "")", $0, false) }
        targets += config.consumers.map { ("consumer \($0.domain ?? "")", $0, false) }
        if let profile {
            targets = targets.filter { $0.account.profile == profile }
            guard !targets.isEmpty else { throw CommandFailure("no account of \(location.configFile) uses profile '\(profile)' — use one of \(Set([config.central.profile] + (config.producers + config.consumers).map(\.profile)).sorted().joined(separator: ", "))") }
        }
        var seen: Set<String> = []
        var result: [StatusReader.Account] = []
        for target in targets where seen.insert(target.account.profile + "/" + target.account.accountId).inserted {
            let base = StatusReader.Account(role: target.role, profile: target.account.profile, accountId: target.account.accountId, region: region)
            do {
                let session = try AWSSession.resolve(.init(profile: target.account.profile, region: region, endpointURL: endpointURL), dependencies: dependencies)
                let catalog = try LiveServiceCatalogClient(session: session)
                result.append(target.central
                    ? try await StatusReader.central(portfolioName: config.portfolio.name, catalog: catalog, base: base)
                    : try await StatusReader.spoke(portfolioName: config.portfolio.name, catalog: catalog, base: base))
            } catch {
                var failed = base
                failed.error = ErrorReport(error)?.text ?? "\(error)"
                result.append(failed)
            }
        }
        return result
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
            if !account.records.isEmpty {
                var records = TextTable(["RECORD", "TYPE", "PROVISIONED", "STATUS", "ERRORS"])
                for record in account.records { records.add([record.id, record.type, record.provisionedProduct, record.status, record.errors.joined(separator: "; ")]) }
                console.print(records.rendered)
            }
        }
    }
}
