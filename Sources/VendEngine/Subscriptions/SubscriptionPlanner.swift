import Foundation
import VendModel

/// What one provisioned product holding a subscription key looks like.
public struct KeyHolder: Sendable, Equatable, Codable {
    /// The provisioned product's id.
    public var provisionedProductId: String
    /// Its name.
    public var name: String
    /// Its Service Catalog status (`AVAILABLE`, `UNDER_CHANGE`, `TAINTED`, `ERROR`, `PLAN_IN_PROGRESS`).
    public var status: String
    /// The consumer domain whose consumer-onboarding holds the key, when it was launched before
    /// subscriptions (its link and analyst grants); released by updating that product, never by
    /// terminating it.
    public var legacyConsumer: String?

    /// Creates a holder.
    public init(provisionedProductId: String, name: String, status: String, legacyConsumer: String? = nil) {
        self.provisionedProductId = provisionedProductId
        self.name = name
        self.status = status
        self.legacyConsumer = legacyConsumer
    }

    /// Whether a legacy consumer-onboarding holds it.
    public var isLegacy: Bool { legacyConsumer != nil }

    /// Whether what it holds is in place.
    public var isAvailable: Bool { status == "AVAILABLE" }
}

/// Everything vend read about the mesh's subscriptions, in every account it could open.
public struct MeshSubscriptions: Sendable, Equatable {
    /// The current request of each pair.
    public var requests: [Subscription: SubscriptionRequest]
    /// The latest decision on each pair (from the domain's account and central, the later one).
    public var decisions: [Subscription: SubscriptionDecision]
    /// The provisioned product holding each key that exists.
    public var keys: [SubscriptionKey: KeyHolder]
    /// The principals granted on every domain a consumer reads: its analyst roles and its probe role.
    public var principals: [String: [String]]
    /// Accounts that could not be read, with why; what they hold is unknown, not absent.
    public var notRead: [String: String]

    /// Creates a snapshot.
    public init(requests: [Subscription: SubscriptionRequest] = [:], decisions: [Subscription: SubscriptionDecision] = [:],
                keys: [SubscriptionKey: KeyHolder] = [:], principals: [String: [String]] = [:], notRead: [String: String] = [:]) {
        self.requests = requests
        self.decisions = decisions
        self.keys = keys
        self.principals = principals
        self.notRead = notRead
    }
}

/// One subscription as a reader shows it.
public struct SubscriptionView: Sendable, Equatable, Codable {
    /// The pair.
    public var subscription: Subscription
    /// Its derived state.
    public var derived: DerivedSubscription
    /// The request, when there is one.
    public var request: SubscriptionRequest?
    /// The decision that counts, when there is one.
    public var decision: SubscriptionDecision?
    /// The keys it needs, and whether each exists.
    public var keys: [SubscriptionKey: Bool]
}

/// A change to the keys: launch one that is needed and missing, or release one no active
/// subscription needs any more.
public enum KeyAction: Sendable, Equatable, CustomStringConvertible {
    /// Launch the key's product.
    case launch(SubscriptionKey)
    /// Terminate the provisioned product that holds the key.
    case terminate(SubscriptionKey, KeyHolder)
    /// Release a key held by a legacy consumer-onboarding (update it without the legacy subscription).
    case releaseLegacy(SubscriptionKey, KeyHolder)

    /// The key.
    public var key: SubscriptionKey {
        switch self {
        case .launch(let key), .terminate(let key, _), .releaseLegacy(let key, _): return key
        }
    }

    /// What it does, for progress and reports.
    public var description: String {
        switch self {
        case .launch(let key): return "launch \(key.provisionedName) (\(key))"
        case .terminate(let key, let holder): return "terminate \(holder.name) (\(key))"
        case .releaseLegacy(let key, let holder): return "update \(holder.name) without its legacy subscription (\(key))"
        }
    }
}

/// The pure half of subscriptions: states from a snapshot, and the key changes that make the
/// mesh match them. Reference counting lives here: a key is kept while any subscription that
/// wants access needs it.
public struct SubscriptionPlanner: Sendable {
    /// The mesh.
    public var config: MeshConfig
    /// Producer domains vend.yaml no longer declares whose keys are still vend's to release:
    /// apply made every subscription to them (`MeshPlanner.formerDomains`).
    public var formerDomains: Set<String> = []
    /// Central's grants to accounts vend.yaml no longer names as a consumer's that are still vend's
    /// to release (`MeshPlanner.formerRegistrations`).
    public var formerRegistrations: Set<SubscriptionKey> = []

    /// Creates the planner.
    public init(config: MeshConfig, formerDomains: Set<String> = [], formerRegistrations: Set<SubscriptionKey> = []) {
        self.config = config
        self.formerDomains = formerDomains
        self.formerRegistrations = formerRegistrations
    }

    /// The keys a pair needs: central's grant to the consumer account, the account's link, and each
    /// of the consumer's principals' grants.
    public func keys(of subscription: Subscription, principals: [String: [String]]) -> [SubscriptionKey] {
        guard let account = config.consumers.first(where: { $0.domain == subscription.consumer })?.accountId else { return [] }
        var keys: [SubscriptionKey] = [.registration(account: account, domain: subscription.domain), .link(account: account, domain: subscription.domain)]
        for principal in principals[subscription.consumer] ?? [] {
            keys.append(.access(principal: principal, domain: subscription.domain))
        }
        return keys
    }

    /// Whether `principal` may decide for `domain`: a declared owner (roles compared by account and
    /// name, whatever their path; an assumed-role session counts as its role), any principal of the
    /// domain's account when it declares none, and always central.
    public func isOwner(_ principal: String, of domain: String) -> Bool {
        let caller = Principal(principal)
        if caller.account == config.central.accountId { return true }
        guard let producer = config.producers.first(where: { $0.domain == domain }) else { return false }
        if producer.owners.isEmpty { return caller.account == producer.accountId }
        return producer.owners.contains { Principal($0) == caller }
    }

    /// Every pair with a request, a decision or a key, with its state.
    public func views(_ mesh: MeshSubscriptions, now: Date) -> [SubscriptionView] {
        var pairs = Set(mesh.requests.keys).union(mesh.decisions.keys)
        for consumer in config.consumers {
            guard let name = consumer.domain else { continue }
            for producer in config.producers {
                guard let domain = producer.domain else { continue }
                let pair = Subscription(consumer: name, domain: domain)
                if !specific(pair, mesh).isEmpty { pairs.insert(pair) }
            }
        }
        // First pass: which pairs want access (that does not depend on what only they hold).
        var first: [Subscription: DerivedSubscription] = [:]
        for pair in pairs {
            first[pair] = derive(pair, mesh, now: now, remaining: false)
        }
        let wanted = Set(first.filter { $0.value.state.wantsAccess }.keys)
        let needed = Set(wanted.flatMap { keys(of: $0, principals: mesh.principals) })
        return pairs.sorted().compactMap { pair in
            let own = keys(of: pair, principals: mesh.principals)
            let remaining = own.contains { !needed.contains($0) && mesh.keys[$0] != nil }
            guard let derived = derive(pair, mesh, now: now, remaining: remaining) else { return nil }
            let decision = mesh.decisions[pair].flatMap { isOwner($0.decidedBy, of: pair.domain) ? $0 : nil }
            return SubscriptionView(subscription: pair, derived: derived, request: mesh.requests[pair], decision: decision,
                                    keys: Dictionary(uniqueKeysWithValues: own.map { ($0, mesh.keys[$0] != nil) }))
        }
    }

    /// The key changes that make the mesh match its subscriptions' states: launch every key a
    /// wanting pair lacks; release every existing key that no wanting pair needs. Keys in accounts
    /// that were not read are left alone (unknown is not absent). Launches come in creation order
    /// (registration, link, access), releases in the reverse.
    public func converge(_ mesh: MeshSubscriptions, now: Date) -> [KeyAction] {
        let views = views(mesh, now: now)
        let wanted = views.filter { $0.derived.state.wantsAccess }.map(\.subscription)
        let needed = Set(wanted.flatMap { keys(of: $0, principals: mesh.principals) })
        let launches = needed.filter { mesh.keys[$0] == nil }.sorted().map(KeyAction.launch)
        // What an unread account holds is unknown, not absent: a request in an unread consumer
        // account or an approval in an unread producer account may still need a key, so nothing
        // that could serve them is released.
        let unreadConsumers = Set(config.consumers.map(\.accountId).filter { mesh.notRead[$0] != nil })
        let unreadDomains = Set(config.producers.filter { mesh.notRead[$0.accountId] != nil }.compactMap(\.domain))
        let releases = mesh.keys.filter { key, _ in
            !needed.contains(key) && owned(key, mesh) && !unreadDomains.contains(key.domain) && !unreadConsumers.contains(consumerAccount(of: key))
        }
            .sorted { $0.key > $1.key }
            .map { key, holder in holder.isLegacy ? KeyAction.releaseLegacy(key, holder) : .terminate(key, holder) }
        return launches + releases
    }

    /// The consumer account a key serves.
    func consumerAccount(of key: SubscriptionKey) -> String {
        switch key {
        case .registration(let account, _), .link(let account, _): return account
        case .access(let principal, _): return MeshConfig.accountId(ofARN: principal)
        }
    }

    /// Whether vend manages the key: it serves a declared consumer account and a declared (or
    /// former, see `formerDomains`) producer domain. Keys for domains or accounts vend.yaml does
    /// not name are someone else's.
    func owned(_ key: SubscriptionKey, _ mesh: MeshSubscriptions) -> Bool {
        if formerRegistrations.contains(key) { return true }
        let domains = Set(config.producers.compactMap(\.domain)).union(formerDomains)
        guard domains.contains(key.domain) else { return false }
        let accounts = Set(config.consumers.map(\.accountId))
        return accounts.contains(key.holdingAccount(central: config.central.accountId)) || {
            if case .registration(let account, _) = key { return accounts.contains(account) }
            return false
        }()
    }

    /// The existing keys that show this very pair was subscribed: its principals' grants on the
    /// domain, and whatever its legacy consumer-onboarding holds. (Central's grant and the link are
    /// per account and may serve another consumer domain of the same account.)
    func specific(_ pair: Subscription, _ mesh: MeshSubscriptions) -> [SubscriptionKey] {
        let principals = Set(mesh.principals[pair.consumer] ?? [])
        let others = Set(mesh.principals.filter { $0.key != pair.consumer }.flatMap(\.value))
        return mesh.keys.compactMap { key, holder in
            guard key.domain == pair.domain else { return nil }
            if holder.legacyConsumer == pair.consumer { return key }
            if case .access(let principal, _) = key, principals.contains(principal), !others.contains(principal), holder.legacyConsumer == nil { return key }
            return nil
        }.sorted()
    }

    private func derive(_ pair: Subscription, _ mesh: MeshSubscriptions, now: Date, remaining: Bool) -> DerivedSubscription? {
        let own = keys(of: pair, principals: mesh.principals)
        let complete = !own.isEmpty && own.allSatisfy { mesh.keys[$0]?.isAvailable == true }
        let present = !specific(pair, mesh).isEmpty
        let policy = config.producers.first { $0.domain == pair.domain }?.approval ?? .owner
        return DerivedSubscription.derive(request: mesh.requests[pair], decision: mesh.decisions[pair], approval: policy,
                                          isOwner: { isOwner($0, of: pair.domain) }, keysComplete: complete,
                                          keysPresent: present, keysRemaining: remaining, now: now)
    }
}

/// An IAM principal reduced to what identifies it for an owner check: account, kind and name. A
/// role's path is dropped (Lake Formation and STS show roles without it), and an assumed-role
/// session (`arn:aws:sts::A:assumed-role/R/session`) is its role.
struct Principal: Equatable {
    var account: String
    var kind: String
    var name: String

    init(_ arn: String) {
        let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        account = fields.count > 4 ? fields[4] : ""
        let resource = fields.count > 5 ? fields[5].split(separator: "/").map(String.init) : []
        switch resource.first {
        case "assumed-role":
            kind = "role"
            name = resource.count > 1 ? resource[1] : ""
        case .some(let first):
            kind = first
            name = resource.last ?? ""
        case .none:
            kind = ""
            name = ""
        }
    }
}
