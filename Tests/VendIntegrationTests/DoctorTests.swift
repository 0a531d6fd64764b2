import Foundation
import Testing
@testable import VendCLI
import VendEngine
import VendTestSupport

@Suite("vend doctor against the local cloud", .serialized)
struct DoctorTests {
    static func run(_ harness: PublishHarness) async throws -> [DoctorCheck] {
        try await DoctorCommand.perform(global: try harness.global, accounts: try AccountOptions.parse([]), currentDirectory: harness.fixture.root,
                                        dependencies: harness.dependencies)
    }

    static func status(_ checks: [DoctorCheck], _ fragment: String) -> DoctorCheck.Status? {
        checks.first { $0.account == "central" && $0.name.contains(fragment) }?.status
    }

    @Test("central checks pass after bootstrap, and each removed piece fails its own line")
    func centralChecks() async throws {
        let harness = try PublishHarness.start()
        defer { harness.stop() }
        try await harness.bootstrap()
        _ = try await harness.run(apply: true)
        try await harness.cloud.clearLog()
        let healthy = try await Self.run(harness)
        #expect(try await harness.mutatingCalls() == [], "doctor only reads")
        for fragment in ["artifact bucket", "VendProducerRegistrationLaunchRole is a Lake Formation admin", "no IAM-only", "cross-account version"] {
            #expect(Self.status(healthy, fragment) == .pass, "\(fragment) passes on a bootstrapped account")
        }
        #expect(Self.status(healthy, "portfolio shares accepted") == .fail, "nothing accepted the shares yet")
        #expect(healthy.contains { $0.account == "producer retail" && $0.status == .skip }, "unlaunched products are skipped, not failed")

        // Lake Formation: IAM-only defaults back, an admin dropped, cross-account version 1.
        let settings = """
            {"DataLakeAdmins": [{"DataLakePrincipalIdentifier": "arn:aws:iam::111111111111:role/VendConsumerRegistrationLaunchRole"}],
             "CreateDatabaseDefaultPermissions": [{"Principal": {"DataLakePrincipalIdentifier": "IAM_ALLOWED_PRINCIPALS"}, "Permissions": ["ALL"]}],
             "CreateTableDefaultPermissions": [], "Parameters": {"CROSS_ACCOUNT_VERSION": "1"}}
            """
        _ = try harness.aws("lakeformation", "put-data-lake-settings", "--data-lake-settings", settings)
        _ = try harness.aws("s3api", "delete-bucket-policy", "--bucket", "vend-artifacts-111111111111-us-east-1")
        let broken = try await Self.run(harness)
        #expect(Self.status(broken, "no IAM-only") == .fail)
        #expect(Self.status(broken, "VendProducerRegistrationLaunchRole is a Lake Formation admin") == .fail)
        #expect(Self.status(broken, "VendConsumerRegistrationLaunchRole is a Lake Formation admin") == .pass, "only the dropped admin fails")
        #expect(Self.status(broken, "cross-account version") == .fail)
        #expect(Self.status(broken, "artifact bucket") == .fail)
        #expect(broken.first { $0.name.contains("artifact bucket") }?.detail.contains("non-TLS") == true)
        #expect(broken.filter { $0.status == .fail }.allSatisfy { $0.fix != nil }, "every failure says what to do")
        #expect(throws: CommandFailure.self) { try DoctorCommand.print(broken, global: try harness.global, console: Console(out: { _ in }, err: { _ in })) }
    }
}

@Suite("vend doctor on the whole mesh", .serialized)
struct DoctorMeshTests {
    static func json(_ value: Any) throws -> String { String(decoding: try JSONSerialization.data(withJSONObject: value), as: UTF8.self) }

    @Test("doctor passes on the launched mesh, and fails the right line when one piece is removed")
    func meshChecks() async throws {
        let harness = try LaunchTests.published()
        defer { harness.stop() }
        try await LaunchTests.publish(harness)
        let producer = try await LaunchTests.launchProducer(harness, sampleData: false)
        _ = try await LaunchTests.launchConsumer(harness)
        let bucket = try #require(producer.provisionedProducts.first?.outputs["BucketName"])

        let healthy = try await DoctorTests.run(harness)
        // sales is declared but not launched here: its producer lines are skipped, nothing else.
        let notPassing = healthy.filter { $0.status != .pass && !($0.status == .skip && $0.account == "producer sales") }
        #expect(notPassing.isEmpty, "every check passes on the launched mesh: \(notPassing.map { "\($0.account): \($0.name): \($0.detail)" })")
        #expect(healthy.contains { $0.account == "producer sales" && $0.status == .skip && $0.detail == "producer onboarding is not launched" })
        #expect(healthy.count >= 15)

        // 1. The producer bucket loses its policy.
        _ = try LaunchTests.aws(harness, "producer", "s3api", "delete-bucket-policy", "--bucket", bucket)
        // 2. The analyst loses SELECT on the target (the seed's known issue comes back).
        let permissions = try LaunchTests.aws(harness, "consumer", "lakeformation", "list-permissions")["PrincipalResourcePermissions"] as? [[String: Any]] ?? []
        let target = try #require(permissions.first { (($0["Resource"] as? [String: Any])?["LFTagPolicy"]) != nil && ($0["Permissions"] as? [String])?.contains("SELECT") == true })
        _ = try LaunchTests.aws(harness, "consumer", "lakeformation", "revoke-permissions",
                                "--principal", try Self.json(target["Principal"] ?? [:]), "--resource", try Self.json(target["Resource"] ?? [:]),
                                "--permissions", "SELECT", "DESCRIBE")
        // 3. The producer location is deregistered from Lake Formation.
        _ = try harness.aws("lakeformation", "deregister-resource", "--resource-arn", "arn:aws:s3:::\(bucket)")

        let broken = try await DoctorTests.run(harness)
        let failed = broken.filter { $0.status == .fail }.map { "\($0.account): \($0.name)" }
        #expect(failed.contains { $0.hasPrefix("producer retail: bucket \(bucket) policy") })
        #expect(failed.contains { $0.hasPrefix("consumer analytics: arn:aws:iam::333333333333:role/") && $0.contains(" has DESCRIBE on retail_link and SELECT on domain=retail") })
        #expect(failed.contains { $0.hasPrefix("central: producer retail location") })
        #expect(failed.count == 3, "only the three removed pieces fail: \(failed)")

        // 4. The consumer's Lake Formation settings lose the launch role and regain IAM-only defaults.
        _ = try LaunchTests.aws(harness, "consumer", "lakeformation", "put-data-lake-settings", "--data-lake-settings",
                                "{\"DataLakeAdmins\": [], \"CreateTableDefaultPermissions\": [{\"Principal\": {\"DataLakePrincipalIdentifier\": \"IAM_ALLOWED_PRINCIPALS\"}, \"Permissions\": [\"ALL\"]}]}")
        // 5. The Athena workgroup goes; 6. the producer's launch role goes.
        _ = try LaunchTests.aws(harness, "consumer", "athena", "delete-work-group", "--work-group", "vend-analytics", "--recursive-delete-option")
        let role = "VendProducerOnboardingLaunchRole"
        for policy in (try LaunchTests.aws(harness, "producer", "iam", "list-role-policies", "--role-name", role)["PolicyNames"] as? [String] ?? []) {
            _ = try LaunchTests.aws(harness, "producer", "iam", "delete-role-policy", "--role-name", role, "--policy-name", policy)
        }
        _ = try LaunchTests.aws(harness, "producer", "iam", "delete-role", "--role-name", role)
        let more = try await DoctorTests.run(harness).filter { $0.status == .fail }.map { "\($0.account): \($0.name)" }
        #expect(more.contains("consumer analytics: launch role VendConsumerOnboardingLaunchRole is a Lake Formation admin"))
        #expect(more.contains("consumer analytics: no IAM-only default permissions"))
        #expect(more.contains("consumer analytics: Athena workgroup vend-analytics enforces an output location"))
        #expect(more.contains("producer retail: launch role \(role) present"))
        #expect(more.count == 7, "the three earlier and four new failures, nothing else: \(more)")
        try IAMPolicyCoverage.check(try await harness.cloud.requests())
    }
}
