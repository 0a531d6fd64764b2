import AWSCore
import AWSServices
import Foundation
import Testing
import VendEngine
import VendModel
import VendTestSupport

/// `plan` and `apply` of the repository's mesh on the fakes: one domain's failure is isolated,
/// a re-apply changes nothing, and a failed first launch is replaced.
@Suite("Mesh plan and apply on the fakes")
struct MeshWorkflowFakeTests {
    static func workflows(_ mesh: FakeMesh) throws -> MeshWorkflows {
        let resolver = FakeAccountResolver(cloud: mesh.cloud, clock: mesh.clock)
        let build = CentralWorkflows.BuildOptions(directory: try TemporaryDirectory().url, toolVersion: "test", mtime: 0)
        return MeshWorkflows(scope: try WorkflowScope(workspace: mesh.workspace, resolver: resolver, region: FakeMesh.region), centralProfile: nil,
                             build: build, clock: mesh.clock)
    }

    static func mesh() async throws -> FakeMesh {
        let mesh = try FakeMesh()
        mesh.cloud.behaveLikeMeshProducts()
        try await mesh.published()
        return mesh
    }

    @Test("a registration that fails blocks only its own domain's changes; the rest finish; the next apply completes; a re-apply changes nothing")
    func isolation() async throws {
        let mesh = try await Self.mesh()
        mesh.cloud.failLaunches(product: "producer-registration", times: 1)
        let workflows = try Self.workflows(mesh)
        let first = try await workflows.apply(try await workflows.plan().saved)
        let failed = first.outcomes.filter { $0.status == "failed" }
        #expect(failed.count == 1 && failed.first?.id.hasPrefix("launch:producer-registration-") == true, "\(first.outcomes.map { "\($0.id) \($0.status)" })")
        let failedDomain = String(failed.first?.id.dropFirst("launch:producer-registration-".count) ?? "")
        let other = failedDomain == "retail" ? "sales" : "retail"
        #expect(first.outcomes.first { $0.id == "launch:producer-registration-\(other)" }?.status == "done")
        #expect(first.outcomes.first { $0.id == "launch:consumer-analytics" }?.status == "done")
        if failedDomain == "retail" {
            #expect(first.outcomes.first { $0.id == "request:analytics/retail" }?.status == "blocked", "the request waits for retail's registration")
            #expect(first.outcomes.first { $0.id == "converge" }?.status == "blocked")
        }

        let second = try await workflows.apply(try await workflows.plan().saved)
        #expect(second.outcomes.allSatisfy { ["done", "unchanged", "waiting"].contains($0.status) }, "\(second.outcomes.map { "\($0.id) \($0.status) \($0.detail)" })")
        // The fakes provision products without their stacks' resources, so the links the
        // consumer-link products declare are missing: drift, which apply re-makes directly.
        let drift = try await workflows.plan()
        #expect(!drift.plan.actions.isEmpty && drift.plan.actions.allSatisfy { $0.kind == .repair && $0.drift }, "\(drift.plan.actions.map(\.summary))")
        let repaired = try await workflows.apply(drift.saved)
        #expect(repaired.outcomes.allSatisfy { $0.status == "done" && $0.detail.hasPrefix("created resource link") })
        let after = try await workflows.plan()
        #expect(after.plan.actions.isEmpty, "\(after.plan.actions.map(\.summary))")
        #expect(after.plan.notes.contains { $0.kind == .waitingForData && $0.domains == ["retail"] }, "retail's sources wait for data")
        mesh.cloud.clearLog()
        let third = try await workflows.apply(after.saved)
        #expect(third.outcomes.isEmpty)
        #expect(FakeMesh.allAccounts.allSatisfy { mesh.cloud.mutatingCalls(account: $0).isEmpty }, "a re-apply with nothing changed makes no mutating call")
    }

    @Test("a first launch that failed (ERROR, never succeeded) is replaced by apply")
    func replacesFailedFirstLaunch() async throws {
        let mesh = try await Self.mesh()
        mesh.cloud.failLaunches(product: "producer-onboarding", times: 2)
        let workflows = try Self.workflows(mesh)
        _ = try await workflows.apply(try await workflows.plan().saved)
        let plan = try await workflows.plan()
        #expect(plan.plan.actions.contains { $0.kind == .replace }, "\(plan.plan.actions.map(\.id))")
        let report = try await workflows.apply(plan.saved)
        let replaced = report.outcomes.filter { $0.id.hasPrefix("replace:") }
        #expect(!replaced.isEmpty && replaced.allSatisfy { $0.status == "done" && $0.detail.contains("replaced") }, "\(report.outcomes.map { "\($0.id) \($0.status) \($0.detail)" })")
    }
}
