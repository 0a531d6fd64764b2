import AWSCore
import AWSServices
import Foundation
import VendModel

/// Applies key changes with the accounts a run could open: launches through the one launch step
/// every workflow uses (share accepted, principal associated, launch role, launch path),
/// terminates through the lifecycle, and releases legacy keys by updating the consumer-onboarding
/// that holds them. A change whose account is not open is left for a run that can open it, and
/// said so.
public struct SubscriptionExecutor: Sendable {
    /// The validated workspace (products and their versions).
    public var workspace: Workspace
    /// The region.
    public var region: String
    /// The accounts open.
    public var accounts: OpenedAccounts

    /// Creates the executor.
    public init(workspace: Workspace, region: String, accounts: OpenedAccounts) {
        self.workspace = workspace
        self.region = region
        self.accounts = accounts
    }

    /// What was done and what is left.
    public struct Result: Sendable, Equatable {
        /// Done, in order.
        public var done: [String]
        /// Left, with why.
        public var pending: [String]
        /// The provisioned products launched.
        public var launched: [Provisioner.Result] = []
        /// Whether a change was left because its account could not be opened (the run is not complete).
        public var incomplete = false
    }

    var config: MeshConfig { workspace.config }

    /// Applies `actions` in order (launches in creation order, releases in reverse). A launch waits
    /// for the keys it builds on: a link is not launched while central's grant is missing, an
    /// analyst's grants not while the link is missing.
    public func apply(_ actions: [KeyAction], mesh: MeshSubscriptions) async throws -> Result {
        var result = Result(done: [], pending: [])
        guard !actions.isEmpty else { return result }
        guard let central = accounts.contexts[config.central.accountId] else {
            result.pending = actions.map { "\($0): central could not be opened" }
            result.incomplete = true
            return result
        }
        let portfolio = try await PortfolioLocator.require(config.portfolio.name, side: .owned, in: central)
        var present = Set(mesh.keys.keys)
        var releasedLegacy: Set<String> = []
        for action in actions {
            let key = action.key
            let holding = key.holdingAccount(central: config.central.accountId)
            guard let context = accounts.contexts[holding] else {
                result.pending.append("\(action): account \(holding) could not be opened (\(accounts.failures[holding] ?? "not in vend.yaml"))")
                result.incomplete = true
                continue
            }
            switch action {
            case .launch:
                if let missing = prerequisite(of: key), !present.contains(missing) {
                    result.pending.append("\(action): waits for the \(missing)")
                    continue
                }
                let database = try await Self.database(of: key.domain, central: central)
                let product = try LaunchProduct(workspace: workspace, name: key.product, version: nil)
                let owned = key.product == MeshRules.consumerRegistration
                let target = try await LaunchPreparer(environment: context.launchEnvironment)
                    .prepare(portfolio: .init(id: portfolio, name: config.portfolio.name, owned: owned), principal: context.principal, product: product)
                result.launched.append(try await Provisioner(environment: context.launchEnvironment)
                    .provision(name: key.provisionedName, product: product, target: target, parameters: parameters(of: key, database: database)))
                present.insert(key)
                result.done.append(action.description)
            case .terminate(_, let holder):
                _ = try await ProvisionedLifecycle(environment: context.launchEnvironment).terminate(name: holder.name, ignoreErrors: false)
                present.remove(key)
                result.done.append(action.description)
            case .releaseLegacy(_, let holder):
                // One update releases everything the legacy product holds; it waits while any of
                // those keys is still needed (the link may serve another consumer domain).
                guard !releasedLegacy.contains(holder.provisionedProductId) else { continue }
                let held = mesh.keys.filter { $0.value.provisionedProductId == holder.provisionedProductId }.map(\.key)
                let releasing = Set(actions.compactMap { if case .releaseLegacy(let k, _) = $0 { return k } else { return nil } })
                if let kept = held.first(where: { !releasing.contains($0) }) {
                    result.pending.append("\(action): \(holder.name) also holds the \(kept), still needed")
                    continue
                }
                try await releaseLegacy(holder, in: context, portfolio: portfolio)
                releasedLegacy.insert(holder.provisionedProductId)
                for heldKey in held { present.remove(heldKey) }
                result.done.append("update \(holder.name) without its legacy subscription")
            }
        }
        return result
    }

    /// The key a launch builds on.
    func prerequisite(of key: SubscriptionKey) -> SubscriptionKey? {
        switch key {
        case .registration: return nil
        case .link(let account, let domain): return .registration(account: account, domain: domain)
        case .access(let principal, let domain): return .link(account: MeshConfig.accountId(ofARN: principal), domain: domain)
        }
    }

    /// The producer domain's database in the central catalog (producer-registration's output).
    public static func database(of domain: String, central: AccountContext) async throws -> String {
        let name = MeshRules.producerRegistrationName(domain)
        let catalog = central.clients.serviceCatalog
        guard let producer = try await Provisioner.provisionedProduct(named: name, in: catalog), let id = producer.Id,
              let database = try await catalog.allOutputs(provisionedProductId: id).first(where: { $0.OutputKey == "DatabaseName" })?.OutputValue else {
            throw EngineError.producerNotRegistered(domain: domain, provisionedProduct: name)
        }
        return database
    }

    /// The parameters of the key's product.
    func parameters(of key: SubscriptionKey, database: String) -> [String: String] {
        switch key {
        case .registration(let account, let domain):
            return MeshRules.consumerRegistrationParameters(consumerAccountId: account, reads: domain)
        case .link(_, let domain):
            return MeshRules.consumerLinkParameters(config: config, database: database, domain: domain)
        case .access(let principal, let domain):
            return MeshRules.analystAccessParameters(config: config, database: database, domain: domain, principal: principal)
        }
    }

    /// Updates a legacy consumer-onboarding to the workspace's version with its legacy subscription
    /// parameters emptied, which deletes its link and grants and keeps the rest.
    func releaseLegacy(_ holder: KeyHolder, in context: AccountContext, portfolio: String) async throws {
        let environment = context.launchEnvironment
        guard let product = try await Provisioner.provisionedProduct(named: holder.name, in: environment.serviceCatalog) else { return }
        let stackName = environment.stackName(of: product) ?? environment.stackName(provisionedProductId: holder.provisionedProductId)
        var parameters = Dictionary(((try await environment.cloudFormation.describeStack(name: stackName))?.Parameters ?? [])
            .map { ($0.ParameterKey, $0.ParameterValue ?? "") }, uniquingKeysWith: { first, _ in first })
        for name in MeshRules.legacySubscriptionParameters { parameters[name] = "" }
        let onboarding = try LaunchProduct(workspace: workspace, name: MeshRules.consumerOnboarding, version: nil)
        let target = try await LaunchPreparer(environment: environment)
            .prepare(portfolio: .init(id: portfolio, name: config.portfolio.name, owned: false), principal: context.principal, product: onboarding)
        _ = try await Provisioner(environment: environment).provision(name: holder.name, product: onboarding, target: target,
                                                                      parameters: parameters.filter { onboarding.parameterNames.contains($0.key) })
    }
}
