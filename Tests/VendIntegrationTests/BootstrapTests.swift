import Foundation
import Testing
@testable import VendCLI
import VendEngine
import VendTestSupport

@Suite("vend bootstrap against the local cloud", .serialized)
struct BootstrapTests {
    @Test("bootstrap keeps existing Lake Formation admins, builds the baseline, and a re-run changes nothing")
    func mergeAndIdempotence() async throws {
        let harness = try PublishHarness.start()
        defer { harness.stop() }
        let existing = "arn:aws:iam::111111111111:role/ExistingDataLakeAdmin"
        _ = try harness.aws("lakeformation", "put-data-lake-settings", "--data-lake-settings",
                            "{\"DataLakeAdmins\": [{\"DataLakePrincipalIdentifier\": \"\(existing)\"}]}")

        let first = try #require(try await harness.bootstrap().first)
        #expect(first.action == "created" && first.status == "CREATE_COMPLETE")
        let settings = try harness.aws("lakeformation", "get-data-lake-settings")["DataLakeSettings"] as? [String: Any]
        let admins = (settings?["DataLakeAdmins"] as? [[String: Any]] ?? []).compactMap { $0["DataLakePrincipalIdentifier"] as? String }
        #expect(admins.contains(existing), "an admin that was there before stays")
        #expect(admins.contains("arn:aws:iam::111111111111:role/VendProducerRegistrationLaunchRole"))
        #expect(admins.contains("arn:aws:iam::111111111111:role/VendConsumerRegistrationLaunchRole"))
        #expect((settings?["CreateDatabaseDefaultPermissions"] as? [Any])?.isEmpty ?? true, "no IAM-only defaults")
        let versioning = try harness.aws("s3api", "get-bucket-versioning", "--bucket", "vend-artifacts-111111111111-us-east-1")
        #expect(versioning["Status"] as? String == "Enabled")
        let tags = (try harness.aws("lakeformation", "list-lf-tags")["LFTags"] as? [[String: Any]] ?? []).compactMap { $0["TagKey"] as? String }
        #expect(Set(tags) == ["domain", "classification"])

        try await harness.cloud.clearLog()
        let second = try #require(try await harness.bootstrap().first)
        #expect(second.action == "unchanged")
        #expect(try await harness.mutatingCalls() == [], "a re-run with nothing changed makes no mutating call")
    }

    @Test("an assumed-role caller becomes its role as a Lake Formation admin")
    func callerPrincipal() {
        #expect(Bootstrapper.principal(fromCallerArn: "arn:aws:sts::111122223333:assumed-role/Platform/ci-run-42") == "arn:aws:iam::111122223333:role/Platform")
        #expect(Bootstrapper.principal(fromCallerArn: "arn:aws:iam::111122223333:user/alice") == "arn:aws:iam::111122223333:user/alice")
        #expect(Bootstrapper.principal(fromCallerArn: "arn:aws-us-gov:sts::111122223333:assumed-role/R/s") == "arn:aws-us-gov:iam::111122223333:role/R")
    }
}
