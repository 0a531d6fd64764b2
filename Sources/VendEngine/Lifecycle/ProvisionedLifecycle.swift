import AWSCore
import AWSServices
import Foundation
import VendModel

/// `vend upgrade` and `vend terminate`: a provisioned product moved to a newer version (with
/// the plan shown first), or removed — each with a content-derived token and its record followed.
public struct ProvisionedLifecycle: Sendable {
    /// The account holding the provisioned product.
    public var environment: LaunchEnvironment

    /// Creates the lifecycle helper.
    public init(environment: LaunchEnvironment) { self.environment = environment }

    /// What an upgrade will do.
    public struct UpgradePlan: Sendable, Codable, Equatable {
        /// The provisioned product's name and id.
        public var name: String, id: String
        /// The product's name and id.
        public var product: String, productId: String
        /// The version now, and its id.
        public var from: String, fromId: String
        /// The version after, and its id.
        public var to: String, toId: String
        /// The parameters kept as they are (UsePreviousValue).
        public var parameters: [String]
        /// The provisioned product's last record when planned (part of the update token).
        public var lastRecordId: String
        /// Whether there is nothing to do.
        public var upToDate: Bool { fromId == toId }
    }

    /// The provisioned product named `name`, or a clear error.
    func find(_ name: String) async throws -> ServiceCatalog.ProvisionedProductAttribute {
        guard let found = try await Provisioner.provisionedProduct(named: name, in: environment.serviceCatalog), found.Id != nil else {
            throw LaunchError.noProvisionedProduct(name: name, accountId: environment.accountId, region: environment.region)
        }
        return found
    }

    /// Plans moving `name` to `version` (default: the newest version that is not deprecated).
    public func planUpgrade(name: String, version: String?) async throws -> UpgradePlan {
        let current = try await find(name)
        guard let id = current.Id, let productId = current.ProductId else { throw LaunchError.noProductId(name: name) }
        // Assumption (AWS): DescribeProduct shows an end user the versions they may launch (active ones).
        let artifacts = try await environment.serviceCatalog.describeProduct(.init(Id: productId)).ProvisioningArtifacts ?? []
        let candidates = artifacts.compactMap { artifact -> (SemanticVersion, ServiceCatalog.ProvisioningArtifact)? in
            artifact.Name.flatMap(SemanticVersion.init).map { ($0, artifact) }
        }
        let target: ServiceCatalog.ProvisioningArtifact?
        if let version {
            target = artifacts.first { $0.Name == version }
            guard target != nil else {
                throw LaunchError.noSuchVersion(product: current.ProductName ?? productId, version: version, available: artifacts.compactMap(\.Name))
            }
        } else {
            target = candidates.filter { $0.1.Guidance != "DEPRECATED" }.max { $0.0 < $1.0 }?.1
        }
        guard let target, let targetId = target.Id else { throw LaunchError.nothingToUpgradeTo(product: current.ProductName ?? productId) }
        let stack = try await environment.cloudFormation.describeStack(name: environment.stackName(of: current) ?? environment.stackName(provisionedProductId: id))
        return UpgradePlan(name: name, id: id, product: current.ProductName ?? productId, productId: productId,
                           from: current.ProvisioningArtifactName ?? current.ProvisioningArtifactId ?? "?", fromId: current.ProvisioningArtifactId ?? "",
                           to: target.Name ?? targetId, toId: targetId, parameters: (stack?.Parameters ?? []).map(\.ParameterKey).sorted(),
                           lastRecordId: current.LastRecordId ?? "")
    }

    /// Applies an upgrade plan: UpdateProvisionedProduct keeping every parameter, then follows the record.
    public func upgrade(_ plan: UpgradePlan) async throws -> ServiceCatalog.DescribeRecordOutput? {
        guard !plan.upToDate else { return nil }
        guard let pathId = try await environment.serviceCatalog.allLaunchPaths(productId: plan.productId).first?.Id else {
            throw LaunchError.noLaunchPathForUpgrade(product: plan.product, accountId: environment.accountId)
        }
        let answer = try await environment.serviceCatalog.updateProvisionedProduct(.init(
            ProvisionedProductId: plan.id, ProductId: plan.productId, ProvisioningArtifactId: plan.toId, PathId: pathId,
            ProvisioningParameters: plan.parameters.map { .init(Key: $0, UsePreviousValue: true) },
            // The last record joins the token: a retried call returns the same update, while a new attempt
            // after a failed one (same versions, new last record) is not answered with the old failure.
            UpdateToken: IdempotencyToken.make("upgrade", environment.accountId, environment.region, plan.id, plan.fromId, plan.toId, plan.lastRecordId)))
        return try await follow(answer.RecordDetail?.RecordId, label: plan.name, id: plan.id, what: "upgrade to \(plan.to)")
    }

    /// Terminates `name` and follows the record. `ignoreErrors` removes it from Service Catalog even if the stack cannot be deleted.
    public func terminate(name: String, ignoreErrors: Bool) async throws -> ServiceCatalog.DescribeRecordOutput? {
        let current = try await find(name)
        guard let id = current.Id else { return nil }
        let answer = try await environment.serviceCatalog.terminateProvisionedProduct(.init(
            ProvisionedProductId: id,
            // As for upgrades: after a failed termination (TAINTED, new last record) a retry is a new attempt.
            TerminateToken: IdempotencyToken.make("terminate", environment.accountId, environment.region, id, ignoreErrors ? "ignore" : "strict",
                                                  current.LastRecordId ?? ""),
            IgnoreErrors: ignoreErrors))
        return try await follow(answer.RecordDetail?.RecordId, label: name, id: id, what: "termination")
    }

    private func follow(_ recordId: String?, label: String, id: String, what: String) async throws -> ServiceCatalog.DescribeRecordOutput {
        guard let recordId, !recordId.isEmpty else { throw LaunchError.noRecordId(label: label) }
        let record = try await RecordFollower(environment: environment).follow(recordId: recordId, label: label, stackName: environment.stackName(provisionedProductId: id))
        guard record.RecordDetail?.Status == "SUCCEEDED" else {
            throw LaunchError.recordFailed(label: label, what: what, status: record.RecordDetail?.Status ?? "?", errors: RecordFollower.errors(record),
                                           cause: what == "termination" ? "or pass --ignore-errors to remove it from Service Catalog and clean up by hand" : nil)
        }
        return record
    }
}
