import AWSCore
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// `vend share`: shares the portfolio with accounts, OUs or the organization (or stops sharing).
public struct ShareCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "share",
        abstract: "Share the portfolio with accounts, OUs or the organization, or stop sharing with --unshare.",
        discussion: """
            Targets come from --account/--ou/--organization, or from shares in vend.yaml when none is \
            given. Existing shares are updated (ShareTagOptions, SharePrincipals) rather than duplicated; \
            organization and OU shares are asynchronous and polled to completion, with ShareErrors \
            reported. Share actions run one at a time, as Service Catalog requires. Prints the \
            portfolio's shares afterwards. --unshare removes the named shares and needs --yes.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: AccountOptions

    /// Accounts.
    @Option(name: .customLong("account"), help: "An account id to share with (repeatable).")
    var accounts: [String] = []
    /// OUs.
    @Option(name: .customLong("ou"), help: "An organizational unit id (ou-…) to share with (repeatable).")
    var organizationalUnits: [String] = []
    /// Organization.
    @Option(name: .long, help: "The organization id (o-…) to share with.")
    var organization: String?
    /// Remove instead of add.
    @Flag(name: .long, help: "Stop sharing with the named targets.")
    var unshare = false
    /// Confirmation for --unshare.
    @Flag(name: .long, help: "Confirm --unshare (spoke accounts lose access to products they have not launched).")
    var yes = false

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Flag checks.
    public func validate() throws {
        if unshare && !yes { throw ValidationError("--unshare removes access for the named accounts: add --yes to confirm.") }
        if unshare && accounts.isEmpty && organizationalUnits.isEmpty && organization == nil {
            throw ValidationError("--unshare needs the targets named with --account, --ou or --organization.")
        }
        for account in accounts where account.count != 12 || !account.allSatisfy(\.isNumber) {
            throw ValidationError("--account \"\(account)\" is not a 12-digit account id.")
        }
    }

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        let dependencies = Wiring.liveDependencies(verbose: global.verbose, console: console)
        let workflows = try Wiring.central(global, options, currentDirectory: Wiring.currentDirectory, dependencies: dependencies, console: console)
        var shares = workflows.workspace.config.shares
        if !accounts.isEmpty || !organizationalUnits.isEmpty || organization != nil {
            shares.accounts = self.accounts
            shares.organizationalUnits = organizationalUnits
            shares.organization = organization
        }
        for (region, live) in try await workflows.share(shares, unshare: unshare) {
            Self.print(live, region: region, global: global, console: console)
        }
    }

    /// Prints one region's shares.
    static func print(_ shares: [CatalogSnapshot.Share], region: String, global: GlobalOptions, console: Console) {
        struct Row: Encodable { var region: String, type: String, principal: String, accepted: Bool, shareTagOptions: Bool, sharePrincipals: Bool }
        let rows = shares.map { Row(region: region, type: $0.type, principal: $0.principal, accepted: $0.accepted, shareTagOptions: $0.shareTagOptions, sharePrincipals: $0.sharePrincipals) }
        if global.output == .json {
            console.print((try? JSONOutput.render(rows)) ?? "[]")
            return
        }
        var table = TextTable(["REGION", "TYPE", "PRINCIPAL", "STATE", "TAGOPTIONS", "PRINCIPALS"])
        for row in rows { table.add([row.region, row.type, row.principal, row.accepted ? "accepted" : "pending", "\(row.shareTagOptions)", "\(row.sharePrincipals)"]) }
        console.print(table.rendered)
    }
}
