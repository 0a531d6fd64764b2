import AWSCore
import AWSServices
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// `vend launch-producer`: onboards a producer domain (bucket in the producer account, registration in central).
public struct LaunchProducerCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "launch-producer",
        abstract: "Launch a producer domain: producer-onboarding in its account, then producer-registration in central.",
        discussion: """
            Prepares each account first (accepts the portfolio share, associates the caller with the \
            portfolio, creates or updates the product's launch role with the bundle's policy, waits for a \
            launch path), then provisions producer-onboarding as producer-<domain> in the producer account \
            and producer-registration as producer-registration-<domain> in central, fed with the \
            producer's bucket. Tokens are derived from the inputs: a re-run with the same inputs changes \
            nothing; new parameters or --version update the provisioned products. --param KEY=VALUE sets \
            a parameter of either product (e.g. DatabaseName, Classification). --with-sample-data uploads \
            sample-data/*.csv to the bucket as <table>/<table>.csv, skipping unchanged objects.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var spoke: SpokeOptions

    /// `--domain`.
    @Option(name: .long, help: "The producer domain (accounts.producers[].domain in vend.yaml).")
    var domain: String

    /// `--profile`.
    @Option(name: .long, help: "The producer account's AWS profile (default: the domain's profile in vend.yaml).")
    var profile: String?

    /// `--param`.
    @Option(name: .customLong("param"), help: "A launch parameter KEY=VALUE; repeat for several.")
    var param: [String] = []

    /// `--version`.
    @Option(name: .long, help: "The product version to launch (default: the version in products/*/product.yaml).")
    var version: String?

    /// `--with-sample-data`.
    @Flag(name: .customLong("with-sample-data"), help: "Upload sample-data/*.csv to the producer bucket, one prefix per table.")
    var withSampleData = false

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Checks the parameters' shape.
    public func validate() throws { _ = try SpokeOptions.parameters(param) }

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        let dependencies = AWSOptions.liveDependencies(verbose: global.verbose, console: console)
        let report = try await perform(currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath), dependencies: dependencies, console: console)
        try SpokeOptions.printResults(report.results, sampleData: withSampleData ? report.sampleData : nil, global: global, console: console)
    }

    /// What the command did.
    public struct Report: Sendable {
        /// Onboarding, then registration.
        public var results: [Provisioner.Result]
        /// Sample objects (empty without --with-sample-data).
        public var sampleData: [SampleDataUploader.Object]
    }

    /// Launches onboarding, uploads sample data if asked, then launches the registration.
    public func perform(currentDirectory: URL, dependencies: AWSDependencies, console: Console) async throws -> Report {
        let location = global.workspace(currentDirectory: currentDirectory)
        let workspace = try Workspace.load(root: location.root, configFile: location.configFile)
        let config = workspace.config
        guard let producer = config.producers.first(where: { $0.domain == domain }) else {
            throw CommandFailure("producer domain \"\(domain)\" is not in vend.yaml: accounts.producers has \(config.producers.compactMap(\.domain).joined(separator: ", ")) — add it there or pick one of those")
        }
        let onboarding = try LaunchProduct(workspace: workspace, name: "producer-onboarding", version: version)
        let registration = try LaunchProduct(workspace: workspace, name: "producer-registration", version: version)
        let given = try SpokeOptions.parameters(param)
        let unknown = given.keys.filter { !onboarding.parameterNames.contains($0) && !registration.parameterNames.contains($0) }.sorted()
        if !unknown.isEmpty {
            throw CommandFailure("unknown parameter(s) \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")): neither producer product has them — use \(Set(onboarding.parameterNames + registration.parameterNames).sorted().joined(separator: ", "))", status: .usage)
        }
        let central = try await spoke.central(config, dependencies: dependencies, console: console, quiet: global.quiet)
        let spokeAccount = try await spoke.account(profile: profile ?? producer.profile, accountId: producer.accountId, role: "producer", config: config,
                                                   principal: spoke.principal, dependencies: dependencies, console: console, quiet: global.quiet)
        let portfolio = try await SpokeOptions.portfolio(central: central, config: config)

        var onboardingParameters = ["DomainName": domain, "CentralAccountId": config.central.accountId]
        for key in onboarding.parameterNames { if let value = given[key] { onboardingParameters[key] = value } }
        let first = try await SpokeOptions.launch(in: spokeAccount, owned: false, portfolio: portfolio, product: onboarding,
                                                  name: "producer-\(domain)", parameters: onboardingParameters)
        guard let bucket = first.outputs["BucketName"], !bucket.isEmpty else {
            throw CommandFailure("producer-\(domain) has no BucketName output: its template did not produce one — check products/producer-onboarding/template.yaml")
        }
        var sample: [SampleDataUploader.Object] = []
        if withSampleData {
            let uploader = SampleDataUploader(s3: try LiveS3Client(session: spokeAccount.session), progress: spokeAccount.environment.progress)
            sample = try await uploader.upload(folder: workspace.root.appendingPathComponent("sample-data"), bucket: bucket)
        }
        var registrationParameters = ["DomainName": domain, "ProducerAccountId": producer.accountId, "ProducerBucketName": bucket,
                                      "DatabaseName": domain.replacingOccurrences(of: "-", with: "_"), "Classification": "internal"]
        for key in registration.parameterNames { if let value = given[key] { registrationParameters[key] = value } }
        let second = try await SpokeOptions.launch(in: central, owned: true, portfolio: portfolio, product: registration,
                                                   name: "producer-registration-\(domain)", parameters: registrationParameters)
        return Report(results: [first, second], sampleData: sample)
    }
}
