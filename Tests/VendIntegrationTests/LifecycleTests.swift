import VendModel
import Foundation
import Testing
@testable import VendCLI
import VendEngine
import VendTestSupport

@Suite("vend upgrade and vend terminate against the local cloud", .serialized)
struct LifecycleTests {
    static func config(_ harness: PublishHarness) -> [String] {
        ["--config", harness.fixture.root.appendingPathComponent("vend.yaml").path, "--quiet"]
    }

    @Test("upgrade shows the plan, applies it only with --yes, then has nothing to do; terminate needs --yes and removes the product")
    func upgradeThenTerminate() async throws {
        let harness = try LaunchTests.published()
        defer { harness.stop() }
        try await LaunchTests.publish(harness)
        _ = try await LaunchTests.launchProducer(harness, sampleData: false)

        try harness.fixture.replace("version: 1.1.0", with: "version: 1.2.0", in: "products/producer-onboarding/product.yaml")
        try harness.fixture.replace("## 1.1.0", with: "## 1.2.0\n- Upgrade test.\n\n## 1.1.0", in: "products/producer-onboarding/CHANGELOG.md")
        try harness.fixture.replace("Outputs:", with: "# 1.2.0\nOutputs:", in: "products/producer-onboarding/template.yaml")
        _ = try await harness.run(apply: true)

        try await harness.cloud.clearLog()
        let planned = try await UpgradeCommand.parse(Self.config(harness) + ["producer-retail"])
            .perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: LaunchTests.silent)
        #expect(planned.action == "planned" && planned.plan.from == "1.1.0" && planned.plan.to == "1.2.0")
        #expect(planned.plan.parameters == ["CentralAccountId", "DomainName"])
        #expect(try await harness.mutatingCalls() == [], "without --yes nothing changes")

        let applied = try await UpgradeCommand.parse(Self.config(harness) + ["producer-retail", "--yes"])
            .perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: LaunchTests.silent)
        #expect(applied.action == "upgraded")
        let status = try await StatusCommand.perform(global: try harness.global, accounts: try AccountOptions.parse(["--profile", "producer"]),
                                                     currentDirectory: harness.fixture.root, dependencies: harness.dependencies)
        #expect(status.first?.provisioned.first { $0.name == "producer-retail" }?.version == "1.2.0")
        let again = try await UpgradeCommand.parse(Self.config(harness) + ["producer-retail", "--yes"])
            .perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: LaunchTests.silent)
        #expect(again.action == "unchanged")

        #expect(throws: (any Error).self) { _ = try TerminateCommand.parse(Self.config(harness) + ["producer-retail"]) }
        try await TerminateCommand.parse(Self.config(harness) + ["producer-registration-retail", "--yes"])
            .perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: LaunchTests.silent)
        try await TerminateCommand.parse(Self.config(harness) + ["producer-retail", "--yes"])
            .perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: LaunchTests.silent)
        let after = try await StatusCommand.perform(global: try harness.global, accounts: try AccountOptions.parse([]),
                                                    currentDirectory: harness.fixture.root, dependencies: harness.dependencies)
        #expect(after.allSatisfy { $0.provisioned.isEmpty }, "both products are gone")
        await #expect(throws: LaunchError.self) {
            try await TerminateCommand.parse(Self.config(harness) + ["producer-retail", "--yes"])
                .perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: LaunchTests.silent)
        }
        #expect(MeshRules.account(holding: "consumer-registration-analytics", config: try Workspace.load(root: harness.fixture.root).config)?.label == "central")
        try IAMPolicyCoverage.check(try await harness.cloud.requests())
    }

    @Test("a terminate that failed (a bucket still holding data) is a new attempt when re-run, not the failed record answered again")
    func terminateAfterFailure() async throws {
        let harness = try LaunchTests.published()
        defer { harness.stop() }
        // The product retains its data bucket; without that, a bucket holding data fails the deletion.
        try harness.fixture.replace("    DeletionPolicy: RetainExceptOnCreate\n    UpdateReplacePolicy: Retain\n", with: "",
                                    in: "products/producer-onboarding/template.yaml")
        try await LaunchTests.publish(harness)
        let producer = try await LaunchTests.launchProducer(harness)
        let bucket = try #require(producer.provisionedProducts.first?.outputs["BucketName"])
        let terminate = try TerminateCommand.parse(Self.config(harness) + ["producer-retail", "--yes"])

        await #expect(throws: (any Error).self, "the sample data keeps the bucket, so the stack deletion fails") {
            try await terminate.perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: LaunchTests.silent)
        }
        // Empty the (versioned) bucket: every version and delete marker.
        let versions = try LaunchTests.aws(harness, "producer", "s3api", "list-object-versions", "--bucket", bucket)
        let entries = ((versions["Versions"] as? [[String: Any]]) ?? []) + ((versions["DeleteMarkers"] as? [[String: Any]]) ?? [])
        #expect(!entries.isEmpty)
        for entry in entries {
            guard let key = entry["Key"] as? String, let version = entry["VersionId"] as? String else { continue }
            _ = try LaunchTests.aws(harness, "producer", "s3api", "delete-object", "--bucket", bucket, "--key", key, "--version-id", version)
        }

        try await harness.cloud.clearLog()
        try await terminate.perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: LaunchTests.silent)
        let calls = try await harness.cloud.requests().filter { $0.operation == "TerminateProvisionedProduct" && $0.user_agent?.hasPrefix("vend") == true }
        #expect(calls.count == 1)
        let status = try await StatusCommand.perform(global: try harness.global, accounts: try AccountOptions.parse(["--profile", "producer"]),
                                                     currentDirectory: harness.fixture.root, dependencies: harness.dependencies)
        #expect(status.first?.provisioned.contains { $0.name == "producer-retail" } == false, "the second attempt removed it")
    }
}
