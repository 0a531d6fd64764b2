import Foundation
import VendModel

/// Compares the declared mesh with the live one, without a call: what `apply` changes (and in
/// which order), what drifted, and what it shows but leaves alone.
public struct MeshPlanner: Sendable {
    public var config: MeshConfig
    public var desired: DesiredMesh
    /// Whether removals beyond subscriptions (`--prune`) are planned.
    public var prune: Bool
    /// The time expiry is judged by.
    public var now: Date

    /// The reason apply writes into the requests it makes: it marks them as declared, so a pair
    /// removed from vend.yaml is revoked, while a `vend subscribe` request is never touched.
    public static let declaredReason = "declared in vend.yaml"

    /// Creates a planner.
    public init(config: MeshConfig, desired: DesiredMesh, prune: Bool, now: Date) {
        self.config = config
        self.desired = desired
        self.prune = prune
        self.now = now
    }

    /// The plan; `catalog` and `refusals` come from the publish plan, `baselineTemplateDigest` is
    /// the workspace's baseline template's SHA-256, `launchable` the versions of each product a
    /// launch or update can use once the catalog is published (nil: not known, not checked).
    public func plan(_ live: LiveMesh, catalog: [String], refusals: [String], baselineTemplateDigest: String,
                     launchable: [String: Set<String>]? = nil) -> MeshPlan {
        var actions: [MeshAction] = []
        var notes: [MeshNote] = []
        let central = config.central.accountId
        var labels = [central: "central"]
        for producer in desired.producers { labels[producer.account] = labels[producer.account] ?? "producer \(producer.domain)" }
        for consumer in desired.consumers { labels[consumer.account] = labels[consumer.account] ?? "consumer \(consumer.domain)" }
        for (account, reason) in live.notRead.sorted(by: { $0.key < $1.key }) {
            let domains = desired.producers.filter { $0.account == account }.map(\.domain) + desired.consumers.filter { $0.account == account }.map(\.domain)
            notes.append(.init(kind: .notRead, domains: domains, detail: "account \(account): \(reason)"))
        }

        for (domain, region) in desired.elsewhere.sorted(by: { $0.key < $1.key }) {
            notes.append(.init(kind: .blocked, domains: [domain], detail: "\(domain) lives in \(region): apply it with --region \(region) (a run converges one region)"))
        }
        // Central: the baseline (LF tag values derived from the domains; none is ever removed) and the catalog.
        var central_: [String] = []
        let liveValues = Set(live.domainTagValues ?? [])
        let missingValues = desired.domainTagValues.filter { !liveValues.contains($0) }
        if live.baseline == nil || live.domainTagValues == nil {
            central_.append("bootstrap")
            actions.append(action("bootstrap", .bootstrap, [], central, "central", "deploy the central baseline (LF tags: domain = \(desired.domainTagValues.joined(separator: ", ")))"))
        } else if !missingValues.isEmpty || live.baseline?.templateDigest != baselineTemplateDigest {
            central_.append("bootstrap")
            var why: [String] = []
            if !missingValues.isEmpty { why.append("add domain tag value(s) \(missingValues.joined(separator: ", "))") }
            if live.baseline?.templateDigest != baselineTemplateDigest { why.append("the baseline template changed") }
            actions.append(action("bootstrap", .bootstrap, [], central, "central", "update the central baseline: " + why.joined(separator: "; ")))
        }
        if !catalog.isEmpty {
            central_.append("publish")
            actions.append(action("publish", .publish, [], central, "central", "publish the catalog: \(catalog.count) change(s)", dependsOn: central_.filter { $0 == "bootstrap" }))
        }
        let centralDeps = central_

        // Producer domains: onboarding, registration (fed with the bucket), sources.
        var registrationIds: [String: String] = [:]
        for producer in desired.producers {
            let domain = producer.domain
            var onboardingDep: [String] = []
            if live.notRead[producer.account] != nil {
                notes.append(.init(kind: .blocked, domains: [domain], detail: "producer \(domain): account \(producer.account) not read, its onboarding is unknown"))
            } else if let change = compare(producer.onboarding, live, dependsOn: centralDeps) {
                actions.append(change)
                onboardingDep = [change.id]
            }
            // The registration's bucket is the onboarding's output; unknown until it launched.
            var registration = producer.registration
            let bucket = live.product(producer.onboarding.name, in: producer.account)?.outputs["BucketName"].flatMap { $0.isEmpty ? nil : $0 }
            registration.parameters[DesiredMesh.bucketParameter] = bucket ?? "(producer-\(domain)'s BucketName)"
            let bucketKnown = bucket != nil && onboardingDep.isEmpty
            if !bucketKnown && live.notRead[producer.account] != nil && live.product(registration.name, in: central) == nil {
                notes.append(.init(kind: .blocked, domains: [domain], detail: "\(registration.name): waits for producer \(domain)'s account to be read"))
            } else if let change = compare(registration, live, dependsOn: centralDeps + onboardingDep,
                                           unknownParameters: bucketKnown ? [] : [DesiredMesh.bucketParameter]) {
                actions.append(change)
                registrationIds[domain] = change.id
            }
            let registrationDep = registrationIds[domain].map { [$0] } ?? []
            for source in producer.sources {
                let crawler = "\(MeshRules.databaseName(domain))-\(source.name)"
                let path = Self.s3Path(bucket: bucket, prefix: source.prefix)
                if let existing = live.crawlers[crawler] {
                    if let path, !existing.paths.contains(path) {
                        var change = action("retarget:\(domain)/\(source.name)", .retargetSource, [domain], central, "central",
                                            "point crawler \(crawler) back at \(path) (now \(existing.paths.joined(separator: ", ")))", dependsOn: registrationDep)
                        change.drift = true
                        change.source = source
                        actions.append(change)
                    } else if existing.lastCrawl != "SUCCEEDED" {
                        var change = action("source:\(domain)/\(source.name)", .addSource, [domain], central, "central",
                                            "add source \(source.name) (\(source.prefix), \(source.format)): its last crawl is \(existing.lastCrawl.isEmpty ? "not run" : existing.lastCrawl)", dependsOn: registrationDep)
                        change.source = source
                        actions.append(change)
                    }
                } else if live.sourceHasData["\(domain)/\(source.name)"] == false {
                    notes.append(.init(kind: .waitingForData, domains: [domain], detail: "source \(domain)/\(source.name): nothing under \(source.prefix) yet; apply adds it once data is there"))
                } else {
                    var change = action("source:\(domain)/\(source.name)", .addSource, [domain], central, "central",
                                        "add source \(source.name) (\(source.prefix), \(source.format))", dependsOn: registrationDep)
                    change.source = source
                    actions.append(change)
                }
            }
        }

        // Consumer domains: onboarding.
        var consumerIds: [String: String] = [:]
        for consumer in desired.consumers {
            guard let onboarding = consumer.onboarding else {
                notes.append(.init(kind: .blocked, domains: [consumer.domain], detail: MeshError.consumerWithoutAnalystRole(consumer: consumer.domain).description))
                continue
            }
            if live.notRead[consumer.account] != nil { continue }
            if let change = compare(onboarding, live, dependsOn: centralDeps) {
                actions.append(change)
                consumerIds[consumer.domain] = change.id
            }
        }

        // Subscriptions: declared pairs requested; pairs apply made and vend.yaml dropped revoked.
        let planner = Self.subscriptionPlanner(config, live.subscriptions, applied: live.applied)
        let views = Dictionary(planner.views(live.subscriptions, now: now).map { ($0.subscription, $0) }, uniquingKeysWith: { first, _ in first })
        var subscriptionIds: [String] = []
        let declaredPairs = Set(desired.subscriptions)
        for pair in desired.subscriptions {
            guard let consumer = desired.consumers.first(where: { $0.domain == pair.consumer }), consumer.onboarding != nil else { continue }
            if live.notRead[consumer.account] != nil { continue }
            let approval = desired.producers.first { $0.domain == pair.domain }?.approval ?? .owner
            let state = views[pair]?.derived.state
            switch state {
            case .pending?:
                notes.append(.init(kind: .pendingApproval, domains: [pair.consumer, pair.domain], detail: "\(pair): waits for an owner of \(pair.domain) to approve it"))
            case .approved?, .active?:
                continue
            case .rejected?:
                notes.append(.init(kind: .blocked, domains: [pair.consumer, pair.domain],
                                   detail: "\(pair): rejected by an owner of \(pair.domain); apply does not ask again (remove it from vend.yaml, or subscribe by hand to ask anew)"))
            case nil, .revoked?, .expired?:
                var deps = registrationIds[pair.domain].map { [$0] } ?? []
                deps += consumerIds[pair.consumer].map { [$0] } ?? []
                let outcome = approval == .auto ? "granted: \(pair.domain) approves automatically" : "stays pending until an owner of \(pair.domain) approves"
                var change = action("request:\(pair.consumer)/\(pair.domain)", .request, [pair.consumer, pair.domain], consumer.account, "consumer \(pair.consumer)",
                                    "subscribe \(pair.consumer) to \(pair.domain) (\(outcome))", dependsOn: deps)
                change.subscription = pair
                actions.append(change)
                subscriptionIds.append(change.id)
            }
        }
        for (pair, view) in views.sorted(by: { $0.key < $1.key }) where !declaredPairs.contains(pair) && [.pending, .approved, .active].contains(view.derived.state) {
            let byApply = view.request?.reason == Self.declaredReason || live.applied.subscriptions.contains("\(pair.consumer)/\(pair.domain)")
            if byApply {
                var change = action("revoke:\(pair.consumer)/\(pair.domain)", .revoke, [pair.consumer, pair.domain], central, "central",
                                    "revoke \(pair) (no longer in vend.yaml)")
                change.subscription = pair
                actions.append(change)
                subscriptionIds.append(change.id)
            } else {
                notes.append(.init(kind: .handMade, domains: [pair.consumer, pair.domain], detail: "\(pair) (\(view.derived.label)): subscribed by hand, left alone"))
            }
        }
        // The converge runs after this plan's requests and revocations are written: its line shows
        // the keys it will change then (apply reads again before it converges).
        let due = planner.converge(Self.afterWrites(live.subscriptions, actions, config: config, consumers: desired.consumers), now: now)
        if !subscriptionIds.isEmpty || !due.isEmpty {
            let domains = Array(Set(desired.subscriptions.flatMap { [$0.consumer, $0.domain] } + due.map(\.key.domain))).sorted()
            let what = due.isEmpty ? "nothing to grant or release yet (the requests wait for an owner's approval)" : due.map(\.description).joined(separator: "; ")
            actions.append(action("converge", .converge, domains, central, "central", "converge subscriptions: \(what)",
                                  dependsOn: subscriptionIds + Array(registrationIds.values).sorted() + Array(consumerIds.values).sorted()))
        }

        for account in live.grantsUnchecked.sorted() where live.products[account]?.isEmpty == false {
            notes.append(.init(kind: .notChecked, domains: [],
                               detail: "account \(account) (\(labels[account] ?? account)): grants not checked for drift — the caller is not a Lake Formation data lake administrator there, so it sees only part of them"))
        }
        // Drift: grants and links a provisioned product declares that are missing.
        let changing = Set(actions.compactMap { $0.product?.name })
        for (account, repairs) in live.repairs.sorted(by: { $0.key < $1.key }) {
            for (name, items) in Dictionary(grouping: repairs, by: \.provisionedProduct).sorted(by: { $0.key < $1.key }) where !changing.contains(name) {
                var change = action("repair:\(account)/\(name)", .repair, domains(ofProvisioned: name, live), account, labels[account] ?? account,
                                    "re-make what \(name) declares: " + items.map(\.detail).joined(separator: "; "))
                change.drift = true
                change.provisionedProduct = name
                actions.append(change)
            }
        }

        // A pinned version the catalog will not hold: the launch or update fails (and blocks what
        // waits for it), which the plan says now.
        for action in actions where [.launch, .update, .replace].contains(action.kind) {
            guard let product = action.product, let versions = launchable?[product.product], !versions.contains(product.version) else { continue }
            notes.append(.init(kind: .blocked, domains: [product.domain],
                               detail: "\(product.name): \(product.product) \(product.version) is not a launchable version of the catalog (\(versions.sorted().joined(separator: ", "))), so its \(action.kind.rawValue) will fail — publish it, or pin one of those in vend.yaml's versions"))
        }

        // Removed from vend.yaml: not declared (apply made it) or hand-made (it did not).
        removals(live, labels: labels, into: &actions, notes: &notes, after: actions.filter { $0.kind == .converge }.map(\.id))
        let fingerprints = live.fingerprints
        return MeshPlan(actions: actions, notes: notes, catalog: catalog, refusals: refusals, fingerprints: fingerprints, labels: labels)
    }

    /// A launch, update or replacement when the live product differs from the declared one; nil when it matches.
    /// `unknownParameters` are compared only once known (the bucket before the onboarding launched).
    func compare(_ declared: DesiredMesh.Product, _ live: LiveMesh, dependsOn: [String], unknownParameters: Set<String> = []) -> MeshAction? {
        guard let current = live.product(declared.name, in: declared.account) else {
            var change = action("launch:\(declared.name)", .launch, [declared.domain], declared.account, declared.label,
                                "launch \(declared.name) (\(declared.product) \(declared.version))", dependsOn: dependsOn)
            change.product = declared
            return change
        }
        var differences: [String] = []
        if current.status == "ERROR" && current.lastSuccessfulRecordId.isEmpty {
            var change = action("replace:\(declared.name)", .replace, [declared.domain], declared.account, declared.label,
                                "replace \(declared.name): its first launch failed (\(current.statusMessage.isEmpty ? "ERROR" : current.statusMessage))", dependsOn: dependsOn)
            change.product = declared
            return change
        }
        if current.version != declared.version { differences.append("version \(current.version) → \(declared.version)") }
        for (key, value) in declared.parameters.sorted(by: { $0.key < $1.key })
        where current.parametersKnown && !unknownParameters.contains(key) && current.parameters[key] != value {
            // vend's default, overridden by hand (`--param`) and not set in vend.yaml: left alone.
            if declared.defaulted.contains(key) && current.parameters[key] != nil { continue }
            differences.append("\(key) \(current.parameters[key].map { "\"\($0)\"" } ?? "unset") → \"\(value)\"")
        }
        if current.status == "TAINTED" || current.status == "ERROR" { differences.append("status \(current.status)") }
        guard !differences.isEmpty else { return nil }
        var change = action("update:\(declared.name)", .update, [declared.domain], declared.account, declared.label,
                            "update \(declared.name): " + differences.joined(separator: ", "), dependsOn: dependsOn)
        change.drift = current.version == declared.version
        change.product = declared
        return change
    }

    /// The subscriptions as they will read once `actions`' requests (the next version of each, asked
    /// by apply) and revocations (written by central, which always decides) are written, and the
    /// consumer-onboardings they launch have made their probe roles (beside the declared analysts).
    static func afterWrites(_ subscriptions: MeshSubscriptions, _ actions: [MeshAction], config: MeshConfig, consumers: [DesiredMesh.Consumer]) -> MeshSubscriptions {
        var after = subscriptions
        let central = config.central.accountId
        for consumer in consumers {
            var principals = config.consumers.first { $0.domain == consumer.domain }?.analystRoles ?? []
            if let onboarding = consumer.onboarding, actions.contains(where: { $0.kind == .launch && $0.product?.name == onboarding.name }) {
                // Assumption (products/consumer-onboarding/template.yaml): ProbeRole is named vend-probe-<domain>, without a path.
                principals.append("arn:aws:iam::\(consumer.account):role/vend-probe-\(consumer.domain)")
            }
            for principal in principals where after.principals[consumer.domain]?.contains(principal) != true {
                after.principals[consumer.domain, default: []].append(principal)
            }
        }
        for action in actions {
            guard let pair = action.subscription else { continue }
            let version = subscriptions.requests[pair]?.version ?? 0
            switch action.kind {
            case .request:
                after.requests[pair] = SubscriptionRequest(subscription: pair, account: action.account, version: version + 1, reason: declaredReason)
            case .revoke:
                after.decisions[pair] = SubscriptionDecision(subscription: pair, requestVersion: version, verdict: .revoked, decidedBy: "arn:aws:iam::\(central):root")
            default:
                continue
            }
        }
        return after
    }

    /// The subscription planner of apply: it may also release the keys of what vend.yaml dropped
    /// and apply made (`formerDomains`, `formerRegistrations`).
    static func subscriptionPlanner(_ config: MeshConfig, _ subscriptions: MeshSubscriptions, applied: AppliedRecord) -> SubscriptionPlanner {
        SubscriptionPlanner(config: config,
                            formerDomains: formerDomains(subscriptions, applied: applied, declared: Set(config.producers.compactMap(\.domain))),
                            formerRegistrations: formerRegistrations(applied: applied, config: config))
    }

    /// Central's grants to the account of a consumer domain removed from vend.yaml, when vend.yaml
    /// names no consumer in that account any more: apply requested the subscription (it is in its
    /// record, with the account), and with no declared consumer there nothing vend reads can still
    /// need them. What the domain holds in its own account stays: vend no longer opens it.
    public static func formerRegistrations(applied: AppliedRecord, config: MeshConfig) -> Set<SubscriptionKey> {
        let declared = Set(config.consumers.compactMap(\.domain))
        let accounts = Set(config.consumers.map(\.accountId))
        var keys: Set<SubscriptionKey> = []
        for pair in applied.pairs {
            guard !declared.contains(pair.consumer), let account = applied.consumerAccounts[pair.consumer], !accounts.contains(account) else { continue }
            keys.insert(.registration(account: account, domain: pair.domain))
        }
        return keys
    }

    /// Producer domains removed from vend.yaml whose subscriptions' keys apply still releases: apply
    /// launched the domain or requested a subscription to it, and every subscription to it that a
    /// request or decision shows is apply's (asked with `declaredReason` or in its record). A
    /// subscription made by hand keeps the domain's keys where they are.
    public static func formerDomains(_ subscriptions: MeshSubscriptions, applied: AppliedRecord, declared: Set<String>) -> Set<String> {
        let byApply = Set(applied.pairs)
        let made = Set(applied.producers + byApply.map(\.domain)).subtracting(declared)
        let pairs = Set(subscriptions.requests.keys).union(subscriptions.decisions.keys)
        return made.filter { domain in
            pairs.filter { $0.domain == domain }.allSatisfy { pair in subscriptions.requests[pair]?.reason == declaredReason || byApply.contains(pair) }
        }
    }

    /// Domains and subscriptions removed from vend.yaml.
    func removals(_ live: LiveMesh, labels: [String: String], into actions: inout [MeshAction], notes: inout [MeshNote], after: [String]) {
        let producers = Set(desired.producers.map(\.domain))
        let consumers = Set(desired.consumers.map(\.domain))
        let applied = live.applied
        // The domain products of every account read: producer-D, producer-registration-D, consumer-C.
        // Registrations go first (they use the producer's bucket), onboardings after them.
        let kinds: [(prefix: String, declared: Set<String>, made: [String], kind: String)] = [
            ("producer-registration-", producers, applied.producers, "producer"), ("producer-", producers, applied.producers, "producer"),
            ("consumer-", consumers, applied.consumers, "consumer"),
        ]
        var terminated: [String: String] = [:]
        for (account, products) in live.products.sorted(by: { $0.key < $1.key }) {
            for name in products.keys.sorted() {
                guard let entry = kinds.first(where: { name.hasPrefix($0.prefix) }), !name.hasPrefix("consumer-registration-") else { continue }
                let domain = String(name.dropFirst(entry.prefix.count))
                guard !entry.declared.contains(domain) else { continue }
                guard entry.made.contains(domain) else {
                    notes.append(.init(kind: .handMade, domains: [domain], detail: "\(entry.kind) domain \(domain) (\(name) in \(account)): not made by apply, left alone"))
                    continue
                }
                guard prune else {
                    notes.append(.init(kind: .notDeclared, domains: [domain], detail: "\(entry.kind) domain \(domain): \(name) in \(account) stays until apply runs with --prune (buckets and data are kept)"))
                    continue
                }
                var change = action("terminate:\(name)", .terminate, [domain], account, labels[account] ?? account,
                                    "terminate \(name) (\(domain) is no longer declared; buckets and data are kept)",
                                    dependsOn: after + (entry.prefix == "producer-" ? terminated["producer-registration-" + domain].map { [$0] } ?? [] : []))
                change.provisionedProduct = name
                terminated[name] = change.id
                actions.append(change)
            }
        }
        for domain in applied.consumers where !consumers.contains(domain) && !live.products.values.contains(where: { $0[MeshRules.consumerName(domain)] != nil }) {
            if let account = applied.consumerAccounts[domain], !config.consumers.contains(where: { $0.accountId == account }) {
                notes.append(.init(kind: .notDeclared, domains: [domain], detail: "consumer domain \(domain): no longer in vend.yaml, nor is its account \(account) — "
                                   + "central's grants to \(account) that apply made are released; what \(domain) holds in \(account) (onboarding, links, analysts' grants) stays, as vend no longer opens it"))
            } else {
                notes.append(.init(kind: .notDeclared, domains: [domain], detail: "consumer domain \(domain): no longer in vend.yaml and its account is not read"))
            }
        }
        // Sources: crawlers of declared domains that vend.yaml does not list.
        for producer in desired.producers {
            let declared = Set(producer.sources.map { "\(MeshRules.databaseName(producer.domain))-\($0.name)" })
            for crawler in live.crawlers.keys.sorted() where crawler.hasPrefix(MeshRules.databaseName(producer.domain) + "-") && !declared.contains(crawler) {
                let source = String(crawler.dropFirst(MeshRules.databaseName(producer.domain).count + 1))
                guard applied.sources.contains("\(producer.domain)/\(source)") else {
                    notes.append(.init(kind: .handMade, domains: [producer.domain], detail: "source \(producer.domain)/\(source) (crawler \(crawler)): added by hand, left alone"))
                    continue
                }
                if prune {
                    var change = action("unsource:\(producer.domain)/\(source)", .removeSource, [producer.domain], config.central.accountId, "central",
                                        "remove crawler \(crawler) (source \(source) is no longer declared; its tables and data are kept)")
                    change.source = .init(name: source, prefix: "", format: "")
                    actions.append(change)
                } else {
                    notes.append(.init(kind: .notDeclared, domains: [producer.domain], detail: "source \(producer.domain)/\(source): crawler \(crawler) stays until apply runs with --prune"))
                }
            }
        }
    }

    /// The domains a provisioned product serves, by vend's names and the subscription keys it holds.
    func domains(ofProvisioned name: String, _ live: LiveMesh) -> [String] {
        for domain in desired.domains {
            if name == MeshRules.producerName(domain) || name == MeshRules.producerRegistrationName(domain) || name == MeshRules.consumerName(domain) { return [domain] }
        }
        guard let key = live.subscriptions.keys.first(where: { $0.value.name == name })?.key else { return [] }
        let account = SubscriptionPlanner(config: config).consumerAccount(of: key)
        return [key.domain] + desired.consumers.filter { $0.account == account }.map(\.domain)
    }

    /// The S3 path AddDataSource crawls for a prefix of the domain's bucket.
    static func s3Path(bucket: String?, prefix: String) -> String? {
        guard let bucket, !bucket.isEmpty else { return nil }
        let clean = prefix.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        return "s3://\(bucket)/\(clean.isEmpty ? "" : clean + "/")"
    }

    func action(_ id: String, _ kind: MeshAction.Kind, _ domains: [String], _ account: String, _ label: String, _ summary: String,
                dependsOn: [String] = []) -> MeshAction {
        MeshAction(id: id, kind: kind, domains: domains, account: account, label: label, summary: summary, drift: false, dependsOn: dependsOn,
                   product: nil, source: nil, subscription: nil, provisionedProduct: nil)
    }
}
