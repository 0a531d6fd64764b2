import Foundation
import VendModel

/// One change `apply` makes, a node of its dependency graph.
public struct MeshAction: Sendable, Equatable, Codable {
    /// What kind of change.
    public enum Kind: String, Sendable, Codable {
        /// The central baseline (LF tag values, settings) is deployed or updated.
        case bootstrap
        /// The catalog is published (as `vend publish`).
        case publish
        /// A provisioned product is launched.
        case launch
        /// A provisioned product is updated to the declared version or parameters.
        case update
        /// A provisioned product whose first launch failed is terminated and launched again.
        case replace
        /// A source is added (AddDataSource on the domain's registration).
        case addSource
        /// A source's crawler is pointed back at the declared path.
        case retargetSource
        /// Missing grants and links a provisioned product declares are re-made.
        case repair
        /// A declared subscription is requested (RequestAccess).
        case request
        /// A subscription apply made and vend.yaml no longer declares is revoked.
        case revoke
        /// Subscription keys are converged (grants, links, analysts' access).
        case converge
        /// A provisioned product no longer declared is terminated (`--prune`; buckets are retained).
        case terminate
        /// A source no longer declared loses its crawler (`--prune`; data and tables are kept).
        case removeSource
    }

    /// A stable id (`launch:producer-retail`).
    public var id: String
    public var kind: Kind
    /// The domains it belongs to (for `--target`); empty for central-wide changes.
    public var domains: [String]
    /// The account it acts in.
    public var account: String
    /// How progress names that account.
    public var label: String
    /// One line saying what changes.
    public var summary: String
    /// Whether it repairs drift (the live state left what vend declared or made).
    public var drift: Bool
    /// The ids it waits for.
    public var dependsOn: [String]
    /// Launch, update, replace: the declared provisioned product.
    public var product: DesiredMesh.Product?
    /// Sources: the source.
    public var source: MeshConfig.Source?
    /// Request, revoke: the pair.
    public var subscription: Subscription?
    /// Terminate: the provisioned product's name.
    public var provisionedProduct: String?
}

/// Something the plan shows that is not a change apply makes.
public struct MeshNote: Sendable, Equatable, Codable {
    /// Its kind.
    public enum Kind: String, Sendable, Codable {
        /// An account the plan could not read: what it holds is unknown.
        case notRead = "not read"
        /// An account read without a data lake administrator's view: its grants were not judged for drift.
        case notChecked = "not checked"
        /// In apply's record but no longer in vend.yaml (removed only with `--prune`).
        case notDeclared = "not declared"
        /// Made by hand (add-source, vend subscribe, a launch): never reverted or removed by apply.
        case handMade = "hand-made"
        /// A declared source whose prefix holds no object yet.
        case waitingForData = "waiting for data"
        /// A declared subscription waiting for an owner's decision.
        case pendingApproval = "pending approval"
        /// Something apply cannot do as declared; it says why.
        case blocked
    }

    public var kind: Kind
    public var domains: [String]
    public var detail: String
}

/// What `plan` shows and `apply` runs.
public struct MeshPlan: Sendable, Equatable, Codable {
    /// The changes, in dependency order.
    public var actions: [MeshAction]
    /// What is shown but not changed.
    public var notes: [MeshNote]
    /// The catalog's steps in one line each (from the publish plan).
    public var catalog: [String]
    /// Versions publish would refuse.
    public var refusals: [String]
    /// SHA-256 per account id over what the plan read.
    public var fingerprints: [String: String]
    /// Labels per account id.
    public var labels: [String: String]

    /// Whether apply would change anything.
    public var hasChanges: Bool { !actions.isEmpty }

    /// The plan of one domain's closure: its actions and their dependencies' ids dropped where
    /// they point outside it.
    public func targeting(_ domains: Set<String>) -> MeshPlan {
        var plan = self
        plan.actions = actions.filter { !Set($0.domains).isDisjoint(with: domains) }
        let kept = Set(plan.actions.map(\.id))
        for index in plan.actions.indices { plan.actions[index].dependsOn = plan.actions[index].dependsOn.filter { kept.contains($0) } }
        plan.notes = notes.filter { $0.domains.isEmpty || !Set($0.domains).isDisjoint(with: domains) }
        return plan
    }
}
