import Foundation
import Testing
@testable import VendCLI
import VendEngine
import VendModel
import VendTestSupport

@Suite("vend publish against the local cloud", .serialized)
struct PublishTests {
    @Test("a fresh publish creates exactly the expected resources; a re-publish makes no mutating call")
    func freshThenNoop() async throws {
        let harness = try PublishHarness.start()
        defer { harness.stop() }
        try await harness.bootstrap()
        let results = try await harness.run(apply: true)
        #expect(results.first?.products.map(\.product) == ["analyst-access", "consumer-link", "consumer-onboarding", "consumer-registration", "producer-onboarding", "producer-registration"])

        // The AWS CLI, a second client, sees exactly what was meant to be created.
        let portfolios = try harness.aws("servicecatalog", "list-portfolios")["PortfolioDetails"] as? [[String: Any]] ?? []
        #expect(portfolios.compactMap { $0["DisplayName"] as? String } == ["data-mesh"])
        let portfolioId = try #require(portfolios.first?["Id"] as? String)
        let products = try harness.aws("servicecatalog", "search-products-as-admin", "--portfolio-id", portfolioId)["ProductViewDetails"] as? [[String: Any]] ?? []
        let names = products.compactMap { ($0["ProductViewSummary"] as? [String: Any])?["Name"] as? String }.sorted()
        #expect(names == ["analyst-access", "consumer-link", "consumer-onboarding", "consumer-registration", "producer-onboarding", "producer-registration"])
        for product in products {
            let id = try #require((product["ProductViewSummary"] as? [String: Any])?["ProductId"] as? String)
            let versions = try harness.aws("servicecatalog", "list-provisioning-artifacts", "--product-id", id)["ProvisioningArtifactDetails"] as? [[String: Any]] ?? []
            #expect(versions.count == 1)
            #expect((versions.first?["Description"] as? String)?.hasPrefix("sha256:") == true)
        }
        let constraints = try harness.aws("servicecatalog", "list-constraints-for-portfolio", "--portfolio-id", portfolioId)["ConstraintDetails"] as? [[String: Any]] ?? []
        #expect(constraints.count == 6 && constraints.allSatisfy { $0["Type"] as? String == "LAUNCH" })
        let actions = try harness.aws("servicecatalog", "list-service-actions")["ServiceActionSummaries"] as? [[String: Any]] ?? []
        #expect(actions.compactMap { $0["Name"] as? String }.sorted() == ["consumer-onboarding-RequestAccess", "producer-registration-AddDataSource"])
        let shares = try harness.aws("servicecatalog", "describe-portfolio-shares", "--portfolio-id", portfolioId, "--type", "ACCOUNT")["PortfolioShareDetails"] as? [[String: Any]] ?? []
        #expect(Set(shares.compactMap { $0["PrincipalId"] as? String }) == ["222222222222", "333333333333"])
        #expect(shares.allSatisfy { $0["Accepted"] as? Bool == false }, "shares stay pending until the spoke accepts")
        // The recipient sees the pending share: the portfolio is visible, not yet accepted.
        let producerView = try harness.cloud.awsCLI(["servicecatalog", "describe-portfolio", "--id", portfolioId, "--profile", "producer"]) as? [String: Any]
        #expect((producerView?["PortfolioDetail"] as? [String: Any])?["Id"] as? String == portfolioId)
        let accepted = try harness.cloud.awsCLI(["servicecatalog", "list-accepted-portfolio-shares", "--profile", "producer"]) as? [String: Any]
        #expect((accepted?["PortfolioDetails"] as? [Any])?.isEmpty == true)
        let log = try await harness.cloud.requests()
        #expect(log.allSatisfy { $0.signature_ok != false && $0.validation_ok != false })
        #expect(log.filter { $0.answer_ok == false }.map { "\($0.operation ?? "?"): \($0.answer_problem ?? "")" } == [],
                "every answer fits botocore's output shape")

        try await harness.cloud.clearLog()
        let again = try await harness.run(apply: true)
        #expect(again.first?.plan.isEmpty == true)
        #expect(try await harness.mutatingCalls() == [], "re-publishing with nothing changed makes zero mutating calls")
    }

    @Test("a first publish of many products lists the bucket and the documents instead of asking for each; a re-run after a failure converges")
    func manyProductsAreListed() async throws {
        let harness = try PublishHarness.start()
        defer { harness.stop() }
        let products = harness.fixture.root.appendingPathComponent("products")
        let names = (0..<20).map { String(format: "synthetic-%02d", $0) }
        for name in names {
            try FileManager.default.copyItem(at: products.appendingPathComponent("producer-registration"), to: products.appendingPathComponent(name))
            try harness.fixture.replace("name: producer-registration", with: "name: \(name)", in: "products/\(name)/product.yaml")
        }
        try await harness.bootstrap()
        // The run fails after the uploads and documents are made, as a killed run would leave them.
        try await harness.cloud.addFault(["operation": "CreateServiceAction", "kind": "missing_fields"])
        try await harness.cloud.clearLog()
        await #expect(throws: (any Error).self) { _ = try await harness.run(apply: true) }
        let first = try await harness.cloud.requests().compactMap(\.operation)
        #expect(first.filter { $0 == "ListObjectsV2" }.count == 1 && !first.contains("HeadObject"))
        #expect(first.filter { $0 == "ListDocuments" }.count == 1 && !first.contains("DescribeDocument"))
        // The first failure cancels the products still running, so how far each got depends on timing;
        // what the failed run made, the re-run finds and does not make again.
        let madeFirst = { (operation: String) in first.filter { $0 == operation }.count }
        #expect(madeFirst("CreateDocument") > 0)

        try await harness.cloud.clearFaults()
        try await harness.cloud.clearLog()
        let results = try await harness.run(apply: true)
        let documentCount = 22, productCount = 26  // 20 synthetic products with an action, and the repository's six (two with actions)
        #expect(results.first?.products.count == productCount)
        let second = try await harness.cloud.requests().compactMap(\.operation)
        let madeSecond = { (operation: String) in second.filter { $0 == operation }.count }
        #expect(madeSecond("ListDocuments") == 1)
        #expect(madeSecond("DescribeDocument") == madeFirst("CreateDocument"), "the documents made before are found and read, not made again")
        #expect(madeFirst("CreateDocument") + madeSecond("CreateDocument") == documentCount && madeSecond("UpdateDocument") == 0)
        #expect(madeFirst("CreateProduct") + madeSecond("CreateProduct") == productCount, "no product made twice")
        #expect(madeFirst("PutObject") + madeSecond("PutObject") == 2 * productCount, "a template and a bundle per product, each uploaded once")
        let actions = try harness.aws("servicecatalog", "list-service-actions")["ServiceActionSummaries"] as? [[String: Any]] ?? []
        #expect(actions.count == documentCount)

        try await harness.cloud.clearLog()
        _ = try await harness.run(apply: true)
        #expect(try await harness.mutatingCalls() == [], "re-publishing with nothing changed makes zero mutating calls")
    }

    @Test("plan makes no mutating call and lists every change")
    func planIsReadOnly() async throws {
        let harness = try PublishHarness.start()
        defer { harness.stop() }
        try await harness.bootstrap()
        try await harness.cloud.clearLog()
        let plans = try await harness.run(apply: false).map(\.plan)
        #expect(try await harness.mutatingCalls() == [])
        let plan = try #require(plans.first)
        #expect(plan.portfolioSteps.contains(.createPortfolio(name: "data-mesh")))
        // Each product's first version is the one its product.yaml names.
        let versions = Dictionary(uniqueKeysWithValues: try Workspace.load(root: harness.fixture.root).products.map { ($0.definition.name, $0.definition.version.description) })
        #expect(plan.products.count == 6 && plan.products.allSatisfy { $0.steps.contains(.createProduct(version: versions[$0.product] ?? "?")) })
        #expect(plan.shareSteps == [.share(type: "ACCOUNT", principal: "222222222222"), .share(type: "ACCOUNT", principal: "333333333333")])
    }

    @Test("a changed template under the same version is refused with nothing changed; a bumped version is added, carries the action, and the old one is deprecated")
    func immutabilityAndNewVersions() async throws {
        let harness = try PublishHarness.start()
        defer { harness.stop() }
        try await harness.bootstrap()
        _ = try await harness.run(apply: true)
        let file = "products/producer-registration/template.yaml"
        try harness.fixture.replace("Outputs:", with: "# changed content, same version\nOutputs:", in: file)

        try await harness.cloud.clearLog()
        do {
            _ = try await harness.run(apply: true)
            Issue.record("publish accepted new content under a published version")
        } catch let error as PublishError {
            guard case let .refused(refusals) = error else { Issue.record("expected a refusal, got \(error)"); return }
            #expect(refusals.map(\.product) == ["producer-registration"])
            #expect(error.description.contains("bump the version"))
            #expect(ErrorReport(error)?.exitCode == .refused)
        }
        #expect(try await harness.mutatingCalls() == [], "a refused publish changes nothing")

        try harness.fixture.replace("version: 1.0.0", with: "version: 1.1.0", in: "products/producer-registration/product.yaml")
        try harness.fixture.replace("## 1.0.0", with: "## 1.1.0\n- Changed the description.\n\n## 1.0.0", in: "products/producer-registration/CHANGELOG.md")
        try harness.fixture.replace("keepActive: 3", with: "keepActive: 1", in: "vend.yaml")
        let results = try await harness.run(apply: true)
        let steps = try #require(results.first?.plan.products.first { $0.product == "producer-registration" }?.steps)
        #expect(steps.contains(.createVersion(version: "1.1.0")))
        #expect(steps.contains(.associateAction(name: "producer-registration-AddDataSource", version: "1.1.0")))
        #expect(steps.contains(.deprecateVersion(version: "1.0.0")))
        let product = try #require(results.first?.products.first { $0.product == "producer-registration" })
        let versions = try harness.aws("servicecatalog", "list-provisioning-artifacts", "--product-id", product.productId)["ProvisioningArtifactDetails"] as? [[String: Any]] ?? []
        let guidance = Dictionary(uniqueKeysWithValues: versions.compactMap { v in (v["Name"] as? String).map { ($0, v["Guidance"] as? String ?? "") } })
        #expect(guidance == ["1.0.0": "DEPRECATED", "1.1.0": "DEFAULT"])
        for version in versions {
            let id = try #require(version["Id"] as? String)
            let actions = try harness.aws("servicecatalog", "list-service-actions-for-provisioning-artifact", "--product-id", product.productId,
                                      "--provisioning-artifact-id", id)["ServiceActionSummaries"] as? [[String: Any]] ?? []
            #expect(actions.count == 1, "every active version carries the action")
        }
    }
}

@Suite("vend publish in several regions", .serialized)
struct MultiRegionTests {
    @Test("every region in vend.yaml gets its own baseline, portfolio and products; a re-run changes nothing anywhere")
    func twoRegions() async throws {
        let harness = try PublishHarness.start()
        defer { harness.stop() }
        try harness.fixture.replace("regions: [us-east-1]", with: "regions: [us-east-1, eu-west-1]", in: "vend.yaml")
        let boots = try await harness.bootstrap()
        #expect(boots.map(\.region) == ["us-east-1", "eu-west-1"] && boots.allSatisfy { $0.action == "created" })
        let results = try await harness.run(apply: true)
        #expect(results.map(\.region) == ["eu-west-1", "us-east-1"])
        #expect(results.allSatisfy { $0.products.count == 6 })
        for region in ["us-east-1", "eu-west-1"] {
            let portfolios = try harness.aws("servicecatalog", "list-portfolios", "--region", region)["PortfolioDetails"] as? [Any] ?? []
            #expect(portfolios.count == 1, "one portfolio in \(region)")
        }
        try await harness.cloud.clearLog()
        #expect(try await harness.run(apply: true).allSatisfy { $0.plan.isEmpty })
        #expect(try await harness.mutatingCalls() == [])
    }
}
