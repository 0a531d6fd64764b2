import AWSCore
import AWSServices
import Foundation
import VendModel

/// Runs a mesh plan along its dependency graph: every action starts once what it depends on
/// finished, in parallel across domains and accounts, bounded overall, per account, and for
/// central's Lake Formation writes. A failed action blocks what depends on it; the others finish.
public struct MeshExecutor: Sendable {
    /// What happened to one action.
    public struct Outcome: Sendable, Equatable, Codable {
        /// `done`, `unchanged`, `waiting` (for data), `failed` or `blocked`.
        public var status: String
        public var id: String
        public var summary: String
        public var detail: String
    }

    /// The central steps (bootstrap, publish) the workflow runs itself.
    public struct CentralSteps: Sendable {
        public var bootstrap: @Sendable () async throws -> String
        public var publish: @Sendable () async throws -> String

        /// Creates the steps.
        public init(bootstrap: @escaping @Sendable () async throws -> String, publish: @escaping @Sendable () async throws -> String) {
            self.bootstrap = bootstrap
            self.publish = publish
        }
    }

    public var workspace: Workspace
    public var accounts: OpenedAccounts
    public var central: CentralSteps
    public var now: @Sendable () -> Date
    /// `--target`: the converge touches only keys of these domains (empty: every domain).
    public var targets: Set<String> = []

    /// Creates the executor.
    public init(workspace: Workspace, accounts: OpenedAccounts, central: CentralSteps, now: @escaping @Sendable () -> Date) {
        self.workspace = workspace
        self.accounts = accounts
        self.central = central
        self.now = now
    }

    var config: MeshConfig { workspace.config }

    /// Runs every action; returns one outcome per action, in the plan's order.
    public func run(_ plan: MeshPlan, live: LiveMesh) async -> [Outcome] {
        let policy = config.apply
        let overall = AsyncSemaphore(policy.parallel)
        let centralLF = AsyncSemaphore(policy.centralLakeFormation)
        var perAccount: [String: AsyncSemaphore] = [:]
        for account in Set(plan.actions.map(\.account)).union(accounts.contexts.keys) { perAccount[account] = AsyncSemaphore(policy.perAccount) }
        let bounds = Bounds(overall: overall, centralLF: centralLF, perAccount: perAccount)
        let portfolio = PortfolioCache()
        var tasks: [String: Task<Outcome, Never>] = [:]
        for action in Self.ordered(plan.actions) {
            let dependencies = action.dependsOn.compactMap { tasks[$0] }
            let executor = self
            tasks[action.id] = Task {
                var blockers: [String] = []
                for dependency in dependencies {
                    let outcome = await dependency.value
                    if outcome.status == "failed" || outcome.status == "blocked" { blockers.append(outcome.id) }
                }
                if !blockers.isEmpty {
                    return Outcome(status: "blocked", id: action.id, summary: action.summary, detail: "waits for \(blockers.joined(separator: ", "))")
                }
                return await executor.perform(action, live: live, bounds: bounds, portfolio: portfolio)
            }
        }
        var outcomes: [Outcome] = []
        for action in plan.actions {
            if let task = tasks[action.id] { outcomes.append(await task.value) }
        }
        return outcomes
    }

    /// Dependencies before dependants (the planner already orders them; this keeps it true).
    static func ordered(_ actions: [MeshAction]) -> [MeshAction] {
        var placed: Set<String> = []
        var result: [MeshAction] = []
        var remaining = actions
        let ids = Set(actions.map(\.id))
        while !remaining.isEmpty {
            let ready = remaining.filter { $0.dependsOn.allSatisfy { placed.contains($0) || !ids.contains($0) } }
            // A cycle cannot come from the planner; run what is left in order rather than hang.
            let batch = ready.isEmpty ? remaining : ready
            for action in batch { placed.insert(action.id) }
            result += batch
            let batchIds = Set(batch.map(\.id))
            remaining.removeAll { batchIds.contains($0.id) }
        }
        return result
    }

    struct Bounds: Sendable {
        var overall: AsyncSemaphore
        var centralLF: AsyncSemaphore
        var perAccount: [String: AsyncSemaphore]

        /// Runs `body` holding the overall and the account's permits (and central LF's when it writes there).
        func run<T: Sendable>(account: String, centralLakeFormation: Bool, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
            let semaphore = perAccount[account]
            let inAccount: @Sendable () async throws -> T = {
                if let semaphore { return try await semaphore.run(body) }
                return try await body()
            }
            let centralLF = self.centralLF
            return try await overall.run {
                centralLakeFormation ? try await centralLF.run(inAccount) : try await inAccount()
            }
        }
    }

    /// The owned portfolio's id in central, looked up once (after publish made it).
    actor PortfolioCache {
        var id: String?
        func get(_ lookup: @Sendable () async throws -> String) async throws -> String {
            if let id { return id }
            let found = try await lookup()
            id = found
            return found
        }
    }

    /// One action, as an outcome (errors become `failed`).
    func perform(_ action: MeshAction, live: LiveMesh, bounds: Bounds, portfolio: PortfolioCache) async -> Outcome {
        let outcome: @Sendable (String, String) -> Outcome = { status, detail in Outcome(status: status, id: action.id, summary: action.summary, detail: detail) }
        do {
            switch action.kind {
            case .bootstrap:
                return outcome("done", try await bounds.run(account: action.account, centralLakeFormation: true) { try await central.bootstrap() })
            case .publish:
                return outcome("done", try await central.publish())
            case .converge:
                return try await converge(action, applied: live.applied, bounds: bounds, outcome: outcome)
            default:
                let context = try self.context(action.account)
                let writesCentralLF = action.account == config.central.accountId && [.launch, .update, .replace, .terminate, .repair].contains(action.kind)
                return try await bounds.run(account: action.account, centralLakeFormation: writesCentralLF) {
                    try await perform(action, in: context, live: live, portfolio: portfolio, outcome: outcome)
                }
            }
        } catch {
            return outcome("failed", "\(error)")
        }
    }

    func context(_ account: String) throws -> AccountContext {
        guard let context = accounts.contexts[account] else {
            throw SubscriptionError.accountNotOpened(account: account, reason: accounts.failures[account] ?? "not in vend.yaml", needed: "this change")
        }
        return context
    }

    func centralContext() throws -> AccountContext { try context(config.central.accountId) }

    /// The account-local actions.
    func perform(_ action: MeshAction, in context: AccountContext, live: LiveMesh, portfolio: PortfolioCache,
                 outcome: @Sendable (String, String) -> Outcome) async throws -> Outcome {
        switch action.kind {
        case .launch, .update, .replace:
            guard var declared = action.product else { return outcome("failed", "the plan names no product") }
            if declared.parameters[DesiredMesh.bucketParameter] != nil, let producer = config.producers.first(where: { $0.domain == declared.domain }) {
                // The registration is fed the onboarding's bucket as it is now (it may just have launched).
                let onboarding = try self.context(producer.accountId)
                guard let pp = try await Provisioner.provisionedProduct(named: MeshRules.producerName(declared.domain), in: onboarding.clients.serviceCatalog),
                      let id = pp.Id, let bucket = try await SubscriptionReader.outputs(id, onboarding.clients.serviceCatalog)["BucketName"], !bucket.isEmpty else {
                    throw EngineError.missingOutput(provisionedProduct: MeshRules.producerName(declared.domain), output: "BucketName",
                                                    template: "products/\(MeshRules.producerOnboarding)/template.yaml")
                }
                declared.parameters[DesiredMesh.bucketParameter] = bucket
            }
            let centralContext = try centralContext()
            let portfolioId = try await portfolio.get { try await PortfolioLocator.require(config.portfolio.name, side: .owned, in: centralContext) }
            let product = try LaunchProduct(workspace: workspace, name: declared.product, version: declared.version)
            let owned = declared.account == config.central.accountId
            let target = try await LaunchPreparer(environment: context.launchEnvironment)
                .prepare(portfolio: .init(id: portfolioId, name: config.portfolio.name, owned: owned), principal: context.principal, product: product)
            // A first launch that failed (ERROR, nothing kept) is terminated and launched again.
            let result = try await Provisioner(environment: context.launchEnvironment, replaceFailedFirstLaunch: true)
                .provision(name: declared.name, product: product, target: target, parameters: declared.parameters)
            return outcome(result.action == "unchanged" ? "unchanged" : "done", "\(declared.name): \(result.action) (\(result.version))")
        case .addSource:
            guard let source = action.source, let domain = action.domains.first else { return outcome("failed", "the plan names no source") }
            do {
                let result = try await DataSourceAdder(environment: context.launchEnvironment)
                    .run(provisionedProductName: MeshRules.producerRegistrationName(domain), source: source.name, prefix: source.prefix, format: source.format)
                return outcome(result.action == "unchanged" ? "unchanged" : "done", "crawler \(result.crawler) over \(result.s3Path): \(result.action)")
            } catch let error as LaunchError {
                // An empty prefix is data not there yet, not a failure: the next apply adds it.
                if case .crawlFoundNoData = error { return outcome("waiting", "waiting for data: \(error)") }
                throw error
            }
        case .retargetSource:
            guard let source = action.source, let domain = action.domains.first else { return outcome("failed", "the plan names no source") }
            let registration = MeshRules.producerRegistrationName(domain)
            guard let pp = try await Provisioner.provisionedProduct(named: registration, in: context.clients.serviceCatalog), let id = pp.Id,
                  let location = try await SubscriptionReader.outputs(id, context.clients.serviceCatalog)["LocationArn"],
                  let path = MeshPlanner.s3Path(bucket: location.split(separator: ":").last.map(String.init), prefix: source.prefix) else {
                throw LaunchError.registrationMissing(name: registration, accountId: context.accountId)
            }
            let crawler = "\(MeshRules.databaseName(domain))-\(source.name)"
            // Assumption (Glue): UpdateCrawler replaces the targets given and keeps the rest
            // (https://docs.aws.amazon.com/glue/latest/webapi/API_UpdateCrawler.html).
            _ = try await context.clients.glue.updateCrawler(.init(Name: crawler, Targets: .init(S3Targets: [.init(Path: path)])))
            return outcome("done", "crawler \(crawler) crawls \(path) again")
        case .removeSource:
            guard let source = action.source, let domain = action.domains.first else { return outcome("failed", "the plan names no source") }
            let crawler = "\(MeshRules.databaseName(domain))-\(source.name)"
            _ = try await context.clients.glue.deleteCrawler(.init(Name: crawler))
            return outcome("done", "crawler \(crawler) removed (its tables and the data are kept)")
        case .repair:
            let repairs = try await MeshRepair.repair(context, workspace: workspace.products, apply: true, only: action.provisionedProduct)
            let failed = repairs.filter { $0.action == "failed" }
            if !failed.isEmpty { return outcome("failed", failed.map(\.detail).joined(separator: "; ")) }
            let made = repairs.filter { $0.action == "granted" || $0.action == "created" }
            return outcome(made.isEmpty ? "unchanged" : "done", made.map { "\($0.action) \($0.detail)" }.joined(separator: "; "))
        case .request:
            guard let pair = action.subscription else { return outcome("failed", "the plan names no subscription") }
            let version = live.subscriptions.requests[pair]?.version ?? 0
            let recordId = try await SubscriptionWorkflows.requestAccess(consumer: pair.consumer, domain: pair.domain, reason: MeshPlanner.declaredReason,
                                                                        until: nil, in: context, currentVersion: version)
            return outcome("done", "request written (record \(recordId))")
        case .revoke:
            // The consumer's account is the request's (AWS vouched for it when it was read): a consumer
            // domain removed from vend.yaml has no declaration left to name it.
            guard let pair = action.subscription,
                  let consumerAccount = live.subscriptions.requests[pair]?.account ?? config.consumers.first(where: { $0.domain == pair.consumer })?.accountId else {
                return outcome("failed", "the plan names no subscription whose consumer account is known")
            }
            try await SubscriptionStore(ssm: context.clients.ssm, accountId: context.accountId)
                .write(.revoked, on: pair, consumerAccount: consumerAccount, requestVersion: live.subscriptions.requests[pair]?.version ?? 0,
                       reason: "no longer in vend.yaml")
            return outcome("done", "revocation written in central; its keys go with the converge")
        case .terminate:
            guard let name = action.provisionedProduct else { return outcome("failed", "the plan names no provisioned product") }
            _ = try await ProvisionedLifecycle(environment: context.launchEnvironment).terminate(name: name, ignoreErrors: false)
            return outcome("done", "\(name) terminated (retained resources, such as buckets, are kept)")
        case .bootstrap, .publish, .converge:
            return outcome("failed", "not an account action")
        }
    }

    /// Reads the subscriptions again (the requests and revocations just written) and converges
    /// their keys: central's grants, then the links, then the analysts' access, each wave in
    /// parallel within the bounds; releases after, in reverse order.
    func converge(_ action: MeshAction, applied: AppliedRecord, bounds: Bounds, outcome: @Sendable (String, String) -> Outcome) async throws -> Outcome {
        var mesh = try await SubscriptionReader(config: config).read(accounts, records: false)
        let planner = MeshPlanner.subscriptionPlanner(config, mesh, applied: applied)
        let due = planner.converge(mesh, now: now()).filter { action in
            // A targeted run converges only its domains' keys: the producer domain's, or those
            // serving a targeted consumer domain's account.
            guard !targets.isEmpty else { return true }
            let consumers = config.consumers.filter { $0.accountId == planner.consumerAccount(of: action.key) }.compactMap(\.domain)
            return targets.contains(action.key.domain) || !targets.isDisjoint(with: consumers)
        }
        guard !due.isEmpty else { return outcome("unchanged", "every subscription's keys are in place") }
        let region = try centralContext().region
        let executor = SubscriptionExecutor(workspace: workspace, region: region, accounts: accounts)
        var done: [String] = []
        var pending: [String] = []
        let launches = due.filter { if case .launch = $0 { return true } else { return false } }
        for wave in 0..<3 {
            let batch = launches.filter { action in
                switch action.key {
                case .registration: return wave == 0
                case .link: return wave == 1
                case .access: return wave == 2
                }
            }
            let current = mesh
            let central = config.central.accountId
            let results = try await batch.concurrentMap { key in
                let holding = key.key.holdingAccount(central: central)
                // Central's grants (consumer-registration) are Lake Formation writes in central.
                return try await bounds.run(account: holding, centralLakeFormation: holding == central) { try await executor.apply([key], mesh: current) }
            }
            for (key, result) in zip(batch, results) {
                done += result.done
                pending += result.pending
                if let launched = result.launched.first {
                    mesh.keys[key.key] = KeyHolder(provisionedProductId: launched.id, name: launched.name, status: launched.status)
                }
            }
        }
        let releases = due.filter { if case .launch = $0 { return false } else { return true } }
        if !releases.isEmpty {
            let result = try await executor.apply(releases, mesh: mesh)
            done += result.done
            pending += result.pending
        }
        let detail = (done + pending.map { "left: \($0)" }).joined(separator: "; ")
        return outcome(pending.isEmpty ? "done" : "failed", detail)
    }
}
