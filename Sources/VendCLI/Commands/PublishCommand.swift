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
    @OptionGroup var central: CentralOptions

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
        let dependencies = AWSOptions.liveDependencies(verbose: global.verbose, console: console)
        let results = try await Self.run(global: global, central: central, out: out, currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                                         dependencies: dependencies, console: console, apply: true, share: share)
        try Self.printResults(results, global: global, console: console)
    }

    /// Validates and builds the workspace, then plans (and with `apply`, publishes) every region.
    public static func run(global: GlobalOptions, central: CentralOptions, out: String, currentDirectory: URL,
                           dependencies: AWSDependencies, console: Console, apply: Bool, share: Bool = true) async throws -> [Publisher.RegionResult] {
        let location = global.workspace(currentDirectory: currentDirectory)
        let workspace = try Workspace.load(root: location.root, configFile: location.configFile)
        let mtime = try ProductBundler.mtime(environment: dependencies.environment)
        let outURL = URL(fileURLWithPath: out, relativeTo: currentDirectory).standardizedFileURL
        let config = workspace.config
        let sessions = try central.resolveSessions(config, dependencies: dependencies)
        let quiet = global.quiet
        let regions = central.regions(config)
        let environment: @Sendable (String) throws -> PublishEnvironment = { region in
            guard let session = sessions[region] else { throw CommandFailure("internal: no session for region \(region)") }
            return try CentralOptions.environment(session, console: console, quiet: quiet)
        }
        // Who the caller is and what the catalog holds (reads only, which need no bundle) are
        // asked while the bundles are built. The account is checked before anything is planned,
        // and its error wins over any of the reads'.
        // (ArgumentParser's property wrappers keep CentralOptions from being Sendable; this copy is only read.)
        nonisolated(unsafe) let options = central
        async let account: Void = options.checkAccount(sessions, config: config)
        async let catalogs = Publisher.readCatalogs(workspace, regions: regions, account: config.central.accountId, environment: environment)
        let publisher = try Publisher.build(workspace, into: outURL, toolVersion: VendVersion.semantic, mtime: mtime)
        try await account
        return try await publisher.run(try await catalogs, account: config.central.accountId, apply: apply, share: share)
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
