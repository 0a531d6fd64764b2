import Foundation
import Testing
import VendTestSupport

/// `vend doctor --probe` and `--fix` on the demo's mesh, with `strict_assume_role` on and an analyst
/// role that trusts the consumer account; a sentinel planted in the sample data never leaves the data.
@Suite("doctor --probe proves access; --fix restores it; nothing leaks", .serialized)
struct ProbeTests {
    /// A value planted in the test's copy of sample-data/customers.csv: no output may ever hold it.
    static let sentinel = "SENTINEL-7f3a9c-do-not-print"
    static let analystTrust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::333333333333:root"},"Action":"sts:AssumeRole"}]}"#
    static let targetPolicy = #"{"LFTagPolicy":{"CatalogId":"111111111111","ResourceType":"TABLE","Expression":[{"TagKey":"domain","TagValues":["retail"]}]}}"#

    /// Runs the built vend binary; returns its exit code and stdout + stderr (collected for the sentinel check).
    final class Runner: @unchecked Sendable {
        let harness: PublishHarness
        let logs: TemporaryDirectory
        var outputs: [String] = []
        init(_ harness: PublishHarness) throws {
            self.harness = harness
            logs = try TemporaryDirectory()
        }

        func vend(_ arguments: String...) throws -> (code: Int32, stdout: String, stderr: String) {
            let stdout = logs.url.appendingPathComponent("\(outputs.count).out").path, stderr = logs.url.appendingPathComponent("\(outputs.count).err").path
            let code = try ChildProcess.run(Golden.repositoryRoot().appendingPathComponent(".build/debug/vend").path,
                                            arguments + ["--config", harness.fixture.root.appendingPathComponent("vend.yaml").path],
                                            environment: harness.cloud.environment, stdout: stdout, stderr: stderr)
            let result = (code, try String(contentsOfFile: stdout, encoding: .utf8), try String(contentsOfFile: stderr, encoding: .utf8))
            outputs.append(result.1 + result.2)
            return result
        }
    }

    @Test("probe passes as the assumed analyst, fails on a revoked target grant, passes after --fix, and as the probe role")
    func probeFixAndNoLeak() async throws {
        let harness = try LaunchTests.published()
        defer { harness.stop() }
        let customers = harness.fixture.root.appendingPathComponent("sample-data/customers.csv")
        var csv = try String(contentsOf: customers, encoding: .utf8)
        csv += (csv.hasSuffix("\n") ? "" : "\n") + "9999,\(Self.sentinel),Leak,\(Self.sentinel)@example.com,London,GB,2023-01-01,1\n"
        try csv.write(to: customers, atomically: true, encoding: .utf8)
        let expectedRows = csv.split(separator: "\n").count - 1
        try await harness.cloud.configure(["strict_assume_role": true])
        _ = try LaunchTests.aws(harness, "consumer", "iam", "create-role", "--role-name", "Analyst", "--assume-role-policy-document", Self.analystTrust)
        try await LaunchTests.publish(harness)
        let run = try Runner(harness)
        defer { run.logs.remove() }

        #expect(try run.vend("launch-producer", "--domain", "retail", "--with-sample-data", "--verbose").code == 0)
        #expect(try run.vend("add-source", "--domain", "retail", "--source", "customers", "--prefix", "customers/", "--verbose", "--output", "json").code == 0)
        // The crawler makes the table a moment after the action (LOCALCLOUD_CRAWL_SECONDS): wait for it, bounded.
        for _ in 0..<120 where ((try LaunchTests.aws(harness, "central", "glue", "get-tables", "--database-name", "retail")["TableList"] as? [Any]) ?? []).isEmpty {
            try await Task.sleep(nanoseconds: 250_000_000)
        }
        #expect(try run.vend("launch-consumer", "--domain", "analytics", "--analyst-role", LaunchTests.analyst, "--verbose").code == 0)
        #expect(try run.vend("status", "--verbose", "--output", "json").code == 0)

        let healthy = try run.vend("doctor", "--probe", "--output", "json", "--verbose")
        #expect(healthy.code == 0, "probe passes on the demo's mesh: \(healthy.stdout)")
        let lines = try JSONSerialization.jsonObject(with: Data(healthy.stdout.utf8)) as? [[String: Any]] ?? []
        let probeLine = lines.first { $0["tables"] != nil }
        #expect(probeLine?["status"] as? String == "pass")
        #expect(probeLine?["name"] as? String == "analyst \(LaunchTests.analyst) (assumed) reads retail_link in workgroup vend-analytics")
        #expect(probeLine?["detail"] as? String == "customers \(expectedRows) rows")
        #expect((probeLine?["tables"] as? [[String: Any]])?.first?["rows"] as? Int == expectedRows)

        // Behind vend's back: the analyst loses SELECT on the target.
        _ = try LaunchTests.aws(harness, "consumer", "lakeformation", "revoke-permissions", "--principal",
                                #"{"DataLakePrincipalIdentifier":"\#(LaunchTests.analyst)"}"#, "--resource", Self.targetPolicy, "--permissions", "SELECT")
        let broken = try run.vend("doctor", "--probe")
        #expect(broken.code == 1)
        let failLine = broken.stdout.split(separator: "\n").first { $0.hasPrefix("FAIL  consumer analytics: analyst") && $0.contains("reads retail_link") } ?? ""
        #expect(failLine.contains("customers: FAILED Insufficient Lake Formation permission(s)"), "Athena's reason: \(broken.stdout)")
        #expect(failLine.contains("missing: SELECT on the target (LF-tag policy domain=retail, catalog 111111111111) for \(LaunchTests.analyst)"), "the missing grant: \(failLine)")
        #expect(!failLine.contains("DESCRIBE on the resource link"), "only the revoked grant is named")
        #expect(failLine.hasSuffix("— run `vend doctor --fix` (it re-makes the grants the products declare)"))

        // --fix grants on resources shared into the consumer account: its caller must be a data lake admin there, as on AWS.
        try MatrixCLI(cloud: harness.cloud, roles: []).addLakeFormationAdmin("consumer", "arn:aws:iam::333333333333:user/vend-localcloud-admin")
        try await harness.cloud.clearLog()
        let fixed = try run.vend("doctor", "--fix", "--verbose")
        #expect(fixed.code == 0, "after the repair every check passes: \(fixed.stdout)\(fixed.stderr)")
        let repairs = fixed.stdout.split(separator: "\n").filter { $0.hasPrefix("REPAIR") }
        #expect(repairs.count == 1 && repairs.first?.contains("consumer analytics: access-retail-Analyst TargetTableRead: granted SELECT, DESCRIBE") == true,
                "exactly the revoked grant is re-made: \(repairs)")
        let changes = try await harness.cloud.requests().filter { $0.isMutating && $0.user_agent?.hasPrefix("vend") == true }.compactMap(\.operation)
        #expect(changes == ["GrantPermissions"], "--fix changes nothing else")
        let restored = try run.vend("doctor", "--probe", "--verbose")
        #expect(restored.code == 0 && restored.stdout.contains("customers \(expectedRows) rows"), "\(restored.stdout)")

        // The analyst stops trusting the caller: the probe queries as the probe role, and says so.
        _ = try LaunchTests.aws(harness, "consumer", "iam", "update-assume-role-policy", "--role-name", "Analyst", "--policy-document",
                                Self.analystTrust.replacingOccurrences(of: "333333333333", with: "444444444444"))
        let asProbe = try run.vend("doctor", "--probe")
        #expect(asProbe.code == 0, "\(asProbe.stdout)")
        #expect(asProbe.stdout.contains("PASS  consumer analytics: probe role arn:aws:iam::333333333333:role/vend-probe-analytics (the analyst"), "\(asProbe.stdout)")

        #expect(run.outputs.contains { $0.contains("verbose: ") }, "--verbose did log")
        #expect(!run.outputs.contains { $0.contains(Self.sentinel) }, "the sentinel in the sample data appeared in vend's output")
        try IAMPolicyCoverage.check(try await harness.cloud.requests(), assumedRolePolicy: "probe-session-policy.json")
    }
}
