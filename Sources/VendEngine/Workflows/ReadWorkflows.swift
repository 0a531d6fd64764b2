import AWSCore
import Foundation
import VendModel

/// The read-only workflows over every account of vend.yaml: `status`, `doctor` and `access`.
public struct ReadWorkflows: ScopedWorkflows {
    /// The workspace, resolver and region.
    public var scope: WorkflowScope
    /// Creates the workflows; `region` nil means vend.yaml's first.
    public init(workspace: Workspace, resolver: any AccountResolving, region: String?) throws {
        scope = try WorkflowScope(workspace: workspace, resolver: resolver, region: region)
    }

    /// Every account of vend.yaml with its label, central first; one entry per profile and account.
    public var accounts: [(label: String, account: MeshConfig.Account, central: Bool)] {
        let config = workspace.config
        var targets: [(label: String, account: MeshConfig.Account, central: Bool)] = [("central", config.central, true)]
        targets += config.producers.map { ("producer \($0.domain ?? "")", $0, false) }
        targets += config.consumers.map { ("consumer \($0.domain ?? "")", $0, false) }
        var seen: Set<String> = []
        return targets.filter { seen.insert($0.account.profile + "/" + $0.account.accountId).inserted }
    }

    /// The context of an account of vend.yaml (opened, no call: status and doctor read through it).
    func open(_ label: String, _ account: MeshConfig.Account) throws -> AccountContext {
        try resolver.open(.init(label: label, profile: account.profile, region: region, expectedAccountId: account.accountId))
    }

    /// `vend status`: every account (or the ones reached through `profile`). An account that cannot
    /// be read carries its error (rendered by `describe`); the others are still read.
    public func status(profile: String?, clock: any AWSClock = SystemClock(), describe: @Sendable (any Error) -> String) async throws -> [StatusReader.Account] {
        let config = workspace.config
        var targets = accounts
        if let profile {
            targets = targets.filter { $0.account.profile == profile }
            guard !targets.isEmpty else {
                throw EngineError.profileNotInConfig(profile: profile, known: Set([config.central.profile] + (config.producers + config.consumers).map(\.profile)).sorted())
            }
        }
        var result: [StatusReader.Account] = []
        for target in targets {
            let base = StatusReader.Account(role: target.label, profile: target.account.profile, accountId: target.account.accountId, region: region)
            do {
                let catalog = try open(target.label, target.account).clients.serviceCatalog
                result.append(target.central
                    ? try await StatusReader.central(portfolioName: config.portfolio.name, catalog: catalog, base: base)
                    : try await StatusReader.spoke(portfolioName: config.portfolio.name, catalog: catalog, base: base))
            } catch {
                var failed = base
                failed.error = describe(error)
                result.append(failed)
            }
        }
        guard result.contains(where: { $0.role.hasPrefix("consumer ") }) else { return result }
        // Each consumer domain's subscriptions; when they cannot be read, the consumer accounts say why.
        do {
            let (views, _) = try await subscriptions(clock: clock)
            for index in result.indices where result[index].role.hasPrefix("consumer ") {
                let consumer = String(result[index].role.dropFirst("consumer ".count))
                result[index].subscriptions = views.filter { $0.subscription.consumer == consumer }.map {
                    .init(domain: $0.subscription.domain, state: $0.derived.state.rawValue, label: $0.derived.label, request: $0.request?.id, until: $0.request?.until)
                }
            }
        } catch {
            for index in result.indices where result[index].role.hasPrefix("consumer ") && result[index].error == nil {
                result[index].error = "subscriptions could not be read: \(describe(error))"
            }
        }
        return result
    }

    /// Every subscription of the mesh with its state, read from every account that can be opened,
    /// and the accounts that could not be (what they hold is unknown, not absent).
    public func subscriptions(clock: any AWSClock) async throws -> (views: [SubscriptionView], notRead: [String: String]) {
        let config = workspace.config
        let opened = await OpenedAccounts.open(config, resolver: resolver, region: region)
        let mesh = try await SubscriptionReader(config: config).read(opened)
        return (SubscriptionPlanner(config: config).views(mesh, now: clock.now()), mesh.notRead)
    }

    /// `vend doctor`: every check, central first.
    public func doctor() async throws -> [DoctorCheck] {
        let config = workspace.config
        let products = workspace.products.map(\.definition)
        var checks: [DoctorCheck] = []
        var buckets: [String: String] = [:]
        var rolesChecked: Set<String> = []
        for producer in config.producers {
            let domain = producer.domain ?? producer.profile
            let (found, bucket) = await Doctor.producer(domain: domain, config: config, workspace: products,
                                                        clients: try open("producer \(domain)", producer).clients,
                                                        checkRoles: rolesChecked.insert(producer.accountId).inserted)
            checks += found
            if let bucket { buckets[domain] = bucket }
        }
        for consumer in config.consumers {
            let domain = consumer.domain ?? consumer.profile
            checks += await Doctor.consumer(domain: domain, config: config, workspace: products, clients: try open("consumer \(domain)", consumer).clients)
        }
        let central = await Doctor.central(config: config, workspace: products, region: region, clients: try open("central", config.central).clients,
                                           producerBuckets: buckets)
        return central + checks + (await subscriptionChecks())
    }

    /// The per-subscription checks (no check when no account holds a subscription); an account that
    /// cannot be opened makes its subscriptions a skipped check, and reading them a failed one.
    func subscriptionChecks() async -> [DoctorCheck] {
        let config = workspace.config
        guard !config.consumers.isEmpty else { return [] }
        let opened = await OpenedAccounts.open(config, resolver: resolver, region: region)
        do {
            let mesh = try await SubscriptionReader(config: config).read(opened)
            let views = SubscriptionPlanner(config: config).views(mesh, now: SystemClock().now())
            return await Doctor.subscriptions(views, mesh: mesh, config: config, accounts: opened)
        } catch {
            return [DoctorCheck(account: "central", name: "subscriptions can be read", status: .fail, detail: "could not read them: \(error)")]
        }
    }

    /// `vend access`: every account of vend.yaml read (identity checked), then each table of the
    /// mesh evaluated for `principal` (an assumed-role session ARN stands for its role).
    public func access(principal: String) async throws -> [AccessVerdict] {
        var read: [AccessReader.Account] = []
        for target in accounts {
            let context = try await resolver.resolve(.init(label: target.label, profile: target.account.profile, region: region,
                                                           expectedAccountId: target.account.accountId))
            read.append(.init(accountId: target.account.accountId, label: target.label, clients: context.clients))
        }
        let snapshot = try await AccessReader.read(config: workspace.config, accounts: read)
        return AccessEvaluator.evaluate(principal: principal, snapshot: snapshot)
    }
}
