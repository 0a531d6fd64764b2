import AWSCore
import AWSServices
import Foundation
import Testing
import VendEngine
import VendModel
import VendTestSupport

/// `doctor --probe` on the fake cloud: the analyst is assumed through the engine's resolver, each
/// table counted through the link in the consumer's workgroup; a denied query fails naming Athena's
/// reason; a query past the timeout is stopped; an analyst the caller cannot assume is replaced by
/// the consumer product's probe role, and the line says so.
@Suite("doctor --probe on the fake cloud")
struct ProbeFakeTests {
    static let consumer = FakeMesh.consumer
    static let analyst = MeshScenario.analyst
    static let probeRole = "arn:aws:iam::333333333333:role/vend-probe-analytics"

    /// The mesh launched (producer and consumer), the consumer's link holding two tables, and the
    /// Analyst and probe roles present in the consumer account.
    static func launched(trustAnalyst: Bool = true, analyst: String = analyst) async throws -> (FakeMesh, ReadWorkflows) {
        let mesh = try FakeMesh()
        let bed = WorkflowFakeTests.bed(mesh)
        try await mesh.published()
        let launching = Launching(workspace: mesh.workspace, resolver: bed.resolver, region: FakeMesh.region)
        _ = try await launching.launchProducer(domain: "retail", profile: nil, parameters: [:], version: nil, sampleData: nil)
        _ = try await launching.launchConsumer(domain: "analytics", profile: nil, analystRole: analyst, reads: nil, version: nil)
        mesh.cloud.addDatabase("retail_link", account: consumer)
        for table in ["customers", "orders"] { mesh.cloud.addTable(table, database: "retail_link", location: "s3://vend-retail/\(table)/", account: consumer) }
        let iam = mesh.clients(consumer).iam
        if trustAnalyst { _ = try await iam.createRole(name: "Analyst", path: nil, trustPolicy: "{}", description: nil, tags: [:]) }
        _ = try await iam.createRole(name: "vend-probe-analytics", path: nil, trustPolicy: "{}", description: nil, tags: [:])
        mesh.cloud.clearLog()
        return (mesh, try ReadWorkflows(workspace: mesh.workspace, resolver: bed.resolver, region: nil))
    }

    @Test("PASS with each table's count, queried as the assumed analyst in the consumer's workgroup")
    func passes() async throws {
        let (mesh, reads) = try await Self.launched()
        mesh.cloud.answerQueries { query in
            query.caller.contains("assumed-role/Analyst/") && query.workGroup == "vend-analytics" ? .success([["_col0"], [query.sql.contains("customers") ? "300" : "400"]])
                : .failure(FakeQueryFailure("Insufficient Lake Formation permission(s) on \(query.sql)"))
        }
        let line = try #require(try await reads.probe().first)
        #expect(line.status == .pass)
        #expect(line.detail == "customers 300 rows, orders 400 rows")
        #expect(line.name.contains("analyst \(Self.analyst) (assumed)"))
        #expect(mesh.cloud.mutatingCalls(account: Self.consumer).filter { $0 != "StartQueryExecution" && $0 != "AssumeRole" }.isEmpty, "a probe changes nothing")
    }

    @Test("a denied query FAILs with Athena's reason and the workflow that restores the grants")
    func denied() async throws {
        let (mesh, reads) = try await Self.launched()
        mesh.cloud.answerQueries { _ in .failure(FakeQueryFailure("Insufficient Lake Formation permission(s) on retail_link.customers")) }
        let line = try #require(try await reads.probe().first)
        #expect(line.status == .fail)
        #expect(line.detail.contains("customers: FAILED Insufficient Lake Formation permission(s)"))
        #expect(line.fix == .run(.doctorFix, " (it re-makes the grants the products declare)"))
    }

    @Test("a query still running at the timeout is stopped and reported, never waited for")
    func timedOut() async throws {
        let (mesh, reads) = try await Self.launched()
        mesh.cloud.holdQueries(polls: 1_000)
        mesh.cloud.answerQueries { _ in .success([["_col0"], ["1"]]) }
        let line = try #require(try await reads.probe(options: .init(timeoutSeconds: 5, pollSeconds: 1)).first)
        #expect(line.status == .fail && line.detail.contains("TIMED OUT"))
        #expect(mesh.cloud.calls(account: Self.consumer).filter { $0 == "StopQueryExecution" }.count == 2, "both tables' queries stopped")
    }

    @Test("an analyst the caller cannot assume is probed as the consumer product's probe role, and the line says so")
    func probeRoleFallback() async throws {
        let (mesh, reads) = try await Self.launched(trustAnalyst: false)
        mesh.cloud.answerQueries { query in query.caller.contains("assumed-role/vend-probe-analytics/") ? .success([["_col0"], ["7"]]) : .failure(FakeQueryFailure("denied")) }
        let line = try #require(try await reads.probe().first)
        #expect(line.status == .pass && line.name.contains("probe role \(Self.probeRole)"))
    }

    @Test("an IAM Identity Center analyst role is never assumed: the probe role queries, and the line says why")
    func identityCenterAnalyst() async throws {
        let sso = "arn:aws:iam::333333333333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_DataAnalyst_0123456789abcdef"
        let (mesh, reads) = try await Self.launched(analyst: sso)
        mesh.cloud.answerQueries { query in query.caller.contains("assumed-role/vend-probe-analytics/") ? .success([["_col0"], ["7"]]) : .failure(FakeQueryFailure("denied")) }
        let line = try #require(try await reads.probe().first)
        #expect(line.status == .pass && line.name.contains("is an IAM Identity Center role"))
        #expect(mesh.cloud.calls(account: Self.consumer).filter { $0 == "AssumeRole" }.count == 1, "only the probe role is assumed")
    }
}
