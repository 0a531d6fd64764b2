import AWSCore
import AWSServices
import Foundation
import Testing
import VendEngine
import VendModel
import VendTestSupport

/// The engine's entry points (what each command calls) on the fake cloud, reached through the
/// engine's own account resolution: identity checks, workflows composed end to end, refusals.
@Suite("Engine entry points on the fake cloud")
struct WorkflowFakeTests {
    static let central = FakeMesh.central, producer = FakeMesh.producer, consumer = FakeMesh.consumer

    /// A fake cloud with the outputs the mesh products' templates give, and its resolver.
    static func bed(_ mesh: FakeMesh, profiles: [String: String] = FakeAccountResolver.meshProfiles) -> MeshScenario.Bed {
        let cloud = mesh.cloud
        let bucket = mesh.bucket
        cloud.behaveLikeMeshProducts()
        let resolver = FakeAccountResolver(cloud: cloud, profiles: profiles, clock: mesh.clock)
        return MeshScenario.Bed(
            resolver: resolver,
            afterBootstrap: { cloud.addBucket(bucket, account: central, region: FakeMesh.region, hardened: true) },
            mutatingCalls: { [central, producer, consumer].flatMap { cloud.mutatingCalls(account: $0) } },
            clearLog: { cloud.clearLog() })
    }

    @Test("the scenario both beds tell: the same transcript on the fakes as on the local cloud")
    func scenario() async throws {
        let mesh = try FakeMesh()
        let transcript = try await MeshScenario.run(workspace: mesh.workspace, bed: Self.bed(mesh), build: try TemporaryDirectory().url)
        #expect(transcript == MeshScenario.expected)
    }

    @Test("a profile whose account is not vend.yaml's is refused before any change, naming both accounts")
    func wrongAccount() async throws {
        let mesh = try FakeMesh()
        var profiles = FakeAccountResolver.meshProfiles
        profiles["central"] = Self.producer
        let bed = Self.bed(mesh, profiles: profiles)
        let central = CentralWorkflows(workspace: mesh.workspace, resolver: bed.resolver)
        await #expect(throws: EngineError.wrongAccount(profile: "central", actual: Self.producer, expected: Self.central, label: "central")) {
            _ = try await central.publish(build: .init(directory: try TemporaryDirectory().url, toolVersion: "t", mtime: 0), apply: true)
        }
        #expect(mesh.cloud.mutatingCalls(account: Self.producer).isEmpty && mesh.cloud.mutatingCalls(account: Self.central).isEmpty)
    }

    @Test("plan (publish with apply false) only reads; bootstrap re-run changes nothing")
    func planReadsOnly() async throws {
        let mesh = try FakeMesh()
        let bed = Self.bed(mesh)
        let central = CentralWorkflows(workspace: mesh.workspace, resolver: bed.resolver)
        #expect(try await central.bootstrap().map(\.action) == ["created"])
        try await bed.afterBootstrap()
        mesh.cloud.clearLog()
        #expect(try await central.bootstrap().map(\.action) == ["unchanged"])
        let plan = try await central.publish(build: .init(directory: try TemporaryDirectory().url, toolVersion: "t", mtime: 0), apply: false)
        #expect(plan.first.map { !$0.plan.allSteps.isEmpty } == true)
        #expect(try await bed.mutatingCalls().isEmpty)
    }

    @Test("share: unsharing an account removes only it; sharing again restores it")
    func share() async throws {
        let mesh = try FakeMesh()
        let bed = Self.bed(mesh)
        try await mesh.published()
        let central = CentralWorkflows(workspace: mesh.workspace, resolver: bed.resolver)
        var only = mesh.config.shares
        only.accounts = [Self.consumer]
        #expect(try await central.share(only, unshare: true).first?.shares.map(\.principal) == [Self.producer])
        #expect(Set(try await central.share(mesh.config.shares, unshare: false).first?.shares.map(\.principal) ?? []) == [Self.producer, Self.consumer])
    }

    @Test("vend launch: any product into the one account its audience fits; same inputs are a no-op; a profile of another audience is refused")
    func launchAnyProduct() async throws {
        let mesh = try FakeMesh()
        let bed = Self.bed(mesh)
        try await mesh.published()
        let launching = Launching(workspace: mesh.workspace, resolver: bed.resolver, region: FakeMesh.region)
        let request = Launching.Request(product: "producer-onboarding", name: "team-bucket", parameters: ["DomainName": "team", "CentralAccountId": Self.central])
        let first = try await launching.launch(request)
        #expect(first.provisionedProducts.map { "\($0.account) \($0.name) \($0.action)" } == ["\(Self.producer) team-bucket created"])
        mesh.cloud.clearLog()
        #expect(try await launching.launch(request).provisionedProducts.map(\.action) == ["unchanged"])
        #expect(try await bed.mutatingCalls().isEmpty)
        var changed = request
        changed.parameters["DomainName"] = "team2"
        #expect(try await launching.launch(changed).provisionedProducts.map(\.action) == ["updated"])
        var wrong = request
        wrong.profile = "consumer"
        await #expect(throws: EngineError.profileCannotLaunch(product: "producer-onboarding", profile: "consumer", candidates: ["profile producer"])) {
            _ = try await launching.launch(wrong)
        }
        await #expect(throws: EngineError.self) { _ = try await launching.launch(.init(product: "nope")) }
    }

    @Test("vend launch without --profile when two accounts fit the product's audience names both and reaches no account")
    func launchAmbiguous() async throws {
        let publisher = try FakeMesh.variant { fixture in
            try fixture.replace("    - {domain: retail, profile: producer, accountId: \"222222222222\", approval: auto, sources: [{name: customers, prefix: customers/, format: csv}, {name: products, prefix: products/, format: csv}, {name: orders, prefix: orders/, format: csv}, {name: order_lines, prefix: order_lines/, format: csv}, {name: payments, prefix: payments/, format: csv}]}",
                                with: "    - {domain: retail, profile: producer, accountId: \"222222222222\", approval: auto, sources: [{name: customers, prefix: customers/, format: csv}, {name: products, prefix: products/, format: csv}, {name: orders, prefix: orders/, format: csv}, {name: order_lines, prefix: order_lines/, format: csv}, {name: payments, prefix: payments/, format: csv}]}\n    - {domain: hr, profile: hr, accountId: \"444444444444\"}",
                                in: "vend.yaml")
        }
        let mesh = try FakeMesh(publisher: publisher)
        let launching = Launching(workspace: mesh.workspace, resolver: Self.bed(mesh).resolver, region: FakeMesh.region)
        await #expect(throws: EngineError.ambiguousAccount(product: "producer-onboarding", candidates: ["profile producer", "profile hr"])) {
            _ = try await launching.launch(.init(product: "producer-onboarding", parameters: ["DomainName": "x", "CentralAccountId": Self.central]))
        }
        #expect(mesh.cloud.calls(account: Self.central).isEmpty && mesh.cloud.calls(account: Self.producer).isEmpty)
    }

    @Test("a launch-time parameter no product declares is refused before any account is reached")
    func unknownParameter() async throws {
        let mesh = try FakeMesh()
        let launching = Launching(workspace: mesh.workspace, resolver: Self.bed(mesh).resolver, region: FakeMesh.region)
        await #expect(throws: EngineError.unknownParameters(names: ["Nope"], known: ["CentralAccountId", "Classification", "DatabaseName", "DomainName",
                                                                                     "ProducerAccountId", "ProducerBucketName"])) {
            _ = try await launching.launchProducer(domain: "retail", profile: nil, parameters: ["Nope": "1"], version: nil, sampleData: nil)
        }
        #expect(mesh.cloud.calls(account: Self.central).isEmpty && mesh.cloud.calls(account: Self.producer).isEmpty)
    }

    @Test("launch-consumer before its producer is registered says which launch comes first, and changes nothing")
    func consumerBeforeProducer() async throws {
        let mesh = try FakeMesh()
        let bed = Self.bed(mesh)
        try await mesh.published()
        let launching = Launching(workspace: mesh.workspace, resolver: bed.resolver, region: FakeMesh.region)
        do {
            _ = try await launching.launchConsumer(domain: "analytics", profile: nil, analystRole: MeshScenario.analyst, reads: nil, version: nil)
            Issue.record("a consumer launched with nothing to read")
        } catch let error as EngineError {
            #expect(error == .producerNotRegistered(domain: "retail", provisionedProduct: "producer-registration-retail"))
            #expect(error.nextStep == .run(.launchProducer(domain: "retail"), " first"))
        }
        #expect(try await bed.mutatingCalls().isEmpty)
    }

    @Test("two portfolios with the mesh's name are refused by every workflow that looks it up")
    func duplicatePortfolios() async throws {
        let mesh = try FakeMesh()
        let bed = Self.bed(mesh)
        try await mesh.published()
        _ = try await mesh.clients(Self.central).serviceCatalog.createPortfolio(.init(DisplayName: "data-mesh", ProviderName: "x", IdempotencyToken: "dup"))
        let launching = Launching(workspace: mesh.workspace, resolver: bed.resolver, region: FakeMesh.region)
        await #expect(throws: EngineError.self) {
            _ = try await launching.launchProducer(domain: "retail", profile: nil, parameters: [:], version: nil, sampleData: nil)
        }
        let central = CentralWorkflows(workspace: mesh.workspace, resolver: bed.resolver)
        await #expect(throws: EngineError.self) { _ = try await central.share(mesh.config.shares, unshare: false) }
        await #expect(throws: EngineError.self) {
            _ = try await central.publish(build: .init(directory: try TemporaryDirectory().url, toolVersion: "t", mtime: 0), apply: false)
        }
    }

    @Test("upgrade and terminate find the account from the provisioned product's name; an unknown name needs --profile")
    func lifecycleByName() async throws {
        let mesh = try FakeMesh()
        let bed = Self.bed(mesh)
        try await mesh.published()
        let launching = Launching(workspace: mesh.workspace, resolver: bed.resolver, region: FakeMesh.region)
        _ = try await launching.launchProducer(domain: "retail", profile: nil, parameters: [:], version: nil, sampleData: nil)
        let workflows = try AccountWorkflows(workspace: mesh.workspace, resolver: bed.resolver, region: nil)
        #expect(try await workflows.upgrade(name: "producer-retail", profile: nil, version: nil, apply: false).action == "unchanged")
        await #expect(throws: EngineError.unknownProvisionedName(name: "team-x")) { _ = try await workflows.terminate(name: "team-x", profile: nil, ignoreErrors: false) }
        let report = try await workflows.terminate(name: "producer-registration-retail", profile: nil, ignoreErrors: false)
        #expect(report.status == "TERMINATED" && !report.recordId.isEmpty)
        #expect(mesh.cloud.provisioned(account: Self.central).isEmpty && mesh.cloud.provisioned(account: Self.producer).count == 1)
    }

    @Test("status reads every account; one that cannot be read carries its error and the others are still read; a profile of no account is refused")
    func status() async throws {
        let mesh = try FakeMesh()
        let bed = Self.bed(mesh)
        try await mesh.published()
        mesh.cloud.fail(operation: "ListAcceptedPortfolioShares", account: Self.consumer, times: 10,
                        with: AWSServiceError(code: "AccessDeniedException", message: "not allowed", status: 400, operation: "Service Catalog ListAcceptedPortfolioShares"))
        let reads = try ReadWorkflows(workspace: mesh.workspace, resolver: bed.resolver, region: nil)
        let accounts = try await reads.status(profile: nil, describe: { "\($0)" })
        #expect(accounts.map(\.role) == ["central", "producer retail", "consumer analytics"])
        #expect(accounts.map { $0.error != nil } == [false, false, true])
        #expect(accounts.first?.portfolioId != nil)
        await #expect(throws: EngineError.profileNotInConfig(profile: "nobody", known: ["central", "consumer", "producer"])) {
            _ = try await reads.status(profile: "nobody", describe: { "\($0)" })
        }
    }

    @Test("doctor runs every account's checks through the resolver, central first; a failing check carries its next step as a workflow")
    func doctor() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        let checks = try await ReadWorkflows(workspace: mesh.workspace, resolver: Self.bed(mesh).resolver, region: nil).doctor()
        #expect(checks.first?.account == "central")
        #expect(Set(checks.map(\.account)) == ["central", "producer retail", "producer sales", "consumer analytics"])
        #expect(checks.filter { $0.status == .fail }.allSatisfy { $0.fix != nil })
        #expect(checks.contains { $0.fix == .run(.launchProducer(domain: "retail")) })
    }

    @Test("add-source on a domain vend.yaml does not declare names the declared ones and reaches no account")
    func addSourceUnknownDomain() async throws {
        let mesh = try FakeMesh()
        let workflows = try AccountWorkflows(workspace: mesh.workspace, resolver: Self.bed(mesh).resolver, region: nil)
        await #expect(throws: EngineError.unknownDomain(kind: .producer, name: "hr", known: ["retail", "sales"])) {
            _ = try await workflows.addSource(domain: "hr", source: "s", prefix: "s/", format: "csv", profile: nil)
        }
        #expect(mesh.cloud.calls(account: Self.central).isEmpty)
    }
}
