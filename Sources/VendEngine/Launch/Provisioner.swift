import AWSCore
import AWSServices
import Foundation

/// Provisions a product under a predictable name, or updates it when its inputs or version
/// changed, or leaves it alone when nothing changed — looking before it acts.
///
/// A provisioned product in `ERROR` cannot be updated. When its first launch failed (it never
/// had a successful record, so its stack rolled back and holds nothing to keep) it is terminated
/// and launched again if `replaceFailedFirstLaunch` is set, and refused otherwise; one that once
/// succeeded (a failed update left it in `ERROR`) is always refused: it may hold data.
public struct Provisioner: Sendable {
    /// Where the product is launched.
    public var environment: LaunchEnvironment
    /// Whether a provisioned product whose first launch failed is terminated and launched again
    /// (false: `LaunchError.firstLaunchFailed`, the user terminates it). Declarative runs set it:
    /// the failed product is the one they were asked to make.
    public var replaceFailedFirstLaunch: Bool

    /// Creates a provisioner; by default a failed first launch is left for the user.
    public init(environment: LaunchEnvironment, replaceFailedFirstLaunch: Bool = false) {
        self.environment = environment
        self.replaceFailedFirstLaunch = replaceFailedFirstLaunch
    }

    /// What a launch did.
    public struct Result: Sendable, Codable, Equatable {
        /// The account.
        public var account: String
        /// The product's name.
        public var product: String
        /// The provisioned product's name.
        public var name: String
        /// The provisioned product's id.
        public var id: String
        /// The version launched.
        public var version: String
        /// `created`, `replaced` (a failed first launch terminated, then launched anew), `updated` or `unchanged`.
        public var action: String
        /// The provisioned product's status afterwards.
        public var status: String
        /// Its outputs.
        public var outputs: [String: String]
    }

    /// Makes `name` a provisioned product of `product` at `target`'s version with `parameters`
    /// (a failed first launch is replaced or refused: see the type's note).
    public func provision(name: String, product: LaunchProduct, target: LaunchPreparer.Target, parameters: [String: String]) async throws -> Result {
        let sc = environment.serviceCatalog
        let canonical = parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var existing = try await find(name)
        if let current = existing, ["UNDER_CHANGE", "PLAN_IN_PROGRESS"].contains(current.Status ?? ""), let recordId = current.LastRecordId {
            environment.progress("\(name): under change — waiting for record \(recordId) first")
            _ = try await RecordFollower(environment: environment).follow(recordId: recordId, label: name, stackName: current.Id.map { environment.stackName(provisionedProductId: $0) })
            existing = try await find(name)
        }
        // Launch tokens after products that are gone: the token covers the inputs, so a relaunch with
        // the same inputs would otherwise be answered with the gone product's record.
        var replaced: [String] = []
        if let current = existing, let id = current.Id, current.Status == "ERROR" {
            try await terminateFailedFirstLaunch(current, id: id, name: name)
            replaced.append("after-\(id)")
            existing = nil
        }
        var recordId = ""
        let action: String
        if let current = existing, let id = current.Id {
            let stackName = environment.stackName(of: current) ?? environment.stackName(provisionedProductId: id)
            let stack = try await environment.cloudFormation.describeStack(name: stackName)
            let deployed = Dictionary((stack?.Parameters ?? []).map { ($0.ParameterKey, $0.ParameterValue ?? "") }, uniquingKeysWith: { first, _ in first })
            // The stack's parameters are what was launched: Service Catalog keeps no other copy.
            let sameInputs = parameters.allSatisfy { deployed[$0.key] == $0.value }
            if current.Status == "AVAILABLE" && current.ProvisioningArtifactId == target.artifactId && sameInputs {
                environment.progress("\(name): up to date (version \(product.version))")
                let outputs = try await sc.allOutputs(provisionedProductId: id)
                return Result(account: environment.accountId, product: product.name, name: name, id: id, version: product.version, action: "unchanged",
                              status: "AVAILABLE", outputs: Dictionary(outputs.compactMap { o in o.OutputKey.map { ($0, o.OutputValue ?? "") } }, uniquingKeysWith: { a, _ in a }))
            }
            // The token covers the inputs and the state updated from, so a retry of this update is
            // recognised, while a later change back to earlier inputs is a new update.
            let token = IdempotencyToken.make(["update", environment.accountId, environment.region, name, id, target.artifactId,
                                               current.LastSuccessfulProvisioningRecordId ?? "", current.Status ?? ""] + canonical)
            environment.progress("\(name): updating to version \(product.version)\(sameInputs ? "" : " with new parameters")")
            let answer = try await withRoleRetry(target) {
                try await sc.updateProvisionedProduct(.init(ProvisionedProductId: id, ProductId: target.productId, ProvisioningArtifactId: target.artifactId,
                                                            PathId: target.pathId, ProvisioningParameters: parameters.sorted { $0.key < $1.key }.map { .init(Key: $0.key, Value: $0.value) },
                                                            UpdateToken: token))
            }
            recordId = answer.RecordDetail?.RecordId ?? ""
            action = "updated"
        } else {
            environment.progress("\(name): launching \(product.name) \(product.version)")
            action = replaced.isEmpty ? "created" : "replaced"
            while true {
                let token = IdempotencyToken.make(["provision", environment.accountId, environment.region, name, target.productId, target.artifactId] + canonical + replaced)
                let answer = try await withRoleRetry(target) {
                    try await sc.provisionProduct(.init(ProductId: target.productId, ProvisioningArtifactId: target.artifactId, PathId: target.pathId,
                                                        ProvisionedProductName: name,
                                                        ProvisioningParameters: parameters.sorted { $0.key < $1.key }.map { .init(Key: $0.key, Value: $0.value) },
                                                        ProvisionToken: token))
                }
                recordId = answer.RecordDetail?.RecordId ?? ""
                // Same token, same answer: after the product was terminated, the token of the same inputs
                // answers with the old, finished record. A finished record whose product is gone is such
                // an answer, so the old product's id joins the token and the launch is made again.
                guard let old = answer.RecordDetail?.ProvisionedProductId, replaced.count < 3, try await isStale(recordId: recordId, provisionedProductId: old) else { break }
                environment.progress("\(name): the launch token answered with terminated product \(old) — launching anew")
                replaced.append("after-\(old)")
            }
        }
        guard !recordId.isEmpty else { throw LaunchError.noRecordId(label: name) }
        let first = try await sc.describeRecord(.init(Id: recordId))
        let ppId = first.RecordDetail?.ProvisionedProductId ?? ""
        let record = try await RecordFollower(environment: environment).follow(recordId: recordId, label: name,
                                                                                stackName: ppId.isEmpty ? nil : environment.stackName(provisionedProductId: ppId))
        guard record.RecordDetail?.Status == "SUCCEEDED" else {
            throw LaunchError.recordFailed(label: name, what: "\(action == "updated" ? "update" : "launch") of \(product.name) \(product.version)", status: record.RecordDetail?.Status ?? "?",
                                           errors: RecordFollower.errors(record), cause: "parameters, launch role policy")
        }
        return Result(account: environment.accountId, product: product.name, name: name, id: ppId, version: product.version, action: action,
                      status: "AVAILABLE", outputs: RecordFollower.outputs(record))
    }

    /// Terminates `current`, in ERROR, when its first launch failed and `replaceFailedFirstLaunch`
    /// allows it; throws otherwise. Never one that once succeeded: its resources may hold data.
    /// Assumption (AWS): only a successful provision or update sets LastSuccessfulProvisioningRecordId.
    private func terminateFailedFirstLaunch(_ current: ServiceCatalog.ProvisionedProductAttribute, id: String, name: String) async throws {
        let message = current.StatusMessage ?? "no message"
        if let succeeded = current.LastSuccessfulProvisioningRecordId, !succeeded.isEmpty {
            throw LaunchError.failedAfterSuccess(name: name, id: id, message: message, lastSuccessfulRecordId: succeeded)
        }
        guard replaceFailedFirstLaunch else { throw LaunchError.firstLaunchFailed(name: name, id: id, message: message) }
        environment.progress("\(name): first launch failed (\(message)) — terminating it and launching again")
        _ = try await ProvisionedLifecycle(environment: environment).terminate(name: name, ignoreErrors: false)
    }

    /// The provisioned product of that name in the account, if any (terminated ones are not listed).
    func find(_ name: String) async throws -> ServiceCatalog.ProvisionedProductAttribute? {
        try await Self.provisionedProduct(named: name, in: environment.serviceCatalog)
    }

    /// The provisioned product of that name visible to the caller, if any.
    /// Assumption (AWS): SearchProvisionedProducts' `name:` query does not list terminated products;
    /// the exact-name check drops products whose names merely contain it.
    public static func provisionedProduct(named name: String, in serviceCatalog: any ServiceCatalogClient) async throws -> ServiceCatalog.ProvisionedProductAttribute? {
        try await serviceCatalog.allProvisionedProducts(filters: ["SearchQuery": ["name:\(name)"]]).first { $0.Name == name }
    }

    /// Whether a provision answer is an old, finished record of a product that no longer exists.
    private func isStale(recordId: String, provisionedProductId: String) async throws -> Bool {
        let status = try await environment.serviceCatalog.describeRecord(.init(Id: recordId)).RecordDetail?.Status ?? ""
        // A fresh launch's record is still in progress: only a finished one can be stale.
        guard RecordFollower.terminal.contains(status) else { return false }
        do {
            let detail = try await environment.serviceCatalog.describeProvisionedProduct(.init(Id: provisionedProductId)).ProvisionedProductDetail
            return detail?.Status == "TERMINATED"
        } catch where error.isAWS(.notFound) {
            return true
        }
    }

    /// Retries a call refused because a just-created launch role cannot be assumed yet.
    private func withRoleRetry<T: Sendable>(_ target: LaunchPreparer.Target, _ call: () async throws -> T) async throws -> T {
        var attempt = 0
        while true {
            do {
                return try await call()
            } catch let error as AWSServiceError where target.roleCreated && attempt < 6 && error.meaning == .roleNotAssumableYet {
                // Assumption (AWS): a new IAM role can take seconds before Service Catalog can assume it.
                attempt += 1
                environment.progress("launch role not assumable yet (\(error.message)) — retrying in \(2 * attempt)s")
                try await environment.clock.sleep(seconds: Double(2 * attempt))
            }
        }
    }
}
