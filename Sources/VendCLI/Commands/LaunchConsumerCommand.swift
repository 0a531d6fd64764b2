import AWSCore
import AWSServices
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// `vend launch-consumer`: onboards a consumer domain (central registration, then the consumer account).
public struct LaunchConsumerCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "launch-consumer",
        abstract: "Launch a consumer domain: consumer-registration in central, then consumer-onboarding in its account.",
        discussion: """
            Prepares each account as launch-producer does, then provisions consumer-registration as \
            consumer-registration-<domain> in central (read-only, tag-based grants to the consumer \
            account) and consumer-onboarding as consumer-<domain> in the consumer account (resource link to \
            the producer's database, Athena workgroup with a results location, the analyst's grants on the \
            link and on the target). Central goes first: the consumer's grants on the central catalog need \
            the central grants. --reads names the producer domain (default: the first producer in vend.yaml), \
            whose registration must exist (`vend launch-producer`).
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var spoke: SpokeOptions

    /// `--domain`.
    @Option(name: .long, help: "The consumer domain (accounts.consumers[].domain in vend.yaml).")
    var domain: String

    /// `--profile`.
    @Option(name: .long, help: "The consumer account's AWS profile (default: the domain's profile in vend.yaml).")
    var profile: String?

    /// `--analyst-role`.
    @Option(name: .customLong("analyst-role"), help: "The IAM role ARN of the consumer's analysts (without a path).")
    var analystRole: String

    /// `--reads`.
    @Option(name: .long, help: "The producer domain this consumer reads (default: the first producer in vend.yaml).")
    var reads: String?

    /// `--version`.
    @Option(name: .long, help: "The product version to launch (default: the version in products/*/product.yaml).")
    var version: String?

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        let dependencies = AWSOptions.liveDependencies(verbose: global.verbose, console: console)
        let results = try await perform(currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath), dependencies: dependencies, console: console)
        try SpokeOptions.printResults(results, sampleData: nil, global: global, console: console)
    }

    /// Launches the registration, then the onboarding.
    public func perform(currentDirectory: URL, dependencies: AWSDependencies, console: Console) async throws -> [Provisioner.Result] {
        let location = global.workspace(currentDirectory: currentDirectory)
        let workspace = try Workspace.load(root: location.root, configFile: location.configFile)
        let config = workspace.config
        guard let consumer = config.consumers.first(where: { $0.domain == domain }) else {
            throw CommandFailure("consumer domain \"\(domain)\" is not in vend.yaml: accounts.consumers has \(config.consumers.compactMap(\.domain).joined(separator: ", ")) — add it there or pick one of those")
        }
        guard let producerDomain = reads ?? config.producers.first?.domain else {
            throw CommandFailure("no producer domain to read: vend.yaml has no accounts.producers — add one or pass --reads")
        }
        let registration = try LaunchProduct(workspace: workspace, name: "consumer-registration", version: version)
        let onboarding = try LaunchProduct(workspace: workspace, name: "consumer-onboarding", version: version)
        let central = try await spoke.central(config, dependencies: dependencies, console: console, quiet: global.quiet)
        let spokeAccount = try await spoke.account(profile: profile ?? consumer.profile, accountId: consumer.accountId, role: "consumer", config: config,
                                                   principal: spoke.principal, dependencies: dependencies, console: console, quiet: global.quiet)
        let portfolio = try await SpokeOptions.portfolio(central: central, config: config)

        let producerName = "producer-registration-\(producerDomain)"
        guard let producer = try await Provisioner.provisionedProduct(named: producerName, in: central.environment.serviceCatalog),
              let producerId = producer.Id,
              let database = try await central.environment.serviceCatalog.allOutputs(provisionedProductId: producerId).first(where: { $0.OutputKey == "DatabaseName" })?.OutputValue else {
            throw CommandFailure("producer domain \"\(producerDomain)\" has no central registration with a DatabaseName (\(producerName)): the consumer has nothing to read — run `vend launch-producer --domain \(producerDomain)` first")
        }
        let first = try await SpokeOptions.launch(in: central, owned: true, portfolio: portfolio, product: registration, name: "consumer-registration-\(domain)",
                                                  parameters: ["ConsumerAccountId": consumer.accountId, "DomainTagValue": producerDomain])
        let second = try await SpokeOptions.launch(in: spokeAccount, owned: false, portfolio: portfolio, product: onboarding, name: "consumer-\(domain)",
                                                   parameters: ["DomainName": domain, "CentralAccountId": config.central.accountId, "SharedDatabaseName": database,
                                                                "DomainTagValue": producerDomain, "AnalystRoleArn": analystRole])
        return [first, second]
    }
}
