import AWSCore
import AWSServices
import Foundation

/// Runs one service action on a provisioned product and follows its record to the end: the one
/// way vend executes AddDataSource and RequestAccess.
public struct ServiceActionRunner: Sendable {
    /// The account that holds the provisioned product.
    public var environment: LaunchEnvironment

    /// Creates a runner.
    public init(environment: LaunchEnvironment) { self.environment = environment }

    /// A finished execution.
    public struct Execution: Sendable, Equatable {
        /// The record of the execution.
        public var recordId: String
        /// Its status (`SUCCEEDED`, `FAILED`).
        public var status: String
        /// The record's outputs (automation execution id and the document's outputs).
        public var outputs: [String: String]
        /// The failure, when it failed: the record's FailureMessage or errors.
        public var failure: String?
    }

    /// Executes `action` (its name as publish creates it, `<product>-<action>`) on `product` with
    /// `parameters`. The token comes from the inputs, so a retried call returns the same execution
    /// instead of running it twice; after a failed execution the same token would only return that
    /// failure again, so the failed record's id joins the token and the next run is a new attempt.
    /// `events` names what the action is doing while it runs.
    public func run(_ action: String, on product: ServiceCatalog.ProvisionedProductAttribute, parameters: [String: String],
                    extraToken: [String] = [], events: (@Sendable (Date) async -> String?)? = nil) async throws -> Execution {
        let sc = environment.serviceCatalog
        let name = product.Name ?? "?"
        guard let ppId = product.Id, let productId = product.ProductId, let artifactId = product.ProvisioningArtifactId else {
            throw LaunchError.registrationMissing(name: name, accountId: environment.accountId)
        }
        let actions = try await sc.allServiceActions(productId: productId, provisioningArtifactId: artifactId)
        guard let actionId = actions.first(where: { $0.Name == action })?.Id else {
            throw LaunchError.actionNotAssociated(action: action, name: name, version: product.ProvisioningArtifactName ?? artifactId)
        }
        let retryOf = try await failedExecution(product.LastRecordId)
        let token = IdempotencyToken.make(["execute", environment.accountId, environment.region, ppId, actionId, retryOf ?? ""] + extraToken
                                          + parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
        // The execution starts while the call is answered: its steps are looked for from before
        // the call, so a slow answer does not hide them.
        let started = environment.clock.now()
        let answer = try await sc.executeProvisionedProductServiceAction(.init(ProvisionedProductId: ppId, ServiceActionId: actionId, ExecuteToken: token,
                                                                                Parameters: parameters.mapValues { [$0] }))
        guard let recordId = answer.RecordDetail?.RecordId else { throw LaunchError.noRecordId(label: name) }
        var steps: (@Sendable () async -> String?)?
        if let events { steps = { await events(started) } }
        let record = try await RecordFollower(environment: environment).follow(recordId: recordId, label: "\(name) \(action)", stackName: nil, events: steps)
        let outputs = RecordFollower.outputs(record)
        let status = record.RecordDetail?.Status ?? "?"
        // Assumption (AWS): a service action's failure shows only in the record's outputs
        // (FailureMessage names the failing step) and its errors.
        let failure = status == "SUCCEEDED" ? nil : (outputs["FailureMessage"] ?? RecordFollower.errors(record))
        return Execution(recordId: recordId, status: status, outputs: outputs, failure: failure)
    }

    /// The id of the provisioned product's last record when it is a failed service action execution.
    private func failedExecution(_ recordId: String?) async throws -> String? {
        guard let recordId, !recordId.isEmpty else { return nil }
        // Assumption (AWS and the local cloud): LastRecordId covers service action executions too.
        let detail = try await environment.serviceCatalog.describeRecord(.init(Id: recordId)).RecordDetail
        guard detail?.RecordType == "EXECUTE_PROVISIONED_PRODUCT_SERVICE_ACTION", detail?.Status == "FAILED" else { return nil }
        return recordId
    }
}
