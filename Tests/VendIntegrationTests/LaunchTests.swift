import Foundation
import Testing
@testable import VendCLI
import VendEngine
import VendTestSupport

/// publish → launch-producer (with sample data) → add-source → launch-consumer against a private local cloud.
@Suite("launch-producer, add-source and launch-consumer build the mesh", .serialized)
struct LaunchTests {
    /// The consumer's analyst role.
    static let analyst = "arn:aws:iam::333333333333:role/Analyst"

    /// A console that drops everything.
    static let silent = Console(out: { _ in }, err: { _ in })

    /// Runs `vend launch-producer --domain retail [--with-sample-data]` in process.
    static func launchProducer(_ harness: PublishHarness, sampleData: Bool = true) async throws -> Launching.Report {
        let command = try LaunchProducerCommand.parse(["--config", harness.fixture.root.appendingPathComponent("vend.yaml").path, "--quiet",
                                                       "--domain", "retail"] + (sampleData ? ["--with-sample-data"] : []))
        return try await command.perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: silent)
    }

    /// Runs `vend add-source --domain retail --source S --prefix P` in process.
    static func addSource(_ harness: PublishHarness, source: String = "orders", prefix: String = "orders/") async throws -> DataSourceAdder.Result {
        let command = try AddSourceCommand.parse(["--config", harness.fixture.root.appendingPathComponent("vend.yaml").path, "--quiet",
                                                  "--domain", "retail", "--source", source, "--prefix", prefix])
        return try await command.perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: silent)
    }

    /// Runs `vend launch-consumer --domain analytics --analyst-role …` in process.
    static func launchConsumer(_ harness: PublishHarness) async throws -> [Provisioner.Result] {
        let command = try LaunchConsumerCommand.parse(["--config", harness.fixture.root.appendingPathComponent("vend.yaml").path, "--quiet",
                                                       "--domain", "analytics", "--analyst-role", analyst])
        return try await command.perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: silent).provisionedProducts
    }

    /// Runs the AWS CLI as one of the local cloud's profiles.
    static func aws(_ harness: PublishHarness, _ profile: String, _ arguments: String...) throws -> [String: Any] {
        (try harness.cloud.awsCLI(arguments + ["--profile", profile]) as? [String: Any]) ?? [:]
    }

    /// A private cloud, bootstrapped and published, with sample-data/ in the workspace copy.
    static func published() throws -> PublishHarness {
        let harness = try PublishHarness.start()
        try harness.fixture.directory.copyFromRepository("sample-data")
        return harness
    }

    /// Bootstraps and publishes.
    static func publish(_ harness: PublishHarness) async throws {
        try await harness.bootstrap()
        _ = try await harness.run(apply: true)
    }

    @Test("the whole mesh exists in the right accounts, and re-running each command makes no mutating call")
    func mesh() async throws {
        let harness = try Self.published()
        defer { harness.stop() }
        try await Self.publish(harness)

        let producer = try await Self.launchProducer(harness)
        #expect(producer.provisionedProducts.map(\.action) == ["created", "created"])
        #expect(producer.sampleData?.count == 5 && producer.sampleData?.allSatisfy { $0.action == "uploaded" } == true)
        let bucket = try #require(producer.provisionedProducts.first?.outputs["BucketName"])

        let added = try await Self.addSource(harness)
        #expect(added.action == "added")
        #expect(added.status == "SUCCEEDED")

        let consumer = try await Self.launchConsumer(harness)
        // consumer-onboarding, then the subscription to retail (approval: auto): central's grant, the link, the analyst's and the probe role's grants.
        #expect(consumer.map(\.name) == ["consumer-analytics", "consumer-registration-333333333333-retail", "link-retail",
                                         "access-retail-Analyst", "access-retail-vend-probe-analytics"])
        #expect(consumer.allSatisfy { $0.action == "created" })
        #expect(consumer.map(\.account) == ["333333333333", "111111111111", "333333333333", "333333333333", "333333333333"])
        try IAMPolicyCoverage.check(try await harness.cloud.requests())

        // Producer account: the bucket, its policy, the sample objects.
        let policy = try Self.aws(harness, "producer", "s3api", "get-bucket-policy", "--bucket", bucket)["Policy"] as? String ?? ""
        #expect(policy.contains("111111111111"))
        let objects = try Self.aws(harness, "producer", "s3api", "list-objects-v2", "--bucket", bucket)["Contents"] as? [[String: Any]] ?? []
        #expect(objects.compactMap { $0["Key"] as? String }.contains("orders/orders.csv"))

        // Central: database, crawler with the new source, tag association, grants.
        let database = try Self.aws(harness, "central", "glue", "get-database", "--name", "retail")["Database"] as? [String: Any]
        #expect(database?["Name"] as? String == "retail")
        let crawler = try Self.aws(harness, "central", "glue", "get-crawler", "--name", "retail-orders")["Crawler"] as? [String: Any]
        let targets = ((crawler?["Targets"] as? [String: Any])?["S3Targets"] as? [[String: Any]])?.compactMap { $0["Path"] as? String } ?? []
        #expect(targets == ["s3://\(bucket)/orders/"])
        let tags = try Self.aws(harness, "central", "lakeformation", "get-resource-lf-tags", "--resource", #"{"Database":{"Name":"retail"}}"#)
        #expect(String(describing: tags).contains("retail"))
        let grants = try Self.aws(harness, "central", "lakeformation", "list-permissions")["PrincipalResourcePermissions"] as? [[String: Any]] ?? []
        let grantees = Set(grants.compactMap { ($0["Principal"] as? [String: Any])?["DataLakePrincipalIdentifier"] as? String })
        #expect(grantees.contains("222222222222"))
        #expect(grantees.contains("333333333333"))

        // Consumer: resource link, workgroup with an output location, analyst grants on link and target.
        let links = try Self.aws(harness, "consumer", "glue", "get-databases")["DatabaseList"] as? [[String: Any]] ?? []
        let link = links.first { $0["TargetDatabase"] != nil }
        #expect((link?["TargetDatabase"] as? [String: Any])?["CatalogId"] as? String == "111111111111")
        let workgroups = try Self.aws(harness, "consumer", "athena", "list-work-groups")["WorkGroups"] as? [[String: Any]] ?? []
        let workgroupName = try #require(consumer.first?.outputs["WorkGroupName"])
        #expect(workgroups.contains { $0["Name"] as? String == workgroupName })
        let workgroup = try Self.aws(harness, "consumer", "athena", "get-work-group", "--work-group", workgroupName)["WorkGroup"] as? [String: Any]
        let output = ((workgroup?["Configuration"] as? [String: Any])?["ResultConfiguration"] as? [String: Any])?["OutputLocation"] as? String
        #expect(output?.hasPrefix("s3://") == true)
        let analystGrants = try Self.aws(harness, "consumer", "lakeformation", "list-permissions")["PrincipalResourcePermissions"] as? [[String: Any]] ?? []
        let mine = analystGrants.filter { ($0["Principal"] as? [String: Any])?["DataLakePrincipalIdentifier"] as? String == Self.analyst }
        let rendered = mine.map { String(describing: $0) }
        #expect(rendered.contains { $0.contains("DESCRIBE") && $0.contains(link?["Name"] as? String ?? "?") }, "DESCRIBE on the link")
        #expect(rendered.contains { $0.contains("SELECT") && $0.contains("111111111111") }, "SELECT on the target with the central catalog id")

        // Re-running each command with the same inputs changes nothing.
        try await harness.cloud.clearLog()
        let again = try await Self.launchProducer(harness)
        #expect(again.provisionedProducts.map(\.action) == ["unchanged", "unchanged"])
        #expect(again.sampleData?.allSatisfy { $0.action == "unchanged" } == true)
        #expect(try await Self.addSource(harness).action == "unchanged")
        #expect(try await Self.launchConsumer(harness).map(\.action) == ["unchanged"], "the subscription is active: nothing more to launch")
        #expect(try await harness.mutatingCalls() == [])
    }
}
