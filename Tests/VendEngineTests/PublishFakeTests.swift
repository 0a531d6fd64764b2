import AWSCore
import AWSServices
import Foundation
import Testing
import VendEngine
import VendModel
import VendTestSupport

/// PublishPlanner + PublishExecutor through Publisher on the fake cloud: creates, re-runs,
/// refusals, partial failures, retried calls, and the CREATING → AVAILABLE wait.
@Suite("Publish on the fake cloud")
struct PublishFakeTests {
    let central = FakeMesh.central

    @Test("a first publish creates the portfolio, every product AVAILABLE in it with its LAUNCH constraint, TagOptions, the action and the shares")
    func firstPublish() async throws {
        let mesh = try FakeMesh()
        mesh.bootstrapBucket()
        let results = try await mesh.publish()
        let products = mesh.cloud.products(account: central)
        #expect(Set(products.map(\.name)) == ["analyst-access", "consumer-link", "consumer-onboarding", "consumer-registration", "producer-onboarding", "producer-registration"])
        for product in products {
            let definition = try #require(mesh.workspace.products.first { $0.definition.name == product.name }?.definition)
            #expect(product.versions.map(\.status) == ["AVAILABLE"], "\(product.name)")
            #expect(product.portfolios == ["data-mesh"] && product.launchRoles == [definition.launchRole.name])
            #expect(product.tagOptions == ["classification=internal"])
        }
        #expect(mesh.cloud.product("producer-registration", account: central)?.versions.first?.actions == ["producer-registration-AddDataSource"])
        let portfolio = try #require(mesh.cloud.portfolios(account: central)["data-mesh"])
        #expect(mesh.cloud.shares(of: portfolio, account: central).map(\.principal) == [FakeMesh.producer, FakeMesh.consumer])
        #expect(mesh.cloud.shares(of: portfolio, account: central).allSatisfy { !$0.accepted }, "account shares stay pending until accepted")
        #expect(mesh.cloud.document("vend-producer-registration-AddDataSource", account: central)?.sharedWith == [FakeMesh.producer, FakeMesh.consumer])
        #expect(results.first?.products.allSatisfy { $0.changes > 0 } == true)
        #expect(mesh.cloud.document("vend-consumer-onboarding-RequestAccess", account: central)?.sharedWith == [FakeMesh.producer, FakeMesh.consumer])
        #expect(mesh.cloud.keys(bucket: mesh.bucket).count == 12, "a bundle and a template per product")
    }

    @Test("action documents are shared with more than 20 spoke accounts, 20 per call as SSM allows")
    func manySpokeAccounts() async throws {
        let accounts = (1...25).map { String(format: "4444444400%02d", $0) }
        let publisher = try FakeMesh.variant { fixture in
            try fixture.replace(#"accounts: ["222222222222", "333333333333"]"#, with: "accounts: [\(accounts.map { "\"\($0)\"" }.joined(separator: ", "))]", in: "vend.yaml")
        }
        let mesh = try FakeMesh(publisher: publisher)
        mesh.bootstrapBucket()
        try await mesh.publish()
        let shared = mesh.cloud.document("vend-producer-registration-AddDataSource", account: FakeMesh.central)?.sharedWith
        #expect(shared == Set(accounts), "every spoke account, across two calls")
    }

    @Test("a version is created CREATING and publish waits, polling, until it is AVAILABLE before associating its action")
    func waitsForAvailable() async throws {
        let mesh = try FakeMesh(polls: 3)
        mesh.bootstrapBucket()
        try await mesh.publish()
        let calls = mesh.cloud.calls(account: central)
        #expect(calls.filter { $0 == "DescribeProvisioningArtifact" }.count == 6 * 3)
        let lastDescribe = try #require(calls.lastIndex(of: "DescribeProvisioningArtifact"))
        let associate = try #require(calls.firstIndex(of: "AssociateServiceActionWithProvisioningArtifact"))
        #expect(associate > calls.firstIndex(of: "DescribeProvisioningArtifact")!, "no association before the wait")
        #expect(lastDescribe > 0 && !mesh.clock.sleeps.isEmpty, "it slept between polls")
    }

    @Test("re-publishing what is live makes no mutating call")
    func rerunIsNoOp() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        let results = try await mesh.publish()
        #expect(mesh.cloud.mutatingCalls(account: central) == [])
        #expect(results.first?.plan.isEmpty == true && results.first?.products.allSatisfy { $0.changes == 0 } == true)
    }

    @Test("the same version with other content is refused naming the product, and nothing changes")
    func immutableVersionRefused() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        let before = mesh.cloud.products(account: central)
        let changed = try FakeMesh.variant { try $0.replace("Crawl a new S3 prefix", with: "Crawl another S3 prefix", in: "products/producer-registration/product.yaml") }
        #expect(await throwsMentioning("producer-registration", "1.0.0") { try await mesh.publish(with: changed) })
        #expect(mesh.cloud.mutatingCalls(account: central) == [])
        #expect(mesh.cloud.products(account: central) == before)
    }

    @Test("a new version is added, waited for, and gets the action; the old version keeps it")
    func newVersion() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        let bumped = try FakeMesh.bumped("producer-registration", to: "1.1.0")
        try await mesh.publish(with: bumped)
        let product = try #require(mesh.cloud.product("producer-registration", account: central))
        #expect(product.versions.map(\.name) == ["1.0.0", "1.1.0"] && product.versions.allSatisfy { $0.status == "AVAILABLE" })
        #expect(product.versions.allSatisfy { $0.actions == ["producer-registration-AddDataSource"] })
        #expect(mesh.cloud.mutatingCalls(account: central).filter { $0 == "CreateProduct" } == [], "the product is reused")
    }

    @Test("a version that ends FAILED stops the publish with a message naming the product")
    func failedVersion() async throws {
        let mesh = try FakeMesh()
        mesh.bootstrapBucket()
        mesh.cloud.failArtifacts(product: "consumer-onboarding")
        let version = try mesh.product("consumer-onboarding").version
        #expect(await throwsMentioning("consumer-onboarding", version) { try await mesh.publish() })
        #expect(mesh.cloud.product("consumer-onboarding", account: central)?.versions.map(\.status) == ["FAILED"])
    }

    @Test("a failure part-way (throttled LAUNCH constraint) leaves a half-made catalog that a re-run converges without duplicates")
    func partialFailureConverges() async throws {
        let mesh = try FakeMesh()
        mesh.bootstrapBucket()
        mesh.cloud.fail(operation: "CreateConstraint", times: 1, with: FakeError.throttling())
        #expect(await throwsMentioning("Rate exceeded") { try await mesh.publish() })
        let half = mesh.cloud.products(account: central)
        #expect(half.contains { $0.launchRoles.isEmpty }, "one product was left without its constraint")
        mesh.cloud.clearLog()
        try await mesh.publish()
        let products = mesh.cloud.products(account: central)
        #expect(products.count == 6 && products.allSatisfy { $0.launchRoles.count == 1 && $0.portfolios == ["data-mesh"] })
        #expect(!mesh.cloud.mutatingCalls(account: central).contains("CreateProduct"))
        mesh.cloud.clearLog()
        try await mesh.publish()
        #expect(mesh.cloud.mutatingCalls(account: central) == [])
    }

    @Test("a retried apply of the same plan after lost answers creates no second product, version, action or constraint")
    func retriedApplyUsesSameTokens() async throws {
        let mesh = try FakeMesh()
        mesh.bootstrapBucket()
        let environment = mesh.publishEnvironment
        let catalogs = try await Publisher.readCatalogs(mesh.workspace, regions: [FakeMesh.region], account: central, environment: { _ in environment })
        for operation in ["CreateProduct", "CreateServiceAction", "CreateConstraint", "CreatePortfolio"] {
            mesh.cloud.fail(operation: operation, times: 1, with: FakeError.internalError(), afterApplying: true)
        }
        await #expect(throws: (any Error).self) { try await mesh.publisher.run(catalogs, account: central, apply: true) }
        // The same plan again, as a transport retry or a re-run from the same snapshot would send it.
        for _ in 0..<3 { _ = try? await mesh.publisher.run(catalogs, account: central, apply: true) }
        let products = mesh.cloud.products(account: central)
        #expect(products.count == 6 && products.allSatisfy { $0.versions.count == 1 && $0.launchRoles.count == 1 })
        #expect(mesh.cloud.catalogNames(account: central).actions == ["consumer-onboarding-RequestAccess", "producer-registration-AddDataSource"])
        #expect(mesh.cloud.portfolios(account: central).count == 1)
    }

    @Test("publish without the artifact bucket fails before any change, naming the bucket")
    func missingBucket() async throws {
        let mesh = try FakeMesh()
        #expect(await throwsMentioning(mesh.bucket) { try await mesh.publish() })
        #expect(mesh.cloud.mutatingCalls(account: central) == [])
    }

    @Test("--no-share publishes every product but creates no portfolio share")
    func noShare() async throws {
        let mesh = try FakeMesh()
        mesh.bootstrapBucket()
        try await mesh.publish(share: false)
        #expect(!mesh.cloud.mutatingCalls(account: central).contains("CreatePortfolioShare"))
        #expect(mesh.cloud.products(account: central).count == 6)
    }

    @Test("plan reads only: no mutating call, and the plan lists every step a publish would take")
    func planOnly() async throws {
        let mesh = try FakeMesh()
        mesh.bootstrapBucket()
        let results = try await mesh.publish(apply: false)
        #expect(mesh.cloud.mutatingCalls(account: central) == [])
        let plan = try #require(results.first?.plan)
        #expect(plan.products.count == 6 && plan.shareSteps.count == 2 && plan.portfolioSteps.contains(.createPortfolio(name: "data-mesh")))
    }

    @Test("a duplicated TagOption answer (created by a run that died) is looked up, not created twice")
    func tagOptionDuplicate() async throws {
        let mesh = try FakeMesh()
        mesh.bootstrapBucket()
        _ = try await mesh.clients(central).serviceCatalog.createTagOption(.init(Key: "classification", Value: "internal"))
        let environment = mesh.publishEnvironment
        var catalogs = try await Publisher.readCatalogs(mesh.workspace, regions: [FakeMesh.region], account: central, environment: { _ in environment })
        catalogs[0].snapshot.tagOptionIds = [:]  // read before the other run created it
        _ = try await mesh.publisher.run(catalogs, account: central, apply: true)
        #expect(mesh.cloud.catalogNames(account: central).tagOptions == ["classification=internal"])
        #expect(mesh.cloud.products(account: central).allSatisfy { $0.tagOptions == ["classification=internal"] })
    }
}
