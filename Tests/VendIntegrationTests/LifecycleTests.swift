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

        try harness.fixture.replace("version: 1.0.0", with: "version: 1.1.0", in: "products/producer-onboarding/product.yaml")
        try harness.fixture.replace("## 1.0.0", with: "## 1.1.0\n- Upgrade test.\n\n## 1.0.0", in: "products/producer-onboarding/CHANGELOG.md")
        try harness.fixture.replace("Outputs:", with: "# 1.1.0\nOutputs:", in: "products/producer-onboarding/template.yaml")
        _ = try await harness.run(apply: true)

        try await harness.cloud.clearLog()
        let planned = try await UpgradeCommand.parse(Self.config(harness) + ["producer-retail"])
            .perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: LaunchTests.silent)
        #expect(planned.action == "planned" && planned.plan.from == "1.0.0" && planned.plan.to == "1.1.0")
        #expect(planned.plan.parameters == ["CentralAccountId", "DomainName"])
        #expect(try await harness.mutatingCalls() == [], "without --yes nothing changes")

        let applied = try await UpgradeCommand.parse(Self.config(harness) + ["producer-retail", "--yes"])
            .perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: LaunchTests.silent)
        #expect(applied.action == "upgraded")
        let status = try await StatusCommand.perform(global: try harness.global, profile: "producer", region: nil, endpointURL: nil,
                                                     currentDirectory: harness.fixture.root, dependencies: harness.dependencies)
        #expect(status.first?.provisioned.first { $0.name == "producer-retail" }?.version == "1.1.0")
        let again = try await UpgradeCommand.parse(Self.config(harness) + ["producer-retail", "--yes"])
            .perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: LaunchTests.silent)
        #expect(again.action == "unchanged")

        #expect(throws: (any Error).self) { _ = try TerminateCommand.parse(Self.config(harness) + ["producer-retail"]) }
        try await TerminateCommand.parse(Self.config(harness) + ["producer-registration-retail", "--yes"])
            .perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: LaunchTests.silent)
        try await TerminateCommand.parse(Self.config(harness) + ["producer-retail", "--yes"])
            .perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: LaunchTests.silent)
        let after = try await StatusCommand.perform(global: try harness.global, profile: nil, region: nil, endpointURL: nil,
                                                    currentDirectory: harness.fixture.root, dependencies: harness.dependencies)
        #expect(after.allSatisfy { $0.provisioned.isEmpty }, "both products are gone")
        await #expect(throws: LaunchError.self) {
            try await TerminateCommand.parse(Self.config(harness) + ["producer-retail", "--yes"])
                .perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: LaunchTests.silent)
        }
        #expect(LifecycleOptions.account(for: "consumer-registration-analytics", config: try Workspace.load(root: harness.fixture.root).config)?.1 == "central")
        try IAMPolicyCoverage.check(try await harness.cloud.requests())
    }
}

