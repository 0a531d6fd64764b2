import AWSCore
import AWSServices
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// `vend doctor`: one pass/fail line per known data-mesh failure, in every account.
public struct DoctorCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check every account for the data mesh's known failures, one pass/fail line each with what to do.",
        discussion: """
            Central: artifact bucket settings, Lake Formation cross-account version, no IAM-only defaults, \
            launch roles present and Lake Formation admins, shares accepted, each producer location \
            registered with a user-defined role. Producer: launch role, bucket policy principals. \
            Consumer: launch role (present, admin), no IAM-only defaults, the analyst's DESCRIBE on the \
            resource link and SELECT on the target with the central catalog id (the seed's known issue), \
            the Athena output location. Checks that need a product not launched yet are skipped. Read \
            calls only; exits 1 if any check fails.
            """
    )

    @OptionGroup var global: GlobalOptions
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
        let checks = try await Self.perform(global: global, region: region, endpointURL: endpointURL,
                                            currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                                            dependencies: AWSOptions.liveDependencies(verbose: global.verbose, console: console))
        try Self.print(checks, global: global, console: console)
    }

    /// Runs every check.
    public static func perform(global: GlobalOptions, region: String?, endpointURL: String?, currentDirectory: URL,
                               dependencies: AWSDependencies) async throws -> [DoctorCheck] {
        let location = global.workspace(currentDirectory: currentDirectory)
        let workspace = try Workspace.load(root: location.root, configFile: location.configFile)
        let config = workspace.config
        let products = workspace.products.map(\.definition)
        guard let region = region ?? config.regions.first else { throw CommandFailure("no region: pass --region or list regions in vend.yaml") }
        func clients(_ account: MeshConfig.Account) throws -> DoctorClients {
            let session = try AWSSession.resolve(.init(profile: account.profile, region: region, endpointURL: endpointURL), dependencies: dependencies)
            return DoctorClients(serviceCatalog: try LiveServiceCatalogClient(session: session), iam: try LiveIAMClient(session: session),
                                 s3: try LiveS3Client(session: session), lakeFormation: try LiveLakeFormationClient(session: session),
                                 athena: try LiveAthenaClient(session: session))
        }
        var checks: [DoctorCheck] = []
        var buckets: [String: String] = [:]
        for producer in config.producers {
            let domain = producer.domain ?? producer.profile
            let (found, bucket) = await Doctor.producer(domain: domain, config: config, workspace: products, clients: try clients(producer))
            checks += found
            if let bucket { buckets[domain] = bucket }
        }
        for consumer in config.consumers {
            checks += await Doctor.consumer(domain: consumer.domain ?? consumer.profile, config: config, workspace: products, clients: try clients(consumer))
        }
        let central = await Doctor.central(config: config, workspace: products, region: region, clients: try clients(config.central), producerBuckets: buckets)
        return central + checks
    }

    /// One line per check (or JSON); throws exit 1 when any failed.
    static func print(_ checks: [DoctorCheck], global: GlobalOptions, console: Console) throws {
        if global.output == .json {
            console.print(try JSONOutput.render(checks))
        } else {
            for check in checks {
                let suffix = check.status == .fail && !check.fix.isEmpty ? " — \(check.fix)" : ""
                let style: Console.Style = check.status == .fail ? .red : check.status == .pass ? .green : .yellow
                console.print("\(console.paint(check.status.rawValue.uppercased(), style))  \(check.account): \(check.name): \(check.detail)\(suffix)")
            }
        }
        let failed = checks.filter { $0.status == .fail }.count
        if failed > 0 { throw CommandFailure("\(failed) of \(checks.count) doctor check(s) failed — fix each FAIL line as it says") }
    }
}
