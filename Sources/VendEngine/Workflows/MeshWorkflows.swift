import AWSCore
import AWSServices
import Foundation
import VendBundle
import VendModel

/// `vend plan` (the mesh part) and `vend apply`: vend.yaml is the declaration of the whole mesh;
/// plan reads every account it can (central alone is enough) and shows what apply would change,
/// apply converges AWS to it along one dependency graph.
public struct MeshWorkflows: ScopedWorkflows {
    /// The workspace, resolver and region.
    public var scope: WorkflowScope
    /// The central profile (default: vend.yaml's).
    public var centralProfile: String?
    /// Where publish builds bundles.
    public var build: CentralWorkflows.BuildOptions
    /// The clock (expiry, the lock's lease).
    public var clock: any AWSClock

    /// Creates the workflows.
    public init(scope: WorkflowScope, centralProfile: String?, build: CentralWorkflows.BuildOptions, clock: any AWSClock = SystemClock()) {
        self.scope = scope
        self.centralProfile = centralProfile
        self.build = build
        self.clock = clock
    }

    var config: MeshConfig { workspace.config }

    /// What `plan` shows.
    public struct PlanReport: Sendable {
        /// The mesh plan (central changes included).
        public var plan: MeshPlan
        /// The publish plans, rendered as `vend plan` always did.
        public var catalog: [PublishPlan]
        /// Per update action id, the resource changes Service Catalog's plan reported (with `--resource-changes`).
        public var resourceChanges: [String: [ServiceCatalog.ResourceChange]]
        /// The saved form (`--out`).
        public var saved: SavedMeshPlan
    }

    /// What `apply` did.
    public struct ApplyReport: Sendable, Codable, Equatable {
        /// Each action's outcome, in the plan's order.
        public var outcomes: [MeshExecutor.Outcome]
        /// The notes of the plan applied.
        public var notes: [MeshNote]
    }

    // MARK: - Entry points

    /// Reads and plans. `targets` restricts the plan to those domains' closure; `prune` plans
    /// removals of what vend.yaml no longer declares.
    public func plan(targets: [String] = [], prune: Bool = false, resourceChanges: Bool = false) async throws -> PlanReport {
        let desired = try desiredMesh(targets: targets)
        let accounts = await open()
        let (live, catalog) = try await read(desired, accounts)
        var plan = try planned(desired, live: live, catalog: catalog, prune: prune)
        if !targets.isEmpty { plan = try targeted(plan, targets) }
        var changes: [String: [ServiceCatalog.ResourceChange]] = [:]
        if resourceChanges { changes = try await self.resourceChanges(plan, live: live, accounts: accounts) }
        return PlanReport(plan: plan, catalog: catalog.map(\.plan), resourceChanges: changes,
                          saved: try SavedMeshPlan(workspace: workspace, vendVersion: build.toolVersion, region: region, targets: targets, prune: prune, plan: plan))
    }

    /// Applies `expected` (what the user saw or saved): re-reads, refuses when the live state of an
    /// account it read moved, then runs it. A plan without changes makes no call that changes anything.
    public func apply(_ expected: SavedMeshPlan) async throws -> ApplyReport {
        try expected.check(workspace: workspace, vendVersion: build.toolVersion, region: region)
        guard expected.plan.hasChanges else { return ApplyReport(outcomes: [], notes: expected.plan.notes) }
        let desired = try desiredMesh(targets: expected.targets)
        let accounts = await open()
        let central = try centralContext(accounts)
        // The lock lives in the artifact bucket, which the baseline makes: a first apply deploys
        // the baseline before it can take the lock (bootstrap is itself idempotent and safe to race).
        let bucket = config.artifacts.bucketName(accountId: config.central.accountId, region: region)
        var plan = expected
        let needsBaseline = plan.plan.actions.contains { $0.kind == .bootstrap }
        if needsBaseline, try await !bucketExists(bucket, central) {
            central.progress("apply: the artifact bucket does not exist yet — deploying the baseline before taking the lock")
            _ = try await CentralWorkflows(workspace: workspace, resolver: resolver, profile: centralProfile, regions: [region]).bootstrap()
            let fresh = try await self.plan(targets: expected.targets, prune: expected.prune)
            try Self.sameApartFromBaseline(expected.plan, fresh.plan, central: config.central.accountId, file: expected.source)
            plan.plan = fresh.plan
        }
        // The lease is wall-clock time between real processes, whatever clock the run is given.
        let lock = ApplyLock(s3: central.clients.s3, bucket: bucket, clock: SystemClock())
        let runId = UUID().uuidString.lowercased()
        let checked = plan
        return try await lock.withLock(runId: runId, holder: central.callerArn, leaseSeconds: Double(config.apply.lockLeaseSeconds), command: "apply") {
            try await self.run(checked, desired: desired, accounts: accounts, central: central)
        }
    }

    /// A saved plan whose baseline apply itself deployed (before the lock) still holds when the
    /// plan made after it has the same other actions and every other account reads as it did;
    /// central's own state moved by that deployment, so its fingerprint is not compared.
    static func sameApartFromBaseline(_ saved: MeshPlan, _ fresh: MeshPlan, central: String, file: String) throws {
        let others: (MeshPlan) -> [String] = { plan in plan.actions.filter { $0.kind != .bootstrap }.map(\.id).sorted() }
        if others(saved) != others(fresh) {
            throw MeshError.liveStateMoved(account: central, label: saved.labels[central] ?? "central", file: file)
        }
        for (account, fingerprint) in saved.fingerprints.sorted(by: { $0.key < $1.key }) where account != central && fresh.fingerprints[account] != fingerprint {
            throw MeshError.liveStateMoved(account: account, label: saved.labels[account] ?? account, file: file)
        }
    }

    /// Under the lock: re-reads, refuses when an account's live state moved since the plan, runs it.
    func run(_ expected: SavedMeshPlan, desired: DesiredMesh, accounts: OpenedAccounts, central: AccountContext) async throws -> ApplyReport {
        let (live, catalog) = try await read(desired, accounts)
        var plan = try planned(desired, live: live, catalog: catalog, prune: expected.prune)
        if !expected.targets.isEmpty { plan = try targeted(plan, expected.targets) }
        for (account, fingerprint) in expected.plan.fingerprints.sorted(by: { $0.key < $1.key }) where plan.fingerprints[account] != fingerprint {
            throw MeshError.liveStateMoved(account: account, label: expected.plan.labels[account] ?? account, file: expected.source)
        }
        let workflows = CentralWorkflows(workspace: workspace, resolver: resolver, profile: centralProfile, regions: [region])
        let build = self.build
        let steps = MeshExecutor.CentralSteps(
            bootstrap: {
                let results = try await workflows.bootstrap()
                return results.map { "\($0.region): baseline \($0.action)" }.joined(separator: "; ")
            },
            publish: {
                let results = try await workflows.publish(build: build, apply: true)
                return results.map { "\($0.region): \($0.products.count) product(s) published" }.joined(separator: "; ")
            })
        let clock = self.clock
        var executor = MeshExecutor(workspace: workspace, accounts: accounts, central: steps, now: { clock.now() })
        executor.targets = Set(expected.targets)
        let outcomes = await executor.run(expected.plan, live: live)
        try await record(outcomes, plan: expected.plan, desired: desired, previous: live.applied, central: central)
        return ApplyReport(outcomes: outcomes, notes: expected.plan.notes)
    }

    /// Whether the artifact bucket exists (HeadBucket-like: a listing of nothing).
    func bucketExists(_ bucket: String, _ central: AccountContext) async throws -> Bool {
        do {
            _ = try await central.clients.s3.listObjectsPage(bucket: bucket, prefix: "vend/locks/", continuationToken: nil)
            return true
        } catch let error as AWSServiceError where error.code == "NoSuchBucket" || error.meaning == .notFound {
            return false
        }
    }

    // MARK: - Steps

    /// The declaration, with the targets checked against it.
    func desiredMesh(targets: [String]) throws -> DesiredMesh {
        let desired = try DesiredMesh.from(workspace, region: region)
        for target in targets where !desired.domains.contains(target) {
            throw MeshError.unknownTarget(domain: target, known: desired.domains)
        }
        return desired
    }

    /// Every account of vend.yaml, opened in parallel (central with its profile override).
    func open() async -> OpenedAccounts {
        var profiles: [String: String] = [:]
        if let centralProfile { profiles[config.central.accountId] = centralProfile }
        return await OpenedAccounts.open(config, resolver: resolver, region: region, profiles: profiles)
    }

    func centralContext(_ accounts: OpenedAccounts) throws -> AccountContext {
        guard let central = accounts.contexts[config.central.accountId] else {
            throw MeshError.centralNotRead(reason: accounts.failures[config.central.accountId] ?? "not opened")
        }
        return central
    }

    /// The live mesh and the catalog's publish plan, read at once.
    func read(_ desired: DesiredMesh, _ accounts: OpenedAccounts) async throws -> (LiveMesh, [Publisher.RegionResult]) {
        _ = try centralContext(accounts)
        let workflows = CentralWorkflows(workspace: workspace, resolver: resolver, profile: centralProfile, regions: [region])
        async let live = MeshReader(workspace: workspace, desired: desired).read(accounts)
        async let catalog = workflows.publish(build: build, apply: false)
        return (try await live, try await catalog)
    }

    /// Each product's versions a launch can use once the catalog is published: the active ones
    /// read, and the workspace's, which publish makes. Assumption (Service Catalog): a version
    /// whose `Active` is false cannot be launched or updated to
    /// (https://docs.aws.amazon.com/servicecatalog/latest/dg/API_UpdateProvisioningArtifact.html).
    /// A deprecated version (guidance DEPRECATED, still active) passes this check: it catches pins
    /// to versions the catalog does not hold or has deactivated, not every refusal.
    static func launchable(_ catalog: [Publisher.RegionResult], workspace: Workspace) -> [String: Set<String>]? {
        guard let snapshot = catalog.first?.snapshot else { return nil }
        var versions: [String: Set<String>] = [:]
        for product in workspace.products {
            let name = product.definition.name
            versions[name] = Set(snapshot.products[name]?.versions.filter(\.active).map(\.name) ?? []).union([product.definition.version.description])
        }
        return versions
    }

    /// The plan of the live state.
    func planned(_ desired: DesiredMesh, live: LiveMesh, catalog results: [Publisher.RegionResult], prune: Bool) throws -> MeshPlan {
        let catalog = results.map(\.plan)
        let template = workspace.root.appendingPathComponent(Workspace.baselineTemplate)
        guard let data = try? Data(contentsOf: template) else {
            throw EngineError.missingFile(path: Workspace.baselineTemplate, why: "the central baseline template is missing")
        }
        var live = live
        // The catalog's steps join central's fingerprint: a publish by someone else moves the plan.
        let steps = catalog.flatMap { plan in plan.allSteps.map { "\(plan.region): \($0.summary)" } }
        live.readLines[config.central.accountId, default: []] += steps.map { "catalog|\($0)" }
        let refusals = catalog.flatMap(\.refusals).map { "\($0)" }
        return MeshPlanner(config: config, desired: desired, prune: prune, now: clock.now())
            .plan(live, catalog: steps, refusals: refusals, baselineTemplateDigest: SHA256Hasher.hex(data), launchable: Self.launchable(results, workspace: workspace))
    }

    /// The targets' closure; refused while central changes are pending.
    func targeted(_ plan: MeshPlan, _ targets: [String]) throws -> MeshPlan {
        let central = plan.actions.filter { $0.kind == .bootstrap || $0.kind == .publish }
        if !central.isEmpty { throw MeshError.targetWithCentralChanges(changes: central.map(\.summary)) }
        return plan.targeting(Set(targets))
    }

    /// For each update, Service Catalog's own view of the resources it would change: a
    /// provisioned product plan is created, read, and deleted. Assumption (AWS): a plan of type
    /// CLOUDFORMATION lists `ResourceChanges` once its status is CREATE_SUCCESS
    /// (https://docs.aws.amazon.com/servicecatalog/latest/dg/API_DescribeProvisionedProductPlan.html).
    func resourceChanges(_ plan: MeshPlan, live: LiveMesh, accounts: OpenedAccounts) async throws -> [String: [ServiceCatalog.ResourceChange]] {
        var result: [String: [ServiceCatalog.ResourceChange]] = [:]
        let central = try centralContext(accounts)
        for action in plan.actions where action.kind == .update {
            guard var declared = action.product, let context = accounts.contexts[action.account],
                  let current = live.product(declared.name, in: declared.account) else { continue }
            if declared.parameters[DesiredMesh.bucketParameter] != nil { declared.parameters[DesiredMesh.bucketParameter] = current.parameters[DesiredMesh.bucketParameter] }
            let sc = context.clients.serviceCatalog
            let portfolio = try await PortfolioLocator.require(config.portfolio.name, side: .owned, in: central)
            let product = try LaunchProduct(workspace: workspace, name: declared.product, version: declared.version)
            let target = try await LaunchPreparer(environment: context.launchEnvironment)
                .prepare(portfolio: .init(id: portfolio, name: config.portfolio.name, owned: declared.account == config.central.accountId),
                         principal: context.principal, product: product)
            let planName = "vend-plan-\(declared.name)"
            let created = try await sc.createProvisionedProductPlan(.init(PlanName: planName, PlanType: "CLOUDFORMATION", PathId: target.pathId,
                                                                          ProductId: target.productId, ProvisionedProductName: declared.name,
                                                                          ProvisioningArtifactId: target.artifactId,
                                                                          ProvisioningParameters: declared.parameters.sorted { $0.key < $1.key }.map { .init(Key: $0.key, Value: $0.value) },
                                                                          IdempotencyToken: IdempotencyToken.make(["plan", current.id, target.artifactId, current.lastRecordId])))
            guard let planId = created.PlanId else { continue }
            var changes: [ServiceCatalog.ResourceChange] = []
            do {
                for attempt in 0..<120 {
                    let described = try await sc.describeProvisionedProductPlan(.init(PlanId: planId))
                    let status = described.ProvisionedProductPlanDetails?.Status ?? ""
                    if status == "CREATE_SUCCESS" {
                        changes = described.ResourceChanges ?? []
                        break
                    }
                    if status.hasSuffix("FAILED") {
                        throw LaunchError.recordFailed(label: planName, what: "provisioned product plan", status: status,
                                                       errors: described.ProvisionedProductPlanDetails?.StatusMessage ?? "", cause: "parameters, launch role policy")
                    }
                    try await clock.sleep(seconds: min(0.2 * Double(attempt + 1), 2))
                }
            } catch {
                _ = try? await sc.deleteProvisionedProductPlan(.init(PlanId: planId, IgnoreErrors: true))
                throw error
            }
            _ = try await sc.deleteProvisionedProductPlan(.init(PlanId: planId, IgnoreErrors: true))
            result[action.id] = changes
        }
        return result
    }

    /// Keeps what apply made (so removals later know it), after the run.
    func record(_ outcomes: [MeshExecutor.Outcome], plan: MeshPlan, desired: DesiredMesh, previous: AppliedRecord, central: AccountContext) async throws {
        let record = Self.recorded(outcomes, plan: plan, desired: desired, previous: previous)
        let bucket = config.artifacts.bucketName(accountId: config.central.accountId, region: region)
        try await record.write(s3: central.clients.s3, bucket: bucket, previous: previous)
    }

    /// The record after a run: `previous`, plus every declared object whose changes did not fail,
    /// minus what the run revoked, terminated or removed.
    static func recorded(_ outcomes: [MeshExecutor.Outcome], plan: MeshPlan, desired: DesiredMesh, previous: AppliedRecord) -> AppliedRecord {
        let failed = Set(outcomes.filter { $0.status == "failed" || $0.status == "blocked" }.map(\.id))
        let planned = Dictionary(plan.actions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func ok(_ id: String) -> Bool { planned[id] == nil || !failed.contains(id) }
        var record = previous
        for producer in desired.producers where ok("launch:\(producer.onboarding.name)") && ok("launch:\(producer.registration.name)") {
            record.producers.append(producer.domain)
            for source in producer.sources where ok("source:\(producer.domain)/\(source.name)") && outcomes.first(where: { $0.id == "source:\(producer.domain)/\(source.name)" })?.status != "waiting" {
                record.sources.append("\(producer.domain)/\(source.name)")
            }
        }
        for consumer in desired.consumers where consumer.onboarding.map({ ok("launch:\($0.name)") }) == true {
            record.consumers.append(consumer.domain)
            record.consumerAccounts[consumer.domain] = consumer.account
            for domain in consumer.subscriptions where ok("request:\(consumer.domain)/\(domain)") { record.subscriptions.append("\(consumer.domain)/\(domain)") }
        }
        for action in plan.actions where !failed.contains(action.id) {
            switch action.kind {
            case .revoke: if let pair = action.subscription { record.subscriptions.removeAll { $0 == "\(pair.consumer)/\(pair.domain)" } }
            case .terminate:
                record.producers.removeAll { action.domains.contains($0) }
                if let domain = action.domains.first, action.provisionedProduct == MeshRules.consumerName(domain) {
                    record.consumers.removeAll { $0 == domain }
                    record.consumerAccounts[domain] = nil
                }
            case .removeSource: if let source = action.source, let domain = action.domains.first { record.sources.removeAll { $0 == "\(domain)/\(source.name)" } }
            default: break
            }
        }
        return record
    }
}

/// A plan as `vend plan --out FILE` saves it: what it was planned from (vend, vend.yaml and the
/// products, by digest), per account a fingerprint of what it read, and the actions.
public struct SavedMeshPlan: Sendable, Codable, Equatable {
    public var formatVersion = 1
    public var vendVersion: String
    public var configDigest: String
    public var productsDigest: String
    public var region: String
    public var targets: [String]
    public var prune: Bool
    public var plan: MeshPlan
    /// Where it was read from (not saved).
    public var source = "the plan"

    enum CodingKeys: String, CodingKey { case formatVersion, vendVersion, configDigest, productsDigest, region, targets, prune, plan }

    /// The plan of `workspace` as planned now.
    public init(workspace: Workspace, vendVersion: String, region: String, targets: [String], prune: Bool, plan: MeshPlan) throws {
        self.vendVersion = vendVersion
        (configDigest, productsDigest) = try Self.digests(workspace)
        self.region = region
        self.targets = targets
        self.prune = prune
        self.plan = plan
    }

    /// SHA-256 of vend.yaml's declaration (as parsed, keys sorted) and of every product file (by path).
    static func digests(_ workspace: Workspace) throws -> (String, String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let config = try encoder.encode(workspace.config)
        var lines: [String] = []
        for product in workspace.products {
            for (path, data) in product.files { lines.append("\(product.definition.name)/\(path) \(SHA256Hasher.hex(data))") }
        }
        return (SHA256Hasher.hex(config), SHA256Hasher.hex(Data(lines.sorted().joined(separator: "\n").utf8)))
    }

    /// Refuses a plan made from other inputs.
    func check(workspace: Workspace, vendVersion current: String, region: String) throws {
        let (config, products) = try Self.digests(workspace)
        if formatVersion != 1 { throw MeshError.unreadablePlan(file: source, why: "format version \(formatVersion), this vend reads 1") }
        if vendVersion != current { throw MeshError.planInputsChanged(what: "vend (\(vendVersion), this is \(current))", file: source) }
        if config != configDigest { throw MeshError.planInputsChanged(what: "vend.yaml", file: source) }
        if products != productsDigest { throw MeshError.planInputsChanged(what: "products/ content", file: source) }
        if region != self.region { throw MeshError.planInputsChanged(what: "region (\(self.region))", file: source) }
    }

    /// Reads a saved plan.
    public static func load(_ url: URL, displayPath: String) throws -> SavedMeshPlan {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw MeshError.unreadablePlan(file: displayPath, why: "it cannot be read (\(error.localizedDescription))") }
        do {
            var plan = try JSONDecoder().decode(SavedMeshPlan.self, from: data)
            plan.source = displayPath
            return plan
        } catch {
            throw MeshError.unreadablePlan(file: displayPath, why: "it is not a saved plan (\(error))")
        }
    }

    /// The JSON written by `--out`.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
