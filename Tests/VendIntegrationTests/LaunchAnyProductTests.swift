import Foundation
import Testing
@testable import VendCLI
import VendEngine
import VendTestSupport

/// `vend launch PRODUCT` with a product that is not one of the mesh's four: Tests/Fixtures/team-parameter,
/// with its own parameters and launch role, published with the rest and launched into the producer account.
@Suite("vend launch: any product of products/", .serialized)
struct LaunchAnyProductTests {
    /// A private cloud whose workspace holds the fixture product too, bootstrapped and published.
    static func published() async throws -> PublishHarness {
        let harness = try PublishHarness.start()
        let target = harness.fixture.root.appendingPathComponent("products/team-parameter")
        try FileManager.default.copyItem(at: Golden.repositoryRoot().appendingPathComponent("Tests/Fixtures/team-parameter"), to: target)
        try await harness.bootstrap()
        _ = try await harness.run(apply: true)
        return harness
    }

    /// Runs `vend launch` in process.
    static func launch(_ harness: PublishHarness, _ arguments: [String]) async throws -> Launching.Report {
        let command = try LaunchCommand.parse(["--config", harness.fixture.root.appendingPathComponent("vend.yaml").path, "--quiet"] + arguments)
        return try await command.perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: LaunchTests.silent)
    }

    /// The producer account's records of the provisioned product, read with the AWS CLI.
    static func records(_ harness: PublishHarness, _ id: String) throws -> [[String: Any]] {
        let history = try LaunchTests.aws(harness, "producer", "servicecatalog", "list-record-history", "--search-filter", "Key=provisionedproduct,Value=\(id)")
        return history["RecordDetails"] as? [[String: Any]] ?? []
    }

    @Test("launches into the one account its audience names; the same inputs add no record; new inputs update; the AWS CLI reads it back")
    func launchUpdateRerun() async throws {
        let harness = try await Self.published()
        defer { harness.stop() }
        let first = try await Self.launch(harness, ["team-parameter", "--param", "Team=blue", "--param", "Owner=alice"])
        let result = try #require(first.provisionedProducts.first)
        #expect(first.provisionedProducts.count == 1)
        #expect(result.account == "222222222222" && result.name == "team-parameter" && result.action == "created" && result.status == "AVAILABLE")
        #expect(result.outputs["ParameterName"] == "/vend/team/blue")
        // The launch role was made from the fixture's own policy, in the producer account.
        let role = try LaunchTests.aws(harness, "producer", "iam", "get-role", "--role-name", "VendTeamParameterLaunchRole")
        #expect((role["Role"] as? [String: Any])?["RoleName"] as? String == "VendTeamParameterLaunchRole")
        let parameter = try LaunchTests.aws(harness, "producer", "ssm", "get-parameter", "--name", "/vend/team/blue")
        #expect((parameter["Parameter"] as? [String: Any])?["Value"] as? String == "alice")
        let recordsAfterLaunch = try Self.records(harness, result.id).count

        try await harness.cloud.clearLog()
        let again = try await Self.launch(harness, ["team-parameter", "--param", "Team=blue", "--param", "Owner=alice"])
        #expect(again.provisionedProducts.map(\.action) == ["unchanged"])
        #expect(try await harness.mutatingCalls().isEmpty, "a re-run with the same inputs makes no mutating call")
        #expect(try Self.records(harness, result.id).count == recordsAfterLaunch, "a re-run adds no record")

        let updated = try await Self.launch(harness, ["team-parameter", "--param", "Team=blue", "--param", "Owner=bob"])
        #expect(updated.provisionedProducts.map(\.action) == ["updated"])
        let after = try LaunchTests.aws(harness, "producer", "ssm", "get-parameter", "--name", "/vend/team/blue")
        #expect((after["Parameter"] as? [String: Any])?["Value"] as? String == "bob")
        let search = try LaunchTests.aws(harness, "producer", "servicecatalog", "search-provisioned-products")
        let names = (search["ProvisionedProducts"] as? [[String: Any]] ?? []).compactMap { $0["Name"] as? String }
        #expect(names == ["team-parameter"])
    }

    @Test("bad input is refused before any change: an unknown parameter, a profile of no fitting account, a product not in products/")
    func refusals() async throws {
        let harness = try await Self.published()
        defer { harness.stop() }
        try await harness.cloud.clearLog()
        await #expect(throws: EngineError.unknownParameters(names: ["Colour"], known: ["Owner", "Team"])) {
            _ = try await Self.launch(harness, ["team-parameter", "--param", "Team=blue", "--param", "Colour=red"])
        }
        do {
            _ = try await Self.launch(harness, ["team-parameter", "--profile", "consumer", "--param", "Team=blue"])
            Issue.record("a producer product launched with the consumer's profile")
        } catch let error as EngineError {
            #expect(ErrorReport.message(error).contains("profile producer"), "\(error)")
        }
        await #expect(throws: EngineError.self) { _ = try await Self.launch(harness, ["no-such-product"]) }
        #expect(try await harness.mutatingCalls().isEmpty)
    }
}
