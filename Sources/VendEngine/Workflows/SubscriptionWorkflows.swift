import AWSCore
import AWSServices
import Foundation
import VendModel

/// `subscribe`, `requests`, `approve`, `reject`, `unsubscribe`: read → pure plan → apply. Every
/// command that changes something first sweeps expired subscriptions and then converges the keys
/// with the accounts it could open; read commands only show.
public struct SubscriptionWorkflows: ScopedWorkflows {
    /// The workspace, resolver and region.
    public var scope: WorkflowScope
    /// The clock expiry is judged by.
    public var clock: any AWSClock
    /// Profiles to use instead of vend.yaml's, by account id (e.g. the deciding profile).
    public var profiles: [String: String]

    /// Creates the workflows.
    public init(scope: WorkflowScope, clock: any AWSClock, profiles: [String: String] = [:]) {
        self.scope = scope
        self.clock = clock
        self.profiles = profiles
    }

    var config: MeshConfig { workspace.config }
    var planner: SubscriptionPlanner { SubscriptionPlanner(config: config) }

    // MARK: - Reports

    /// One request as `requests` lists it.
    public struct RequestRow: Sendable, Codable, Equatable {
        public var id: String
        public var consumer: String
        public var domain: String
        public var state: String
        public var label: String
        public var requestedBy: String
        public var requestedByUnverified: String
        public var requestedAt: Date?
        public var reason: String
        public var expiresAt: Date?
        public var account: String
        public var decidedBy: String?
        public var ignoredDecisionBy: String?
    }

    /// What a changing command did.
    public struct ChangeReport: Sendable, Codable, Equatable {
        /// The pair's request id (when there is one).
        public var id: String?
        /// The pair.
        public var consumer: String
        public var domain: String
        /// The state after the command.
        public var state: String
        /// How a reader shows it.
        public var label: String
        /// What was done, in order ("request written", "launch …", "terminate …").
        public var done: [String]
        /// What is left and why (accounts not opened, keys held by a legacy product still needed).
        public var pending: [String]
        /// A notice (e.g. "already unsubscribed").
        public var notice: String?
        /// The provisioned products this run launched for the mesh's subscriptions.
        public var provisionedProducts: [Provisioner.Result] = []
        /// Whether something was left because an account it needs could not be opened (or, for the
        /// accounts it could not read, could not be judged): a re-run must finish it.
        public var incomplete = false
    }

    // MARK: - Entry points

    /// Every pair with a request, decision or grant, filtered.
    public func requests(consumer: String?, domain: String?, state: SubscriptionState?) async throws -> [RequestRow] {
        try await listing(consumer: consumer, domain: domain, state: state).rows
    }

    /// `requests`, with the accounts that could not be read (their requests and decisions are unknown).
    public func listing(consumer: String?, domain: String?, state: SubscriptionState?) async throws -> (rows: [RequestRow], notRead: [String: String]) {
        if let consumer { _ = try MeshRules.consumer(consumer, in: config) }
        if let domain { _ = try MeshRules.producer(domain, in: config) }
        let accounts = await OpenedAccounts.open(config, resolver: resolver, region: region, profiles: profiles)
        let mesh = try await SubscriptionReader(config: config).read(accounts)
        let rows = planner.views(mesh, now: clock.now()).filter { view in
            (consumer == nil || view.subscription.consumer == consumer) && (domain == nil || view.subscription.domain == domain)
                && (state == nil || view.derived.state == state)
        }.map(Self.row)
        return (rows, mesh.notRead)
    }

    /// Asks for `consumer` to read `domain` through RequestAccess on the consumer's onboarding, then
    /// converges (a domain with `approval: auto` is granted at once). Re-running with the same
    /// inputs makes no new request; with `keepExisting`, a pair already pending, approved or active
    /// keeps its request whatever its reason and expiry (launch-consumer's `--reads`).
    public func subscribe(consumer: String, domain: String, reason: String, until: String?, keepExisting: Bool = false) async throws -> ChangeReport {
        let consumerAccount = try MeshRules.consumer(consumer, in: config)
        _ = try MeshRules.producer(domain, in: config)
        let untilDate = try until.map(checkDay)
        let pair = Subscription(consumer: consumer, domain: domain)
        let accounts = await OpenedAccounts.open(config, resolver: resolver, region: region, profiles: profiles)
        guard let spoke = accounts.contexts[consumerAccount.accountId] else {
            throw SubscriptionError.accountNotOpened(account: consumerAccount.accountId, reason: accounts.failures[consumerAccount.accountId] ?? "?",
                                                     needed: "a request (it is kept in the consumer's account)")
        }
        var (mesh, done) = try await readSwept(accounts)
        let current = planner.views(mesh, now: clock.now()).first { $0.subscription == pair }
        let same = current.map { view in
            view.request.map { $0.reason == reason && $0.until == untilDate } ?? view.derived.withoutRequest
        } ?? false
        if let current, same || keepExisting, [.pending, .approved, .active].contains(current.derived.state) {
            spoke.progress("\(pair): already requested (\(current.derived.label))")
        } else {
            let recordId = try await Self.requestAccess(consumer: consumer, domain: domain, reason: reason, until: untilDate, in: spoke,
                                                        currentVersion: mesh.requests[pair]?.version ?? 0)
            done.append("request written (record \(recordId))")
            mesh = try await SubscriptionReader(config: config).read(accounts)
            if var request = mesh.requests[pair] {
                request.recordId = recordId
                mesh.requests[pair] = request
            }
        }
        return try await finish(pair, mesh: mesh, accounts: accounts, done: done)
    }

    /// Approves a pending request as the caller (an owner of the domain, or central).
    public func approve(id: String, reason: String, profile: String?) async throws -> ChangeReport {
        try await decide(id: id, verdict: .approved, reason: reason, profile: profile)
    }

    /// Rejects a pending request as the caller (an owner of the domain, or central).
    public func reject(id: String, reason: String, profile: String?) async throws -> ChangeReport {
        try await decide(id: id, verdict: .rejected, reason: reason, profile: profile)
    }

    /// Takes access back: a revocation in central, then the keys only this pair needed are released.
    public func unsubscribe(consumer: String, domain: String) async throws -> ChangeReport {
        let consumerAccount = try MeshRules.consumer(consumer, in: config)
        _ = try MeshRules.producer(domain, in: config)
        let pair = Subscription(consumer: consumer, domain: domain)
        let accounts = await OpenedAccounts.open(config, resolver: resolver, region: region, profiles: profiles)
        guard let central = accounts.contexts[config.central.accountId] else {
            throw SubscriptionError.accountNotOpened(account: config.central.accountId, reason: accounts.failures[config.central.accountId] ?? "?",
                                                     needed: "a revocation (it is kept in central)")
        }
        // The request and the consumer's keys live in its account: without it, whether the pair is
        // subscribed is unknown, and nothing is written.
        if let reason = accounts.failures[consumerAccount.accountId] {
            throw SubscriptionError.accountNotOpened(account: consumerAccount.accountId, reason: reason,
                                                     needed: "an unsubscribe (the request and the consumer's grants are there)")
        }
        var (mesh, done) = try await readSwept(accounts)
        guard let view = planner.views(mesh, now: clock.now()).first(where: { $0.subscription == pair }) else {
            throw SubscriptionError.neverSubscribed(consumer: consumer, domain: domain)
        }
        if view.derived.state == .revoked && !view.derived.revocationPending {
            return report(view, done: done, pending: [], notice: "already unsubscribed")
        }
        if view.derived.state != .revoked {
            try await SubscriptionStore(ssm: central.clients.ssm, accountId: central.accountId)
                .write(.revoked, on: pair, consumerAccount: try consumerAccountId(consumer), requestVersion: view.request?.version ?? 0, reason: "unsubscribed")
            done.append("revocation written in central")
        }
        if !done.isEmpty { mesh = try await SubscriptionReader(config: config).read(accounts) }
        return try await finish(pair, mesh: mesh, accounts: accounts, done: done)
    }

    // MARK: - Steps

    /// Runs RequestAccess on the consumer's consumer-onboarding (the request is written in its
    /// account by the action's automation); returns the record id. `currentVersion` (the pair's
    /// request version now) joins the token: asking again after a rejection is a new request.
    static func requestAccess(consumer: String, domain: String, reason: String, until: Date?, in spoke: AccountContext, currentVersion: Int) async throws -> String {
        let name = MeshRules.consumerName(consumer)
        guard let product = try await Provisioner.provisionedProduct(named: name, in: spoke.clients.serviceCatalog) else {
            throw SubscriptionError.consumerNotOnboarded(consumer: consumer, provisionedProduct: name)
        }
        spoke.progress("\(Subscription(consumer: consumer, domain: domain)): requesting access (RequestAccess on \(name))")
        let parameters = ["ConsumerDomain": consumer, "ProducerDomain": domain, "Reason": reason,
                          "Until": until.map(SubscriptionStore.day) ?? "", "RequestedBy": spoke.callerArn]
        let execution = try await ServiceActionRunner(environment: spoke.launchEnvironment)
            .run(MeshRules.requestAccessAction, on: product, parameters: parameters, extraToken: ["v\(currentVersion)"])
        if let failure = execution.failure {
            throw SubscriptionError.requestFailed(consumer: consumer, domain: domain, recordId: execution.recordId, failure: failure)
        }
        return execution.recordId
    }

    func decide(id: String, verdict: SubscriptionDecision.Verdict, reason: String, profile: String?) async throws -> ChangeReport {
        let accounts = await OpenedAccounts.open(config, resolver: resolver, region: region, profiles: profiles)
        let mesh = try await SubscriptionReader(config: config).read(accounts)
        let views = planner.views(mesh, now: clock.now())
        guard let view = views.first(where: { Self.matches($0, id) }), let request = view.request else {
            throw SubscriptionError.noSuchRequest(id: id, known: views.compactMap { $0.request?.id })
        }
        let pair = view.subscription
        let producer = try MeshRules.producer(pair.domain, in: config)
        // The decider: the given profile, else the domain's own; its account keeps the decision.
        let deciderProfile = profile ?? producer.profile
        let deciderAccount = config.central.profile == deciderProfile ? config.central.accountId
            : ([config.central] + config.producers + config.consumers).first { $0.profile == deciderProfile }?.accountId
        guard let deciderAccount else {
            throw EngineError.profileNotInConfig(profile: deciderProfile, known: ([config.central] + config.producers + config.consumers).map(\.profile))
        }
        guard deciderAccount == producer.accountId || deciderAccount == config.central.accountId else {
            throw SubscriptionError.decisionAccount(profile: deciderProfile, account: deciderAccount, domainAccount: producer.accountId, central: config.central.accountId)
        }
        let decider = try await resolver.resolve(.init(label: "decider", profile: deciderProfile, region: region, expectedAccountId: deciderAccount))
        guard planner.isOwner(decider.callerArn, of: pair.domain) else {
            throw SubscriptionError.notAnOwner(caller: decider.callerArn, domain: pair.domain, owners: producer.owners,
                                               domainAccount: producer.accountId, central: config.central.accountId)
        }
        // After the owner check: a refused caller changes nothing, not even an expiry.
        var done = try await sweep(accounts, mesh: mesh)
        let state = view.derived.state
        let asked = verdict == .approved ? "approved" : "rejected"
        switch (verdict, state) {
        case (.approved, .approved), (.approved, .active), (.rejected, .rejected):
            decider.progress("\(request.id): already \(asked)")
        case (_, .pending):
            try await SubscriptionStore(ssm: decider.clients.ssm, accountId: decider.accountId)
                .write(verdict, on: pair, consumerAccount: request.account, requestVersion: request.version, reason: reason)
            done.append("\(asked) by \(decider.callerArn)")
        default:
            throw SubscriptionError.alreadyDecided(id: request.id, state: view.derived.label, asked: asked)
        }
        var after = done.isEmpty ? mesh : try await SubscriptionReader(config: config).read(accounts)
        after.requests[pair]?.recordId = request.recordId
        return try await finish(pair, mesh: after, accounts: accounts, done: done)
    }

    /// The mesh read once, with expired subscriptions swept (and read again only when the sweep wrote).
    func readSwept(_ accounts: OpenedAccounts) async throws -> (MeshSubscriptions, [String]) {
        let mesh = try await SubscriptionReader(config: config).read(accounts)
        let done = try await sweep(accounts, mesh: mesh)
        return (done.isEmpty ? mesh : try await SubscriptionReader(config: config).read(accounts), done)
    }

    /// Expired subscriptions become revoked (a revocation with reason `expired`, in central when
    /// it is open); their keys go with the next converge.
    func sweep(_ accounts: OpenedAccounts, mesh: MeshSubscriptions) async throws -> [String] {
        guard let central = accounts.contexts[config.central.accountId] else { return [] }
        var done: [String] = []
        for view in planner.views(mesh, now: clock.now()) where view.derived.state == .expired {
            try await SubscriptionStore(ssm: central.clients.ssm, accountId: central.accountId)
                .write(.revoked, on: view.subscription, consumerAccount: try consumerAccountId(view.subscription.consumer),
                       requestVersion: view.request?.version ?? 0, reason: "expired")
            done.append("\(view.subscription): expired, revoked")
        }
        return done
    }

    /// Converges the keys with the accounts open, re-reads, and reports the pair.
    func finish(_ pair: Subscription, mesh: MeshSubscriptions, accounts: OpenedAccounts, done: [String]) async throws -> ChangeReport {
        var done = done
        let result = try await SubscriptionExecutor(workspace: workspace, region: region, accounts: accounts)
            .apply(planner.converge(mesh, now: clock.now()), mesh: mesh)
        done += result.done
        let launched = result.launched
        // Read again only when the keys changed: otherwise the mesh read before is the state.
        var after = result.done.isEmpty ? mesh : try await SubscriptionReader(config: config).read(accounts)
        after.requests[pair]?.recordId = mesh.requests[pair]?.recordId
        guard let view = planner.views(after, now: clock.now()).first(where: { $0.subscription == pair }) else {
            return ChangeReport(id: nil, consumer: pair.consumer, domain: pair.domain, state: "none", label: "none", done: done, pending: result.pending,
                                notice: nil, provisionedProducts: launched, incomplete: result.incomplete || unopened(pair, accounts))
        }
        var changed = report(view, done: done, pending: result.pending, notice: nil)
        changed.provisionedProducts = launched
        changed.incomplete = result.incomplete || unopened(pair, accounts)
        return changed
    }

    /// Whether an account the pair's keys live in (the consumer's, the domain's, central) could not
    /// be opened: its keys were neither changed nor judged, so the pair may not be as asked.
    func unopened(_ pair: Subscription, _ accounts: OpenedAccounts) -> Bool {
        let relevant = [config.central.accountId] + config.consumers.filter { $0.domain == pair.consumer }.map(\.accountId)
            + config.producers.filter { $0.domain == pair.domain }.map(\.accountId)
        return relevant.contains { accounts.failures[$0] != nil }
    }

    func report(_ view: SubscriptionView, done: [String], pending: [String], notice: String?) -> ChangeReport {
        ChangeReport(id: view.request?.id, consumer: view.subscription.consumer, domain: view.subscription.domain, state: view.derived.state.rawValue,
                     label: view.derived.label, done: done, pending: pending, notice: notice)
    }

    func consumerAccountId(_ consumer: String) throws -> String { try MeshRules.consumer(consumer, in: config).accountId }

    /// A `--until` day, refused when it is already over.
    func checkDay(_ text: String) throws -> Date {
        guard let end = SubscriptionStore.endOfDay(text) else { throw SubscriptionError.badDay(text: text) }
        let now = clock.now()
        if end < now { throw SubscriptionError.expiryInPast(day: text, today: SubscriptionStore.day(now)) }
        return end
    }

    /// Whether `id` names the view: its record id, `consumer/domain@vN`, or `consumer/domain`.
    static func matches(_ view: SubscriptionView, _ id: String) -> Bool {
        guard let request = view.request else { return false }
        return request.id == id || request.recordId == id || "\(view.subscription.consumer)/\(view.subscription.domain)@v\(request.version)" == id
            || "\(view.subscription.consumer)/\(view.subscription.domain)" == id
    }

    static func row(_ view: SubscriptionView) -> RequestRow {
        RequestRow(id: view.request?.id ?? "\(view.subscription.consumer)/\(view.subscription.domain)", consumer: view.subscription.consumer,
                   domain: view.subscription.domain, state: view.derived.state.rawValue, label: view.derived.label,
                   requestedBy: view.request?.writer ?? "", requestedByUnverified: view.request?.requestedByUnverified ?? "",
                   requestedAt: view.request?.requestedAt, reason: view.request?.reason ?? "", expiresAt: view.request?.until,
                   account: view.request?.account ?? "", decidedBy: view.decision?.decidedBy, ignoredDecisionBy: view.derived.ignoredDecisionBy)
    }
}
