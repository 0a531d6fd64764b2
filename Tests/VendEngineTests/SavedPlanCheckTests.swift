import Foundation
import Testing
@testable import VendEngine

/// A saved plan on a fresh mesh: apply deploys the baseline before it can take the lock, plans
/// again, and runs the new plan only when nothing but central's baseline moved.
@Suite("A saved plan after apply's own baseline deployment")
struct SavedPlanCheckTests {
    static let central = "111111111111", producer = "222222222222"

    static func action(_ id: String, _ kind: MeshAction.Kind, account: String = central) -> MeshAction {
        MeshAction(id: id, kind: kind, domains: [], account: account, label: "central", summary: id, drift: false, dependsOn: [],
                   product: nil, source: nil, subscription: nil, provisionedProduct: nil)
    }

    static func plan(_ actions: [MeshAction], fingerprints: [String: String]) -> MeshPlan {
        MeshPlan(actions: actions, notes: [], catalog: [], refusals: [], fingerprints: fingerprints,
                 labels: [central: "central", producer: "producer retail"])
    }

    static let saved = plan([action("bootstrap", .bootstrap), action("publish", .publish), action("launch:producer-retail", .launch, account: producer)],
                            fingerprints: [central: "c1", producer: "p1"])

    @Test("the plan made after the baseline holds: the same other actions, the spokes unmoved (central's fingerprint moved by the deployment)")
    func holds() throws {
        let fresh = Self.plan([Self.action("publish", .publish), Self.action("launch:producer-retail", .launch, account: Self.producer)],
                              fingerprints: [Self.central: "c2", Self.producer: "p1"])
        try MeshWorkflows.sameApartFromBaseline(Self.saved, fresh, central: Self.central, file: "plan.json")
    }

    @Test("a spoke that reads differently refuses, naming it")
    func spokeMoved() {
        let fresh = Self.plan([Self.action("publish", .publish), Self.action("launch:producer-retail", .launch, account: Self.producer)],
                              fingerprints: [Self.central: "c2", Self.producer: "p2"])
        #expect(throws: MeshError.liveStateMoved(account: Self.producer, label: "producer retail", file: "plan.json")) {
            try MeshWorkflows.sameApartFromBaseline(Self.saved, fresh, central: Self.central, file: "plan.json")
        }
    }

    @Test("other actions than the saved plan's refuse, naming central")
    func actionsMoved() {
        let fresh = Self.plan([Self.action("publish", .publish)], fingerprints: [Self.central: "c2", Self.producer: "p1"])
        #expect(throws: MeshError.liveStateMoved(account: Self.central, label: "central", file: "plan.json")) {
            try MeshWorkflows.sameApartFromBaseline(Self.saved, fresh, central: Self.central, file: "plan.json")
        }
    }
}

