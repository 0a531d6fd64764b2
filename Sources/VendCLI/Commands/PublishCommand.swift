import AWSCore
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// `vend publish`: turns the bundles into a live, shared Service Catalog portfolio.
public struct PublishCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish every product version to the central account's portfolio and share it.",
        discussion: """
            Builds the bundles, then per region: uploads each bundle and template under \
            content-addressed keys, creates the portfolio, products and versions (waiting for \
            AVAILABLE), associates them, adds one LAUNCH constraint per product using LocalRoleName, \
            TagOptions, the SSM documents and service actions (associated with every active version), \
            deprecates versions beyond versions.keepActive, and shares the portfolio. Every step looks \
            before it acts and carries a content-derived idempotency token, so re-running after any \
            failure converges. A published version with other content is refused (exit 2) before \
            anything changes: bump the version.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var accounts: AccountOptions

    /// Bundle folder.
    @Option(name: .long, help: "Folder for the bundles built before publishing.")
    var out: String = "dist"

    /// Whether to apply vend.yaml's shares.
    @Flag(inversion: .prefixedNo, help: "Share the portfolio with the targets in vend.yaml (default), or leave shares alone.")
    var share = true

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        let dependencies = Wiring.liveDependencies(verbose: global.verbose, console: console)
        let results = try await Self.run(global: global, accounts: accounts, out: out, currentDirectory: Wiring.currentDirectory,
                                         dependencies: dependencies, console: console, apply: true, share: share)
        try Self.printResults(results, global: global, console: console)
    }

    /// Plans (and with `apply`, publishes) every region: the engine's `publish`.
    public static func run(global: GlobalOptions, accounts: AccountOptions, out: String, currentDirectory: URL,
                           dependencies: AWSDependencies, console: Console, apply: Bool, share: Bool = true) async throws -> [Publisher.RegionResult] {
        try await Wiring.central(global, accounts, currentDirectory: currentDirectory, dependencies: dependencies, console: console)
            .publish(build: try Wiring.buildOptions(out: out, currentDirectory: currentDirectory, dependencies: dependencies), apply: apply, share: share)
    }

    /// The result table (or JSON) on stdout.
    static func printResults(_ results: [Publisher.RegionResult], global: GlobalOptions, console: Console) throws {
        struct Row: Encodable { var region: String, product: String, version: String, productId: String, versionId: String, digest: String, changes: Int }
        let rows = results.flatMap { result in
            result.products.map { Row(region: result.region, product: $0.product, version: $0.version, productId: $0.productId, versionId: $0.versionId, digest: $0.digest, changes: $0.changes) }
        }
        if global.output == .json {
            console.print(try JSONOutput.render(rows))
            return
        }
        var table = TextTable(["REGION", "PRODUCT", "VERSION", "PRODUCT ID", "VERSION ID", "CHANGES", "DIGEST"])
        for row in rows { table.add([row.region, row.product, row.version, row.productId, row.versionId, "\(row.changes)", row.digest]) }
        console.print(table.rendered)
        let total = results.reduce(0) { $0 + $1.plan.allSteps.count }
        if !global.quiet { console.progress("publish: \(total) change(s) in \(results.count) region(s)") }
    }
}
