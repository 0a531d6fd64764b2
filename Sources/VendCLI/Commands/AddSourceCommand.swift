import AWSCore
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// The formats the AddDataSource action accepts.
public enum SourceFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case csv, json, parquet
}

/// `vend add-source`: runs the AddDataSource service action on a producer domain's registration.
public struct AddSourceCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "add-source",
        abstract: "Add a data source (an S3 prefix of the producer's bucket) to a producer domain.",
        discussion: """
            Finds producer-registration-<domain> in the central account (vend.yaml; --profile overrides), \
            runs its AddDataSource service action (ExecuteProvisionedProductServiceAction; the execute token \
            is derived from the inputs, so a retry does not run it twice) with the domain's database, \
            crawler role and s3://<bucket>/<prefix>/, follows the record to the end and prints what the \
            action did. A source whose crawler already crawled the same path is left alone. A failed action \
            prints the failing step and its error and exits 1.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var accounts: AccountOptions
    @OptionGroup var launch: LaunchOptions

    /// `--domain`.
    @Option(name: .long, help: "The producer domain.")
    var domain: String

    /// `--source`.
    @Option(name: .long, help: "Short name of the source (lower case letters, digits, _ and -); the crawler is <database>-<source>.")
    var source: String

    /// `--prefix`.
    @Option(name: .long, help: "The prefix of the source's files in the producer's bucket (e.g. orders/).")
    var prefix: String

    /// `--format`.
    @Option(name: .long, help: "The files' format: csv, json or parquet.")
    var format: SourceFormat = .csv

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Checks the source name's shape (the action document's pattern).
    public func validate() throws {
        if source.range(of: "^[a-z][a-z0-9_-]{0,62}$", options: .regularExpression) == nil {
            throw ValidationError("--source \"\(source)\" must start with a lower case letter and hold only a-z, 0-9, _ and - (at most 63 characters).")
        }
        _ = try accounts.oneRegion()
    }

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        let dependencies = Wiring.liveDependencies(verbose: global.verbose, console: console)
        let result = try await perform(currentDirectory: Wiring.currentDirectory, dependencies: dependencies, console: console)
        if global.output == .json {
            console.print(try JSONOutput.render(result))
            return
        }
        var table = TextTable(["PROVISIONED PRODUCT", "CRAWLER", "S3 PATH", "ACTION", "STATUS"])
        table.add([result.provisionedProduct, result.crawler, result.s3Path, result.action, result.status])
        console.print(table.rendered)
        var outputs = TextTable(["OUTPUT", "VALUE"])
        for (key, value) in result.outputs.sorted(by: { $0.key < $1.key }) { outputs.add([key, value]) }
        console.print("")
        console.print(outputs.rendered)
    }

    /// Runs the action (or finds it already done): the engine's `addSource`.
    public func perform(currentDirectory: URL, dependencies: AWSDependencies, console: Console) async throws -> DataSourceAdder.Result {
        let workspace = try Wiring.workspace(global, currentDirectory: currentDirectory)
        let workflows = try AccountWorkflows(workspace: workspace, resolver: Wiring.resolver(accounts, dependencies: dependencies, console: console, quiet: global.quiet),
                                             region: try accounts.oneRegion())
        return try await workflows.addSource(domain: domain, source: source, prefix: prefix, format: format.rawValue,
                                             profile: accounts.profile ?? launch.centralProfile)
    }
}
