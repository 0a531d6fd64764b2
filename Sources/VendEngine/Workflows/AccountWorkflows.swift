import Foundation
import VendModel

/// Workflows on one provisioned product or one account: `add-source`, `upgrade`, `terminate`.
public struct AccountWorkflows: ScopedWorkflows {
    /// The workspace, resolver and region.
    public var scope: WorkflowScope
    /// Creates the workflows; `region` nil means vend.yaml's first.
    public init(workspace: Workspace, resolver: any AccountResolving, region: String?) throws {
        scope = try WorkflowScope(workspace: workspace, resolver: resolver, region: region)
    }

    /// `vend add-source`: the AddDataSource service action on the domain's central registration.
    public func addSource(domain: String, source: String, prefix: String, format: String, profile: String?) async throws -> DataSourceAdder.Result {
        let config = workspace.config
        _ = try MeshRules.producer(domain, in: config)
        let central = try await resolver.resolve(.init(label: "central", profile: profile ?? config.central.profile, region: region,
                                                       expectedAccountId: config.central.accountId))
        let adder = DataSourceAdder(environment: central.launchEnvironment)
        return try await adder.run(provisionedProductName: MeshRules.producerRegistrationName(domain), source: source, prefix: prefix, format: format)
    }

    /// The account holding the provisioned product `name`: `profile` when given (any account), else
    /// the account vend.yaml derives from the name (checked).
    public func holder(of name: String, profile: String?) async throws -> AccountContext {
        let named = MeshRules.account(holding: name, config: workspace.config)
        guard let chosen = profile ?? named?.account.profile else { throw EngineError.unknownProvisionedName(name: name) }
        let expected = profile == nil ? named?.account.accountId : nil
        return try await resolver.resolve(.init(label: named?.label ?? "account", profile: chosen, region: region, expectedAccountId: expected))
    }

    /// What `upgrade` reports.
    public struct UpgradeReport: Codable, Sendable, Equatable {
        /// The plan.
        public var plan: ProvisionedLifecycle.UpgradePlan
        /// `planned`, `upgraded` or `unchanged`.
        public var action: String
        /// The record's outputs after an upgrade.
        public var outputs: [String: String]
    }

    /// `vend upgrade`: plans the move to `version` (default: the newest not deprecated), hands the
    /// plan to `planned` (so it is shown before the wait), and applies it when `apply`.
    public func upgrade(name: String, profile: String?, version: String?, apply: Bool,
                        planned: @Sendable (ProvisionedLifecycle.UpgradePlan) -> Void = { _ in }) async throws -> UpgradeReport {
        let lifecycle = ProvisionedLifecycle(environment: try await holder(of: name, profile: profile).launchEnvironment)
        let plan = try await lifecycle.planUpgrade(name: name, version: version)
        planned(plan)
        var report = UpgradeReport(plan: plan, action: plan.upToDate ? "unchanged" : "planned", outputs: [:])
        if !plan.upToDate && apply {
            let record = try await lifecycle.upgrade(plan)
            report.action = "upgraded"
            report.outputs = record.map(RecordFollower.outputs) ?? [:]
        }
        return report
    }

    /// What `terminate` reports.
    public struct TerminateReport: Codable, Sendable, Equatable {
        /// The provisioned product.
        public var name: String
        /// `TERMINATED`.
        public var status: String
        /// The termination's record.
        public var recordId: String
    }

    /// `vend terminate`: terminates and follows the record.
    public func terminate(name: String, profile: String?, ignoreErrors: Bool) async throws -> TerminateReport {
        let lifecycle = ProvisionedLifecycle(environment: try await holder(of: name, profile: profile).launchEnvironment)
        let record = try await lifecycle.terminate(name: name, ignoreErrors: ignoreErrors)
        return TerminateReport(name: name, status: "TERMINATED", recordId: record?.RecordDetail?.RecordId ?? "")
    }
}
