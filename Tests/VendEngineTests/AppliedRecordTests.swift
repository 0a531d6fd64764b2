import Foundation
import Testing
@testable import VendEngine
import VendModel
import VendTestSupport

/// What apply records after a run (`vend/mesh/applied.json`): each consumer's account, so central's
/// grants to it can be found once both leave vend.yaml; a consumer terminated with --prune leaves it.
@Suite("apply's record")
struct AppliedRecordTests {
    @Test("a run records each declared consumer with its account; terminating a consumer removes both; a failed launch records nothing")
    func consumers() throws {
        let workspace = try Workspace.load(root: Golden.repositoryRoot())
        let desired = try DesiredMesh.from(workspace)
        let empty = MeshPlan(actions: [], notes: [], catalog: [], refusals: [], fingerprints: [:], labels: [:])
        let recorded = MeshWorkflows.recorded([], plan: empty, desired: desired, previous: AppliedRecord())
        #expect(recorded.consumers == ["analytics"] && recorded.consumerAccounts == ["analytics": "333333333333"])
        #expect(recorded.pairs == [Subscription(consumer: "analytics", domain: "retail")])

        let launch = SavedPlanCheckTests.action("launch:consumer-analytics", .launch, account: "333333333333")
        var failed = empty
        failed.actions = [launch]
        let notLaunched = MeshWorkflows.recorded([.init(status: "failed", id: launch.id, summary: "", detail: "")], plan: failed, desired: desired, previous: AppliedRecord())
        #expect(notLaunched.consumers.isEmpty && notLaunched.consumerAccounts.isEmpty)

        var terminate = SavedPlanCheckTests.action("terminate:consumer-analytics", .terminate, account: "333333333333")
        terminate.domains = ["analytics"]
        terminate.provisionedProduct = "consumer-analytics"
        var pruned = empty
        pruned.actions = [terminate]
        let noConsumers = DesiredMesh(producers: desired.producers, consumers: [], domainTagValues: desired.domainTagValues)
        let after = MeshWorkflows.recorded([.init(status: "done", id: terminate.id, summary: "", detail: "")], plan: pruned, desired: noConsumers, previous: recorded)
        #expect(after.consumers.isEmpty && after.consumerAccounts.isEmpty && Set(after.producers) == Set(recorded.producers), "the producers stay (written deduplicated)")
    }
}
