import AWSCore
import AWSServices
import Foundation
import VendEngine
import VendModel
import VendTestSupport

/// The repository's mesh (vend.yaml's three accounts, products/) on a `FakeCloud`: environments
/// for each engine component, and the steps tests chain (bootstrap bucket, publish, launch).
struct FakeMesh {
    static let central = "111111111111", producer = "222222222222", consumer = "333333333333"
    static let region = "us-east-1"

    /// The repository's workspace and its bundles, built once per test run.
    static let built: Result<Publisher, any Error> = Result {
        let workspace = try Workspace.load(root: Golden.repositoryRoot())
        return try Publisher.build(workspace, into: try TemporaryDirectory().url, toolVersion: "test", mtime: 0)
    }

    let cloud: FakeCloud
    let clock = ManualClock()
    let lines = LineCollector()
    let publisher: Publisher

    init(pageSize: Int = 2, polls: Int = 2, publisher: Publisher? = nil) throws {
        cloud = FakeCloud(pageSize: pageSize, polls: polls)
        self.publisher = try publisher ?? Self.built.get()
    }

    var workspace: Workspace { publisher.workspace }
    var config: MeshConfig { workspace.config }
    var bucket: String { config.artifacts.bucketName(accountId: Self.central, region: Self.region) }

    /// Clients of `account` as `caller` (default: the fake's tester role there).
    func clients(_ account: String, caller: String? = nil) -> AWSServiceClients { cloud.clients(account: account, region: Self.region, caller: caller) }

    /// Publish's environment in the central account.
    var publishEnvironment: PublishEnvironment {
        PublishEnvironment(clients: clients(Self.central), objectURL: { FakeCloud.objectURL(bucket: $0, key: $1) }, clock: clock, progress: { lines.append($0) })
    }

    /// A launch environment in `account`.
    func launchEnvironment(_ account: String, caller: String? = nil) -> LaunchEnvironment {
        LaunchEnvironment(accountId: account, region: Self.region, clients: clients(account, caller: caller), clock: clock, progress: { lines.append($0) })
    }

    /// The artifact bucket as bootstrap leaves it.
    func bootstrapBucket() { cloud.addBucket(bucket, account: Self.central, region: Self.region, hardened: true) }

    /// Reads the central catalog and plans (apply false) or publishes (apply true) with `publisher`.
    @discardableResult
    func publish(apply: Bool = true, share: Bool = true, with other: Publisher? = nil) async throws -> [Publisher.RegionResult] {
        let publisher = other ?? self.publisher
        let environment = publishEnvironment
        let catalogs = try await Publisher.readCatalogs(publisher.workspace, regions: [Self.region], account: Self.central, environment: { _ in environment })
        return try await publisher.run(catalogs, account: Self.central, apply: apply, share: share)
    }

    /// The bootstrap bucket and a first publish, then a clean call log.
    func published() async throws {
        bootstrapBucket()
        try await publish()
        cloud.clearLog()
    }

    /// The central portfolio as a launch sees it.
    func portfolio(owned: Bool) throws -> LaunchPreparer.Portfolio {
        guard let id = cloud.portfolios(account: Self.central)[config.portfolio.name] else { throw FixtureError("no portfolio published") }
        return .init(id: id, name: config.portfolio.name, owned: owned)
    }

    /// The workspace's product `name` (at `version`, default the workspace's).
    func product(_ name: String, version: String? = nil) throws -> LaunchProduct { try LaunchProduct(workspace: workspace, name: name, version: version) }

    /// Prepares `account` for `product` and provisions it as `name`, as the launch commands do
    /// (or, with `replaceFailedFirstLaunch`, replacing a failed first launch as declarative runs do).
    @discardableResult
    func launch(_ product: String, in account: String, name: String, parameters: [String: String], version: String? = nil,
                caller: String? = nil, replaceFailedFirstLaunch: Bool = false) async throws -> Provisioner.Result {
        let environment = launchEnvironment(account, caller: caller)
        let launchProduct = try self.product(product, version: version)
        let target = try await LaunchPreparer(environment: environment, pathTimeout: 30)
            .prepare(portfolio: try portfolio(owned: account == Self.central), principal: caller ?? FakeCloud.defaultCaller(account), product: launchProduct)
        return try await Provisioner(environment: environment, replaceFailedFirstLaunch: replaceFailedFirstLaunch)
            .provision(name: name, product: launchProduct, target: target, parameters: parameters)
    }

    /// The producer onboarding of domain retail, as launch-producer runs it.
    static let onboardingParameters = ["DomainName": "retail", "CentralAccountId": central]

    /// A copy of the workspace with `product` at version `version` (and a changelog entry for it), built.
    static func bumped(_ product: String, to version: String) throws -> Publisher {
        try variant { fixture in
            let current = try released(product)
            try fixture.replace("version: \(current)", with: "version: \(version)", in: "products/\(product)/product.yaml")
            try fixture.replace("## \(current)", with: "## \(version)\n- A test version.\n\n## \(current)", in: "products/\(product)/CHANGELOG.md")
        }
    }

    /// The version of `product` the repository's workspace holds (tests compare against it rather
    /// than pin it, so a product's next version does not break them).
    static func released(_ product: String) throws -> String {
        try LaunchProduct(workspace: built.get().workspace, name: product, version: nil).version
    }

    /// A copy of the workspace edited by `edit`, built.
    static func variant(_ edit: (WorkspaceFixture) throws -> Void) throws -> Publisher {
        let fixture = try WorkspaceFixture()
        try edit(fixture)
        let workspace = try Workspace.load(root: fixture.root)
        return try Publisher.build(workspace, into: try TemporaryDirectory().url, toolVersion: "test", mtime: 0)
    }
}

/// Whether `body` throws an error whose description mentions every one of `words`.
func throwsMentioning(_ words: String..., body: () async throws -> Void) async -> Bool {
    do {
        try await body()
        return false
    } catch {
        // What happened and why, and the next step the engine attaches (the CLI renders it as a command).
        let text = "\(error) \((error as? any EngineFailure)?.nextStep.map { "\($0)" } ?? "")"
        return words.allSatisfy { text.contains($0) }
    }
}
