import AWSCore
import AWSServices
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
    @OptionGroup var spoke: SpokeOptions

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

    /// `--profile`.
    @Option(name: .long, help: "The profile of the account holding the registration (default: the central profile in vend.yaml).")
    var profile: String?

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Checks the source name's shape (the action document's pattern).
    public func validate() throws {
        if source.range(of: "^[a-z][a-z0-9_-]{0,62}$", options: .regularExpression) == nil {
            throw ValidationError("--source \"\(source)\" must start with a lower case letter and hold only a-z, 0-9, _ and - (at most 63 characters).")
        }
    }

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        let dependencies = AWSOptions.liveDependencies(verbose: global.verbose, console: console)
        let result = try await perform(currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath), dependencies: dependencies, console: console)
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

    /// Runs the action (or finds it already done).
    public func perform(currentDirectory: URL, dependencies: AWSDependencies, console: Console) async throws -> DataSourceAdder.Result {
        let location = global.workspace(currentDirectory: currentDirectory)
        let workspace = try Workspace.load(root: location.root, configFile: location.configFile)
        let config = workspace.config
        guard config.producers.contains(where: { $0.domain == domain }) else {
            throw CommandFailure("producer domain \"\(domain)\" is not in vend.yaml: accounts.producers has \(config.producers.compactMap(\.domain).joined(separator: ", ")) — add it there or pick one of those")
        }
        let central = try await spoke.account(profile: profile ?? spoke.centralProfile ?? config.central.profile, accountId: config.central.accountId, role: "central",
                                              config: config, principal: nil, dependencies: dependencies, console: console, quiet: global.quiet)
        let adder = DataSourceAdder(environment: central.environment, glue: try LiveGlueClient(session: central.session), ssm: try LiveSSMClient(session: central.session))
        return try await adder.run(provisionedProductName: "producer-registration-\(domain)", source: source, prefix: prefix, format: format.rawValue)
    }
}
