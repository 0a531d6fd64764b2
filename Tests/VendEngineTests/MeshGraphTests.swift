import Foundation
import Testing
import VendEngine
import VendModel
import VendTestSupport

/// `vend status --graph`: the mesh as Mermaid and DOT, pinned by goldens (re-record with
/// VEND_RECORD_GOLDENS=1), from a mesh with one subscription in each kind of state.
@Suite("Mesh picture")
struct MeshGraphTests {
    static func views() throws -> (MeshConfig, [SubscriptionView]) {
        let config = try SubscriptionPlannerTests.config(salesOwners: ["arn:aws:iam::222222222222:role/SalesOwner"])
        let planner = SubscriptionPlanner(config: config)
        let analyticsRetail = SubscriptionPlannerTests.pair
        let analyticsSales = Subscription(consumer: "analytics", domain: "sales")
        let marketingRetail = Subscription(consumer: "marketing", domain: "retail")
        let marketingSales = Subscription(consumer: "marketing", domain: "sales")
        var mesh = MeshSubscriptions(requests: [analyticsRetail: SubscriptionPlannerTests.request(),
                                                analyticsSales: SubscriptionPlannerTests.request(analyticsSales),
                                                marketingRetail: SubscriptionPlannerTests.request(marketingRetail, until: SubscriptionPlannerTests.yesterday),
                                                marketingSales: SubscriptionPlannerTests.request(marketingSales)],
                                     decisions: [marketingSales: SubscriptionPlannerTests.decision(.rejected, marketingSales)],
                                     principals: SubscriptionPlannerTests.principals)
        for key in SubscriptionPlannerTests.keys(analyticsRetail, principals: [SubscriptionPlannerTests.analyst]) {
            mesh.keys[key] = SubscriptionPlannerTests.holder(key)
        }
        return (config, planner.views(mesh, now: SubscriptionPlannerTests.now))
    }

    @Test("Mermaid and DOT show every account, domain and subscription with its state", arguments: MeshGraph.Format.allCases)
    func picture(format: MeshGraph.Format) throws {
        let (config, views) = try Self.views()
        #expect(views.map(\.derived.label) == ["active", "pending", "expired", "rejected"])
        let text = MeshGraph.render(config, views: views, format: format) + "\n"
        if let failure = Golden.check(text, named: "mesh-graph.\(format == .mermaid ? "mmd" : "dot")") { Issue.record(Comment(rawValue: failure)) }
    }
}
