import AWSCore
import AWSServices
import Foundation
import Testing
@testable import VendCLI
import VendEngine
import VendTestSupport

/// One local cloud for the whole suite (bootstrapped once), handed to each test through a task local.
struct SharedCloudTrait: SuiteTrait, TestScoping {
    @TaskLocal static var harness: PublishHarness?

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let harness = try PublishHarness.start()
        defer { harness.stop() }
        try await harness.bootstrap()
        try await Self.$harness.withValue(harness) { try await function() }
    }
}

extension Trait where Self == SharedCloudTrait {
    /// Starts one local cloud for the suite.
    static var sharedCloud: Self { Self() }
}

/// Hostile AWS answers (the local cloud's `malformed`, `empty`, `wrong_content_type`,
/// `missing_fields` and `huge` fault kinds) to real vend commands run in process: exit 1 with
/// a message naming the AWS operation and what to do, never a crash or a hang, the body read
/// no further than its bound, and no partial publish — a fault-free re-run ends where a
/// clean run does, and nothing is shared before every product is complete.
@Suite("Bad-input corpus: hostile AWS answers", .serialized, .sharedCloud, .timeLimit(.minutes(2)))
struct HostileAnswerTests {
    static let kinds = ["malformed", "empty", "wrong_content_type", "missing_fields", "huge"]

    var harness: PublishHarness {
        get throws { try #require(SharedCloudTrait.harness) }
    }

    /// The exit code and message the user would see, as `VendMain` reports them.
    static func outcome(_ body: () async throws -> Void) async -> (Int32, String) {
        do {
            try await body()
            return (0, "")
        } catch {
            guard let report = ErrorReport(error) else { return (-1, "unmapped error: \(error)") }
            return (report.exitCode.rawValue, report.text)
        }
    }

    /// Adds a fault for the next matching request only.
    func fault(_ kind: String, service: String, operation: String, apply: Bool = false) async throws {
        try await harness.cloud.clearFaults()
        try await harness.cloud.addFault(["service": service, "operation": operation, "kind": kind, "count": 1, "apply": apply])
    }

    @Test("vend whoami: STS GetCallerIdentity answered with each hostile kind", arguments: kinds)
    func whoami(kind: String) async throws {
        let harness = try harness
        try await fault(kind, service: "sts", operation: "GetCallerIdentity")
        let (status, text) = await Self.outcome {
            try await WhoamiCommand.perform(global: try GlobalOptions.parse([]), aws: try AccountOptions.parse(["--profile", "central"]),
                                            dependencies: harness.dependencies, console: Console(out: { _ in }, err: { _ in }))
        }
        #expect(status == 1, "\(kind): exit \(status): \(text)")
        #expect(text.contains("STS GetCallerIdentity failed: "), "\(kind): \(text)")
        #expect(text.contains(kind == "huge" ? "ResponseTooLarge" : "InvalidResponse"), "\(kind): \(text)")
        #expect(text.contains("— the endpoint did not answer as AWS does: check the endpoint URL"), "\(kind): \(text)")
    }

    @Test("vend status: Service Catalog ListPortfolios answered with each hostile kind (an empty body or {} is a valid empty list in JSON)",
          arguments: kinds.filter { !["missing_fields", "empty"].contains($0) })
    func status(kind: String) async throws {
        let harness = try harness
        try await fault(kind, service: "servicecatalog", operation: "ListPortfolios")
        // `status` reads every account and then exits 1 naming the first it could not read
        // (StatusCommand.run): the central account's error is what the user reads.
        let accounts = try await StatusCommand.perform(global: try harness.global, accounts: try AccountOptions.parse(["--profile", "central"]),
                                                       currentDirectory: harness.fixture.root, dependencies: harness.dependencies)
        let text = try #require(accounts.first { $0.error != nil }?.error, "\(kind): status read the central account as if nothing were wrong")
        #expect(text.contains("Service Catalog ListPortfolios failed: "), "\(kind): \(text)")
        #expect(text.contains("— the endpoint did not answer as AWS does: check the endpoint URL"), "\(kind): \(text)")
        if kind == "huge" { #expect(text.contains("passed 32 MiB"), "huge: \(text)") }
        let printed = LineCollector()
        try StatusCommand.print(accounts, global: try harness.global, console: Console(out: printed.append, err: printed.append))
        #expect(printed.text.contains("unreadable: Service Catalog ListPortfolios failed"), "\(kind): \(printed.text)")
    }

    @Test("vend bootstrap: CloudFormation DescribeStacks answered with each hostile kind, the stack existing", arguments: kinds)
    func bootstrap(kind: String) async throws {
        let harness = try harness
        try await fault(kind, service: "cloudformation", operation: "DescribeStacks")
        let (status, text) = await Self.outcome { try await harness.bootstrap() }
        #expect(status == 1, "\(kind): exit \(status): \(text)")
        #expect(text.contains("CloudFormation DescribeStacks"), "\(kind): \(text)")
        #expect(text.contains(" — "), "\(kind): \(text)")
    }

    /// What the central catalog holds, read in process (the AWS CLI would take a second a call).
    func inventory() async throws -> [String: Int] {
        let session = try AWSSession.resolve(AWSSessionOptions(profile: "central"), dependencies: try harness.dependencies)
        let catalog = try LiveServiceCatalogClient(session: session)
        var counts: [String: Int] = [:]
        let portfolios = try await catalog.allPortfolios()
        counts["portfolios"] = portfolios.count
        let products = try await catalog.allProductsAsAdmin()
        counts["products"] = products.count
        var versions = 0
        for product in products {
            guard let id = product.ProductViewSummary?.ProductId else { continue }
            versions += try await catalog.listProvisioningArtifacts(.init(ProductId: id)).ProvisioningArtifactDetails?.count ?? 0
        }
        counts["versions"] = versions
        if let portfolioId = portfolios.first?.Id {
            counts["constraints"] = try await catalog.allConstraints(portfolioId: portfolioId).count
            counts["shares"] = try await catalog.allPortfolioShares(portfolioId: portfolioId, type: "ACCOUNT").count
        }
        counts["actions"] = try await catalog.allServiceActions().count
        counts["tagOptions"] = try await catalog.allTagOptions().count
        return counts
    }

    /// (service, operation, kind, apply, the operation named in the message)
    static let publishFaults: [(String, String, String, Bool)] = [
        ("servicecatalog", "CreateProduct", "malformed", false),
        ("servicecatalog", "CreateProduct", "missing_fields", true),
        ("servicecatalog", "CreateConstraint", "wrong_content_type", true),
        ("s3", "PutObject", "huge", false),
        ("servicecatalog", "CreatePortfolioShare", "empty", true),
    ]

    @Test("vend publish with a hostile answer mid-way fails clearly, shares nothing half-built, and a re-run converges",
          arguments: 0..<publishFaults.count)
    func publish(index: Int) async throws {
        let (service, operation, kind, apply) = Self.publishFaults[index]
        let harness = try harness
        try await harness.cloud.reset()
        try await harness.bootstrap()
        try await fault(kind, service: service, operation: operation, apply: apply)
        let (status, text) = await Self.outcome { _ = try await harness.run(apply: true) }
        let faulted = try await harness.cloud.requests().contains { $0.fault == kind && $0.operation == operation }
        #expect(faulted, "the \(kind) fault on \(operation) fired")
        if kind == "empty" && operation == "CreatePortfolioShare" {
            // An empty JSON answer is a valid answer to CreatePortfolioShare: the publish succeeds.
            #expect(status == 0, "\(kind) \(operation): exit \(status): \(text)")
        } else {
            #expect(status == 1, "\(kind) \(operation): exit \(status): \(text)")
            #expect(text.contains(operation), "\(kind) \(operation): the message names no operation: \(text)")
            #expect(text.contains(" — "), "\(kind) \(operation): the message says nothing to do: \(text)")
            #expect(!text.contains("internal"), "\(kind) \(operation): \(text)")
            // Shares come last: while a product is incomplete, no spoke can see the portfolio.
            let shares = try await inventory()["shares"] ?? 0
            #expect(shares == 0 || operation == "CreatePortfolioShare", "\(kind) \(operation): shared before the products were complete")
        }
        try await harness.cloud.clearFaults()
        _ = try await harness.run(apply: true)
        #expect(try await harness.run(apply: false).first?.plan.isEmpty == true, "\(kind) \(operation): a re-run left work to do")
        #expect(try await inventory() == ConvergenceTests.expected, "\(kind) \(operation): not the state of a clean run")
    }

    @Test("vend launch-producer whose ProvisionProduct answer is lost (made, then answered with a cut-off body) fails clearly; a re-run converges on one product")
    func launchProducer() async throws {
        let harness = try harness
        try await harness.cloud.reset()
        try await harness.bootstrap()
        _ = try await harness.run(apply: true)
        try await harness.cloud.clearFaults()
        try await harness.cloud.addFault(["service": "servicecatalog", "operation": "ProvisionProduct", "account": "222222222222",
                                          "kind": "malformed", "count": 1, "apply": true])
        let command = try LaunchProducerCommand.parse(["--config", harness.fixture.root.appendingPathComponent("vend.yaml").path, "--quiet", "--domain", "retail"])
        let silent = Console(out: { _ in }, err: { _ in })
        let (status, text) = await Self.outcome { _ = try await command.perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: silent) }
        #expect(status == 1, "exit \(status): \(text)")
        #expect(text.contains("Service Catalog ProvisionProduct failed: InvalidResponse"), "\(text)")
        #expect(text.contains("— the endpoint did not answer as AWS does"), "\(text)")
        try await harness.cloud.clearFaults()
        let report = try await command.perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: silent)
        #expect(report.provisionedProducts.count == 2)
        let producer = try LiveServiceCatalogClient(session: try AWSSession.resolve(AWSSessionOptions(profile: "producer"), dependencies: harness.dependencies))
        let provisioned = try await producer.allProvisionedProducts().map(\.Name)
        #expect(provisioned == ["producer-retail"], "one product, not a second one beside the one whose answer was lost: \(provisioned)")
    }

    @Test("vend launch-producer whose IAM GetRole answer is empty of the role fails naming it, instead of re-creating an existing role")
    func launchRoleLookup() async throws {
        let harness = try harness
        try await harness.cloud.reset()
        try await harness.bootstrap()
        _ = try await harness.run(apply: true)
        let command = try LaunchProducerCommand.parse(["--config", harness.fixture.root.appendingPathComponent("vend.yaml").path, "--quiet", "--domain", "retail"])
        let silent = Console(out: { _ in }, err: { _ in })
        _ = try await command.perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: silent)
        try await harness.cloud.clearLog()
        try await fault("missing_fields", service: "iam", operation: "GetRole")
        let (status, text) = await Self.outcome { _ = try await command.perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: silent) }
        #expect(status == 1, "exit \(status): \(text)")
        #expect(text.contains("IAM GetRole failed: InvalidResponse: the answer names no role"), "\(text)")
        let created = try await harness.cloud.requests().contains { $0.operation == "CreateRole" }
        #expect(!created, "an existing launch role was created again")
    }

    @Test("a new product added to an already shared portfolio is taken out again when its LAUNCH constraint cannot be made, so no spoke sees it without one")
    func newProductInASharedPortfolio() async throws {
        let harness = try harness
        try await harness.cloud.reset()
        try await harness.bootstrap()
        // First publish without consumer-registration: the portfolio is shared with both spokes.
        let product = harness.fixture.root.appendingPathComponent("products/consumer-registration")
        let aside = harness.out.url.appendingPathComponent("consumer-registration")
        try FileManager.default.moveItem(at: product, to: aside)
        _ = try await harness.run(apply: true)
        try FileManager.default.moveItem(at: aside, to: product)
        try await fault("malformed", service: "servicecatalog", operation: "CreateConstraint")
        let (status, text) = await Self.outcome { _ = try await harness.run(apply: true) }
        #expect(status == 1, "exit \(status): \(text)")
        #expect(text.contains("Service Catalog CreateConstraint failed: InvalidResponse"), "\(text)")

        let catalog = try LiveServiceCatalogClient(session: try AWSSession.resolve(AWSSessionOptions(profile: "central"), dependencies: harness.dependencies))
        let portfolioId = try #require(try await catalog.allPortfolios().first?.Id)
        let inPortfolio = try await catalog.allProductsAsAdmin(portfolioId: portfolioId).compactMap(\.ProductViewSummary?.Name)
        let constrained = try await catalog.allConstraints(portfolioId: portfolioId).filter { $0.`Type` == "LAUNCH" }.count
        let shares = try await catalog.allPortfolioShares(portfolioId: portfolioId, type: "ACCOUNT").count
        #expect(shares == 2)
        // Service Catalog needs the product in the portfolio before a LAUNCH constraint can name
        // it, so publish takes a product it just added out again when its constraint fails.
        #expect(!inPortfolio.contains("consumer-registration"),
                "consumer-registration is in the shared portfolio without a LAUNCH constraint (\(constrained) constraints for \(inPortfolio.count) products)")
        #expect(constrained == inPortfolio.count)
        try await harness.cloud.clearFaults()
        _ = try await harness.run(apply: true)
        #expect(try await inventory() == ConvergenceTests.expected)
    }
}
