import Foundation
import Testing
import VendEngine
import VendModel
import VendTestSupport

/// The pure half of subscriptions: states derived from request, decision, policy, keys and clock
/// (every row of the README's state table), and reference-counted key changes.
@Suite("Subscriptions: states and key changes")
struct SubscriptionPlannerTests {
    static let central = "111111111111"
    static let producerAccount = "222222222222"
    static let consumerAccount = "333333333333"
    static let analyst = "arn:aws:iam::333333333333:role/Analyst"
    static let marketingAnalyst = "arn:aws:iam::333333333333:role/MarketingAnalyst"
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let pair = Subscription(consumer: "analytics", domain: "retail")

    /// retail (auto) and sales (owner) in the producer account; analytics and marketing, two consumer
    /// domains in one consumer account.
    static func config(salesOwners: [String] = []) throws -> MeshConfig {
        var config = try Workspace.load(root: Golden.repositoryRoot()).config
        config.producers = [
            .init(domain: "retail", profile: "producer", accountId: producerAccount, approval: .auto),
            .init(domain: "sales", profile: "producer", accountId: producerAccount, owners: salesOwners),
        ]
        config.consumers = [
            .init(domain: "analytics", profile: "consumer", accountId: consumerAccount, analystRoles: [analyst]),
            .init(domain: "marketing", profile: "consumer", accountId: consumerAccount, analystRoles: [marketingAnalyst]),
        ]
        return config
    }

    static let principals = ["analytics": [analyst], "marketing": [marketingAnalyst]]

    static func request(_ pair: Subscription = pair, version: Int = 1, until: Date? = nil) -> SubscriptionRequest {
        SubscriptionRequest(subscription: pair, account: consumerAccount, version: version, reason: "dashboards", until: until,
                            writer: "arn:aws:sts::333333333333:assumed-role/VendConsumerOnboardingLaunchRole/ssm")
    }

    static func decision(_ verdict: SubscriptionDecision.Verdict, _ pair: Subscription = pair, version: Int = 1,
                         by: String = "arn:aws:sts::222222222222:assumed-role/SalesOwner/alice") -> SubscriptionDecision {
        SubscriptionDecision(subscription: pair, requestVersion: version, verdict: verdict, decidedBy: by)
    }

    static func holder(_ key: SubscriptionKey, status: String = "AVAILABLE", legacy: String? = nil) -> KeyHolder {
        KeyHolder(provisionedProductId: "pp-\(abs(key.vendKey.hashValue) % 100_000)", name: key.provisionedName, status: status, legacyConsumer: legacy)
    }

    static func keys(_ pair: Subscription, principals: [String]) -> [SubscriptionKey] {
        [.registration(account: consumerAccount, domain: pair.domain), .link(account: consumerAccount, domain: pair.domain)]
            + principals.map { .access(principal: $0, domain: pair.domain) }
    }

    // MARK: - the state table

    struct Row: Sendable, CustomTestStringConvertible {
        var name: String
        var approval: MeshConfig.Approval
        var request: SubscriptionRequest?
        var decision: SubscriptionDecision?
        var complete = false
        var present = false
        var remaining = false
        var expected: String?
        var testDescription: String { name }
    }

    static let yesterday = now.addingTimeInterval(-86_400)
    static let tomorrow = now.addingTimeInterval(86_400)
    static let rows: [Row] = [
        Row(name: "never subscribed", approval: .owner, expected: nil),
        Row(name: "requested, owner policy, no decision", approval: .owner, request: request(), expected: "pending"),
        Row(name: "requested, auto policy, keys missing", approval: .auto, request: request(), expected: "approved, not yet active"),
        Row(name: "requested, auto policy, keys made", approval: .auto, request: request(), complete: true, present: true, expected: "active"),
        Row(name: "approved by an owner, keys missing", approval: .owner, request: request(), decision: decision(.approved), expected: "approved, not yet active"),
        Row(name: "approved by an owner, keys made", approval: .owner, request: request(), decision: decision(.approved), complete: true, present: true, expected: "active"),
        Row(name: "approved by someone else: ignored", approval: .owner, request: request(),
            decision: decision(.approved, by: "arn:aws:sts::333333333333:assumed-role/Consumer/mallory"), expected: "pending"),
        Row(name: "rejected", approval: .owner, request: request(), decision: decision(.rejected), expected: "rejected"),
        Row(name: "a new request after a rejection", approval: .owner, request: request(version: 2), decision: decision(.rejected), expected: "pending"),
        Row(name: "revoked, nothing left", approval: .owner, request: request(), decision: decision(.revoked), expected: "revoked"),
        Row(name: "revoked, keys left", approval: .owner, request: request(), decision: decision(.revoked), present: true, remaining: true,
            expected: "revoked, revocation pending"),
        Row(name: "revoked on auto, then asked again", approval: .auto, request: request(version: 2), decision: decision(.revoked), expected: "approved, not yet active"),
        Row(name: "past its day, keys left", approval: .auto, request: request(until: yesterday), complete: true, present: true, remaining: true,
            expected: "expired, revocation pending"),
        Row(name: "past its day, nothing left", approval: .auto, request: request(until: yesterday), expected: "expired"),
        Row(name: "before its day", approval: .auto, request: request(until: tomorrow), complete: true, present: true, expected: "active"),
        Row(name: "rejection wins over expiry", approval: .owner, request: request(until: yesterday), decision: decision(.rejected), expected: "rejected"),
        Row(name: "no request, keys of a launch before subscriptions", approval: .owner, complete: true, present: true, expected: "active"),
        Row(name: "no request, some keys", approval: .owner, present: true, expected: "approved, not yet active"),
        Row(name: "no request, revoked, keys left", approval: .owner, decision: decision(.revoked), present: true, remaining: true,
            expected: "revoked, revocation pending"),
    ]

    @Test("each row of the state table", arguments: rows)
    func stateTable(row: Row) throws {
        let planner = SubscriptionPlanner(config: try Self.config(salesOwners: ["arn:aws:iam::222222222222:role/SalesOwner"]))
        let derived = DerivedSubscription.derive(request: row.request, decision: row.decision, approval: row.approval,
                                                 isOwner: { planner.isOwner($0, of: "sales") }, keysComplete: row.complete,
                                                 keysPresent: row.present, keysRemaining: row.remaining, now: Self.now)
        #expect(derived?.label == row.expected)
    }

    @Test("owners: a declared role in any session and with any path, any principal of the domain's account when none are declared, central always")
    func owners() throws {
        let declared = SubscriptionPlanner(config: try Self.config(salesOwners: ["arn:aws:iam::222222222222:role/teams/SalesOwner"]))
        #expect(declared.isOwner("arn:aws:sts::222222222222:assumed-role/SalesOwner/bob", of: "sales"))
        #expect(declared.isOwner("arn:aws:iam::222222222222:role/SalesOwner", of: "sales"))
        #expect(!declared.isOwner("arn:aws:sts::222222222222:assumed-role/Other/bob", of: "sales"))
        #expect(!declared.isOwner("arn:aws:iam::222222222222:user/SalesOwner", of: "sales"))
        #expect(declared.isOwner("arn:aws:sts::111111111111:assumed-role/Platform/x", of: "sales"))
        #expect(!declared.isOwner("arn:aws:sts::333333333333:assumed-role/SalesOwner/x", of: "sales"))
        #expect(!declared.isOwner("arn:aws:sts::222222222222:assumed-role/SalesOwner/bob", of: "nope"), "an undeclared domain has no owners but central")
        #expect(declared.isOwner("arn:aws:iam::222222222222:user/anyone", of: "retail"), "retail declares no owners")
    }

    // MARK: - key changes

    @Test("an approved subscription launches its keys in creation order; an active one changes nothing")
    func launchesInOrder() throws {
        let planner = SubscriptionPlanner(config: try Self.config())
        var mesh = MeshSubscriptions(requests: [Self.pair: Self.request()], principals: Self.principals)
        let actions = planner.converge(mesh, now: Self.now)
        #expect(actions == Self.keys(Self.pair, principals: [Self.analyst]).map(KeyAction.launch))
        for key in Self.keys(Self.pair, principals: [Self.analyst]) { mesh.keys[key] = Self.holder(key) }
        #expect(planner.converge(mesh, now: Self.now).isEmpty)
        #expect(planner.views(mesh, now: Self.now).map(\.derived.label) == ["active"])
    }

    @Test("two consumer domains in one account share central's grant and the link; removing one keeps them and drops only its analyst's grants")
    func referenceCounting() throws {
        let planner = SubscriptionPlanner(config: try Self.config())
        let marketing = Subscription(consumer: "marketing", domain: "retail")
        var mesh = MeshSubscriptions(requests: [Self.pair: Self.request(), marketing: Self.request(marketing)], principals: Self.principals)
        let all = Set(Self.keys(Self.pair, principals: [Self.analyst]) + Self.keys(marketing, principals: [Self.marketingAnalyst]))
        #expect(all.count == 4, "registration and link are shared")
        #expect(Set(planner.converge(mesh, now: Self.now).map(\.key)) == all)
        for key in all { mesh.keys[key] = Self.holder(key) }
        #expect(planner.converge(mesh, now: Self.now).isEmpty)

        mesh.decisions[marketing] = Self.decision(.revoked, marketing, by: "arn:aws:sts::111111111111:assumed-role/Platform/x")
        let marketingAccess = SubscriptionKey.access(principal: Self.marketingAnalyst, domain: "retail")
        let actions = planner.converge(mesh, now: Self.now)
        #expect(actions.map(\.key) == [marketingAccess])
        if case .terminate = actions.first {} else { Issue.record("expected a terminate, got \(actions)") }
        #expect(planner.views(mesh, now: Self.now).first { $0.subscription == marketing }?.derived.label == "revoked, revocation pending")

        mesh.keys[marketingAccess] = nil
        #expect(planner.converge(mesh, now: Self.now).isEmpty)
        #expect(planner.views(mesh, now: Self.now).map(\.derived.label) == ["active", "revoked"])

        mesh.decisions[Self.pair] = Self.decision(.revoked, by: "arn:aws:sts::111111111111:assumed-role/Platform/x")
        #expect(planner.converge(mesh, now: Self.now).map(\.key) == Self.keys(Self.pair, principals: [Self.analyst]).reversed(),
                "the last reader gone, everything goes, in reverse creation order")
    }

    @Test("adding a subscription to a second domain never touches the first one's keys")
    func addingIsIsolated() throws {
        let planner = SubscriptionPlanner(config: try Self.config())
        var mesh = MeshSubscriptions(requests: [Self.pair: Self.request()], principals: Self.principals)
        for key in Self.keys(Self.pair, principals: [Self.analyst]) { mesh.keys[key] = Self.holder(key) }
        let sales = Subscription(consumer: "analytics", domain: "sales")
        mesh.requests[sales] = Self.request(sales)
        mesh.decisions[sales] = Self.decision(.approved, sales)
        let actions = planner.converge(mesh, now: Self.now)
        #expect(actions == Self.keys(sales, principals: [Self.analyst]).map(KeyAction.launch))
        #expect(actions.allSatisfy { $0.key.domain == "sales" })
    }

    @Test("pending and rejected requests grant nothing; an expired one is released")
    func pendingRejectedExpired() throws {
        let planner = SubscriptionPlanner(config: try Self.config())
        let sales = Subscription(consumer: "analytics", domain: "sales")
        var mesh = MeshSubscriptions(requests: [sales: Self.request(sales)], principals: Self.principals)
        #expect(planner.converge(mesh, now: Self.now).isEmpty, "pending")
        mesh.decisions[sales] = Self.decision(.rejected, sales)
        #expect(planner.converge(mesh, now: Self.now).isEmpty, "rejected")

        var expired = MeshSubscriptions(requests: [Self.pair: Self.request(until: Self.yesterday)], principals: Self.principals)
        for key in Self.keys(Self.pair, principals: [Self.analyst]) { expired.keys[key] = Self.holder(key) }
        #expect(planner.converge(expired, now: Self.now).map(\.key) == Self.keys(Self.pair, principals: [Self.analyst]).reversed())
    }

    @Test("a legacy consumer-onboarding's keys are released by an update, never a terminate; keys of undeclared domains are left alone")
    func legacyAndForeign() throws {
        let planner = SubscriptionPlanner(config: try Self.config())
        let registration = SubscriptionKey.registration(account: Self.consumerAccount, domain: "retail")
        let link = SubscriptionKey.link(account: Self.consumerAccount, domain: "retail")
        let access = SubscriptionKey.access(principal: Self.analyst, domain: "retail")
        var mesh = MeshSubscriptions(keys: [registration: Self.holder(registration, legacy: nil),
                                            link: Self.holder(link, legacy: "analytics"),
                                            access: Self.holder(access, legacy: "analytics")],
                                     principals: Self.principals)
        #expect(planner.views(mesh, now: Self.now).map(\.derived.label) == ["active"], "a launch before subscriptions reads as active")
        #expect(planner.views(mesh, now: Self.now).first?.derived.withoutRequest == true)
        #expect(planner.converge(mesh, now: Self.now).isEmpty)

        mesh.decisions[Self.pair] = Self.decision(.revoked, by: "arn:aws:sts::111111111111:assumed-role/Platform/x")
        let foreign = SubscriptionKey.link(account: Self.consumerAccount, domain: "hr")
        mesh.keys[foreign] = Self.holder(foreign)
        let actions = planner.converge(mesh, now: Self.now)
        #expect(actions.map(\.description) == [
            "update \(Self.holder(access).name) without its legacy subscription (\(access))",
            "update \(Self.holder(link).name) without its legacy subscription (\(link))",
            "terminate \(registration.provisionedName) (\(registration))",
        ])
    }

    @Test("a producer domain removed from vend.yaml: its revoked subscription's keys are released only when it is a former domain apply made every subscription to")
    func formerDomainKeysReleased() throws {
        var config = try Self.config()
        config.producers.removeAll { $0.domain == "sales" }
        let sales = Subscription(consumer: "analytics", domain: "sales")
        var request = Self.request(sales)
        request.reason = MeshPlanner.declaredReason
        var mesh = MeshSubscriptions(requests: [sales: request], principals: Self.principals)
        mesh.decisions[sales] = Self.decision(.revoked, sales, by: "arn:aws:sts::111111111111:assumed-role/Platform/vend")
        for key in Self.keys(sales, principals: [Self.analyst]) { mesh.keys[key] = Self.holder(key) }
        #expect(SubscriptionPlanner(config: config).converge(mesh, now: Self.now).isEmpty, "an undeclared domain's keys are someone else's")

        var applied = AppliedRecord()
        applied.producers = ["sales"]
        applied.subscriptions = ["analytics/sales"]
        let former = MeshPlanner.formerDomains(mesh, applied: applied, declared: ["retail"])
        #expect(former == ["sales"])
        let releases = SubscriptionPlanner(config: config, formerDomains: former).converge(mesh, now: Self.now)
        #expect(Set(releases.map(\.description)) == Set(Self.keys(sales, principals: [Self.analyst]).map { "terminate \($0.provisionedName) (\($0))" }),
                "\(releases.map(\.description))")

        // A subscription to it made by hand keeps the domain's keys where they are; so does a domain apply never touched.
        let marketing = Subscription(consumer: "marketing", domain: "sales")
        mesh.requests[marketing] = Self.request(marketing)
        #expect(MeshPlanner.formerDomains(mesh, applied: applied, declared: ["retail"]).isEmpty)
        mesh.requests[marketing] = nil
        #expect(MeshPlanner.formerDomains(mesh, applied: AppliedRecord(), declared: ["retail"]).isEmpty)
        #expect(MeshPlanner.formerDomains(mesh, applied: applied, declared: ["retail", "sales"]).isEmpty, "a declared domain is not former")
    }

    @Test("a consumer domain removed from vend.yaml with its account: central's grants apply made to that account are released, and nothing else")
    func formerConsumerAccount() throws {
        var config = try Self.config()
        config.consumers = []
        let made = SubscriptionKey.registration(account: Self.consumerAccount, domain: "retail")
        let byHand = SubscriptionKey.registration(account: Self.consumerAccount, domain: "sales")
        let mesh = MeshSubscriptions(keys: [made: Self.holder(made), byHand: Self.holder(byHand)])
        #expect(SubscriptionPlanner(config: config).converge(mesh, now: Self.now).isEmpty, "keys for an account vend.yaml does not name are someone else's")

        var applied = AppliedRecord()
        applied.consumers = ["analytics"]
        applied.subscriptions = ["analytics/retail"]
        applied.consumerAccounts = ["analytics": Self.consumerAccount]
        let former = MeshPlanner.formerRegistrations(applied: applied, config: config)
        #expect(former == [made])
        #expect(SubscriptionPlanner(config: config, formerRegistrations: former).converge(mesh, now: Self.now).map(\.description)
                == ["terminate \(made.provisionedName) (\(made))"])

        // While vend.yaml names another consumer in that account, the account is read and its requests count: nothing is former.
        config = try Self.config()
        config.consumers.removeAll { $0.domain == "analytics" }
        #expect(MeshPlanner.formerRegistrations(applied: applied, config: config).isEmpty)
    }

    @Test("nothing is released on the word of an account that could not be read: its requests or approvals may still need the keys")
    func unreadAccountsKeepKeys() throws {
        let planner = SubscriptionPlanner(config: try Self.config())
        let sales = Subscription(consumer: "analytics", domain: "sales")
        var mesh = MeshSubscriptions(principals: Self.principals)
        // Central's grants and the links serve no subscription that a request, decision or analyst grant shows.
        for key in Self.keys(sales, principals: []) + [.registration(account: Self.consumerAccount, domain: "retail")] { mesh.keys[key] = Self.holder(key) }
        #expect(planner.converge(mesh, now: Self.now).count == 3, "with every account read, unrequested keys go")
        mesh.notRead[Self.producerAccount] = "profile producer: expired token"
        #expect(planner.converge(mesh, now: Self.now).isEmpty, "the producer account's approvals are unknown")
        mesh.notRead = [Self.consumerAccount: "profile consumer: expired token"]
        #expect(planner.converge(mesh, now: Self.now).isEmpty, "the consumer account's requests are unknown")
    }

    @Test("keys name their products and provisioned products within Service Catalog's rules, and round-trip through VendKey")
    func keyNames() {
        let odd = SubscriptionKey.access(principal: "arn:aws:iam::333333333333:role/AWSReservedSSO_Data+Analysts@corp", domain: "retail")
        #expect(odd.provisionedName.range(of: #"^[a-zA-Z0-9][a-zA-Z0-9._-]{0,127}$"#, options: .regularExpression) != nil, "\(odd.provisionedName)")
        #expect(odd.provisionedName != SubscriptionKey.access(principal: "arn:aws:iam::333333333333:role/AWSReservedSSO_Data-Analysts-corp", domain: "retail").provisionedName)
        #expect(SubscriptionKey.access(principal: Self.analyst, domain: "retail").provisionedName == "access-retail-Analyst")
        for key in [odd, .link(account: Self.consumerAccount, domain: "retail"), .registration(account: Self.consumerAccount, domain: "sales")] {
            #expect(SubscriptionKey(vendKey: key.vendKey) == key)
        }
        #expect(SubscriptionKey(vendKey: "grant:333333333333:retail") == nil)
        #expect(SubscriptionKey(vendKey: "link::retail") == nil)
        #expect(SubscriptionKey.registration(account: Self.consumerAccount, domain: "retail").provisionedName == "consumer-registration-333333333333-retail")
    }
}
