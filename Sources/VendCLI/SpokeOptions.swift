import AWSCore
import AWSServices
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// Options of the launch commands: where the spoke and central accounts are reached.
public struct SpokeOptions: ParsableArguments {
    /// `--central-profile`.
    @Option(name: .customLong("central-profile"), help: "The central account's AWS profile (default: accounts.central.profile in vend.yaml).")
    public var centralProfile: String?

    /// `--region`.
    @Option(name: .long, help: "The region to launch in (default: the first of regions in vend.yaml).")
    public var region: String?

    /// `--endpoint-url`.
    @Option(name: .customLong("endpoint-url"), help: "Send every AWS call to this URL (e.g. a local cloud) instead of AWS's endpoints.")
    public var endpointURL: String?

    /// `--principal`.
    @Option(name: .long, help: "The IAM principal ARN to associate with the imported portfolio in the spoke account (default: the caller).")
    public var principal: String?

    /// Creates the options (used by ArgumentParser).
    public init() {}

    /// Checks the endpoint URL's shape early.
    public func validate() throws {
        if let endpointURL, !(endpointURL.hasPrefix("http://") || endpointURL.hasPrefix("https://")) {
            throw ValidationError("--endpoint-url \"\(endpointURL)\" needs http:// or https://.")
        }
    }

    /// The region to act in.
    public func region(_ config: MeshConfig) throws -> String {
        guard let name = region ?? config.regions.first else { throw CommandFailure("no region to launch in: name one with --region or in vend.yaml regions") }
        return name
    }

    /// One account a launch acts in: its environment and the principal to associate.
    public struct Account: Sendable {
        /// The session.
        public var session: AWSSession
        /// The launch environment.
        public var environment: LaunchEnvironment
        /// The IAM principal associated with the portfolio.
        public var principal: String
    }

    /// Resolves `profile` in the region and checks that its credentials belong to `accountId`.
    public func account(profile: String, accountId: String, role: String, config: MeshConfig, principal: String?,
                        dependencies: AWSDependencies, console: Console, quiet: Bool) async throws -> Account {
        let region = try region(config)
        let session = try AWSSession.resolve(.init(profile: profile, region: region, endpointURL: endpointURL), dependencies: dependencies)
        let identity = try await LiveSTSClient(session: session).getCallerIdentity()
        guard identity.Account == accountId else {
            throw CommandFailure("profile '\(profile)' belongs to account \(identity.Account), but vend.yaml names \(accountId) as the \(role) account — use that account's profile or fix vend.yaml")
        }
        let environment = LaunchEnvironment(accountId: accountId, region: region, serviceCatalog: try LiveServiceCatalogClient(session: session),
                                            iam: try LiveIAMClient(session: session), cloudFormation: try LiveCloudFormationClient(session: session),
                                            clock: session.client.clock,
                                            progress: { line in if !quiet { console.progress("[\(role) \(accountId)] \(line)") } })
        return Account(session: session, environment: environment, principal: principal ?? Bootstrapper.principal(fromCallerArn: identity.Arn))
    }

    /// The central account.
    public func central(_ config: MeshConfig, dependencies: AWSDependencies, console: Console, quiet: Bool) async throws -> Account {
        try await account(profile: centralProfile ?? config.central.profile, accountId: config.central.accountId, role: "central", config: config,
                          principal: nil, dependencies: dependencies, console: console, quiet: quiet)
    }

    /// The central portfolio (found by vend.yaml's portfolio name in the central account).
    public static func portfolio(central: Account, config: MeshConfig) async throws -> (id: String, name: String) {
        let name = config.portfolio.name
        guard let id = try await central.environment.serviceCatalog.allPortfolios().first(where: { $0.DisplayName == name })?.Id else {
            throw CommandFailure("portfolio \"\(name)\" does not exist in the central account \(config.central.accountId): nothing was published yet — run `vend publish` first")
        }
        return (id, name)
    }

    /// Prepares `account` and provisions `product` as `name` with `parameters`.
    public static func launch(in account: Account, owned: Bool, portfolio: (id: String, name: String), product: LaunchProduct,
                              name: String, parameters: [String: String]) async throws -> Provisioner.Result {
        let target = try await LaunchPreparer(environment: account.environment)
            .prepare(portfolio: .init(id: portfolio.id, name: portfolio.name, owned: owned), principal: account.principal, product: product)
        return try await Provisioner(environment: account.environment).provision(name: name, product: product, target: target, parameters: parameters)
    }

    /// Parses `K=V` pairs (every problem at once).
    public static func parameters(_ pairs: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        var problems: [String] = []
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else { problems.append("--param \"\(pair)\" is not KEY=VALUE"); continue }
            result[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        if !problems.isEmpty { throw ValidationError(problems.joined(separator: "; ") + ".") }
        return result
    }

    /// Prints launch results: a table (and the outputs) or JSON, on stdout.
    static func printResults(_ results: [Provisioner.Result], sampleData: [SampleDataUploader.Object]?, global: GlobalOptions, console: Console) throws {
        if global.output == .json {
            console.print(try JSONOutput.render(LaunchReport(provisionedProducts: results, sampleData: sampleData)))
            return
        }
        var table = TextTable(["ACCOUNT", "PROVISIONED PRODUCT", "PRODUCT", "VERSION", "ACTION", "STATUS"])
        for result in results { table.add([result.account, result.name, result.product, result.version, result.action, result.status]) }
        console.print(table.rendered)
        var outputs = TextTable(["PROVISIONED PRODUCT", "OUTPUT", "VALUE"])
        for result in results { for (key, value) in result.outputs.sorted(by: { $0.key < $1.key }) { outputs.add([result.name, key, value]) } }
        console.print("")
        console.print(outputs.rendered)
        if let sampleData, !sampleData.isEmpty {
            var objects = TextTable(["SAMPLE OBJECT", "ACTION"])
            for object in sampleData { objects.add([object.key, object.action]) }
            console.print("")
            console.print(objects.rendered)
        }
    }
}

/// The JSON a launch command prints.
struct LaunchReport: Encodable {
    /// What each provisioned product became.
    var provisionedProducts: [Provisioner.Result]
    /// Sample objects, when uploaded.
    var sampleData: [SampleDataUploader.Object]?
}
