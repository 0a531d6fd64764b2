import AWSCore
import AWSServices
import Foundation
import VendModel

/// The accounts of vend.yaml a run could open, each verified against its id; the others with why.
public struct OpenedAccounts: Sendable {
    /// Opened and verified, by account id.
    public var contexts: [String: AccountContext]
    /// Not opened, by account id, with the reason.
    public var failures: [String: String]

    /// Opens every distinct account of vend.yaml (central first; an account named twice is opened
    /// once, with the first entry's profile). A failure is kept, not thrown: what that account
    /// holds is unknown, and the caller decides whether it needed it.
    public static func open(_ config: MeshConfig, resolver: any AccountResolving, region: String,
                            profiles: [String: String] = [:]) async -> OpenedAccounts {
        var entries: [(account: MeshConfig.Account, label: String)] = [(config.central, "central")]
        entries += config.producers.map { ($0, "producer \($0.domain ?? $0.profile)") }
        entries += config.consumers.map { ($0, "consumer \($0.domain ?? $0.profile)") }
        var seen: Set<String> = []
        let distinct = entries.filter { seen.insert($0.account.accountId).inserted }
        // Opened at once: each is one STS call, and a mesh has tens of accounts.
        let opened = await withTaskGroup(of: (String, Result<AccountContext, any Error>).self) { group in
            for (account, label) in distinct {
                let profile = profiles[account.accountId] ?? account.profile
                group.addTask {
                    do {
                        return (account.accountId, .success(try await resolver.resolve(.init(label: label, profile: profile, region: region,
                                                                                               expectedAccountId: account.accountId))))
                    } catch {
                        return (account.accountId, .failure(error))
                    }
                }
            }
            var all: [String: Result<AccountContext, any Error>] = [:]
            for await (id, outcome) in group { all[id] = outcome }
            return all
        }
        var result = OpenedAccounts(contexts: [:], failures: [:])
        for (account, label) in distinct {
            let profile = profiles[account.accountId] ?? account.profile
            switch opened[account.accountId] {
            case .success(let context)?: result.contexts[account.accountId] = context
            case .failure(let error)?: result.failures[account.accountId] = "\(label) (profile \(profile)): \(error)"
            case nil: result.failures[account.accountId] = "\(label) (profile \(profile)): not opened"
            }
        }
        return result
    }
}

/// Reads everything subscriptions are made of from every account it can open: requests in the
/// consumers' accounts, decisions in central and the producers' accounts, the provisioned
/// products that hold keys (identified by their outputs, not their names), and each consumer's
/// principals (vend.yaml's analyst roles, the analyst and probe roles of its consumer-onboarding).
public struct SubscriptionReader: Sendable {
    /// The mesh.
    public var config: MeshConfig

    /// Creates the reader.
    public init(config: MeshConfig) { self.config = config }

    /// The snapshot. Accounts are read at once; `records` joins each request to its RequestAccess
    /// record (for the listings; the plan does not need them).
    public func read(_ accounts: OpenedAccounts, records: Bool = true) async throws -> MeshSubscriptions {
        var mesh = MeshSubscriptions()
        for (id, reason) in accounts.failures { mesh.notRead[id] = reason }
        for consumer in config.consumers {
            guard let domain = consumer.domain else { continue }
            mesh.principals[domain] = consumer.analystRoles
        }
        // Requests: only from each consumer domain's own account.
        let declaredPrincipals = mesh.principals
        let consumerReads = try await accounts.contexts.sorted(by: { $0.key < $1.key }).concurrentMap { accountId, context -> MeshSubscriptions in
            let consumers = Set(config.consumers.filter { $0.accountId == accountId }.compactMap(\.domain))
            var part = MeshSubscriptions()
            guard !consumers.isEmpty else { return part }
            part.principals = declaredPrincipals
            let store = SubscriptionStore(ssm: context.clients.ssm, accountId: accountId)
            for request in try await store.requests(consumers: consumers) { part.requests[request.subscription] = request }
            let onboardings = try await readConsumerProducts(context, consumers: consumers, into: &part)
            if records { try await joinRecords(context, onboardings: onboardings, into: &part) }
            return part
        }
        for part in consumerReads {
            mesh.requests.merge(part.requests) { first, _ in first }
            mesh.keys.merge(part.keys) { first, _ in first }
            for (consumer, principals) in part.principals {
                var merged = mesh.principals[consumer] ?? []
                for principal in principals where !merged.contains(principal) { merged.append(principal) }
                mesh.principals[consumer] = merged
            }
        }
        // Decisions: from central and the producers' accounts; the later one of a pair counts.
        let consumerAccounts = Set(config.consumers.map(\.accountId))
        let deciders = Set([config.central.accountId] + config.producers.map(\.accountId))
        let decisionReads = try await accounts.contexts.sorted(by: { $0.key < $1.key }).filter { deciders.contains($0.key) }
            .concurrentMap { accountId, context -> [(consumerAccount: String, decision: SubscriptionDecision)] in
                try await SubscriptionStore(ssm: context.clients.ssm, accountId: accountId).decisions(consumerAccounts: consumerAccounts)
            }
        for (consumerAccount, decision) in decisionReads.flatMap({ $0 }) {
            // A decision counts only for a consumer domain that lives in the account it names.
            guard config.consumers.contains(where: { $0.domain == decision.subscription.consumer && $0.accountId == consumerAccount }) else { continue }
            if let current = mesh.decisions[decision.subscription], (current.decidedAt ?? .distantPast) >= (decision.decidedAt ?? .distantPast) { continue }
            mesh.decisions[decision.subscription] = decision
        }
        if let central = accounts.contexts[config.central.accountId] { try await readRegistrations(central, into: &mesh) }
        return mesh
    }

    /// Central's consumer-registration products: each holds (consumer account, domain), read from
    /// its outputs `ConsumerAccountId` and `GrantedTagExpression` (`domain=D`).
    func readRegistrations(_ central: AccountContext, into mesh: inout MeshSubscriptions) async throws {
        let sc = central.clients.serviceCatalog
        let registrations = try await sc.allProvisionedProducts().filter { $0.Name?.hasPrefix(MeshRules.consumerRegistrationName("")) == true && $0.Id != nil }
        // One output read per registration, at once (central holds one per consumer account and domain).
        let allOutputs = try await registrations.concurrentMap { try await Self.outputs($0.Id ?? "", sc) }
        for (product, outputs) in zip(registrations, allOutputs) {
            guard let id = product.Id, let name = product.Name else { continue }
            guard let account = outputs["ConsumerAccountId"], let expression = outputs["GrantedTagExpression"], expression.hasPrefix("domain=") else { continue }
            let key = SubscriptionKey.registration(account: account, domain: String(expression.dropFirst("domain=".count)))
            mesh.keys[key] = KeyHolder(provisionedProductId: id, name: name, status: product.Status ?? "")
        }
    }

    /// A consumer account's consumer-link and analyst-access products (by their `VendKey` output),
    /// and each consumer-onboarding: its analyst and probe roles join the consumer's principals,
    /// and one launched before subscriptions (a non-empty `SharedDatabaseName`) holds its link and
    /// grants as legacy keys.
    /// Returns each consumer domain's consumer-onboarding id.
    func readConsumerProducts(_ context: AccountContext, consumers: Set<String>, into mesh: inout MeshSubscriptions) async throws -> [String: String] {
        var onboardings: [String: String] = [:]
        let sc = context.clients.serviceCatalog
        for product in try await sc.allProvisionedProducts() {
            guard let id = product.Id, let name = product.Name else { continue }
            let holder = KeyHolder(provisionedProductId: id, name: name, status: product.Status ?? "")
            if name.hasPrefix("link-") || name.hasPrefix("access-") {
                if let vendKey = try await Self.outputs(id, sc)["VendKey"], let key = SubscriptionKey(vendKey: vendKey) { mesh.keys[key] = holder }
                continue
            }
            guard let consumer = consumers.first(where: { MeshRules.consumerName($0) == name }) else { continue }
            onboardings[consumer] = id
            let outputs = try await Self.outputs(id, sc)
            let environment = context.launchEnvironment
            let stackName = environment.stackName(of: product) ?? environment.stackName(provisionedProductId: id)
            let parameters = Dictionary(((try await context.clients.cloudFormation.describeStack(name: stackName))?.Parameters ?? [])
                .map { ($0.ParameterKey, $0.ParameterValue ?? "") }, uniquingKeysWith: { first, _ in first })
            var principals = mesh.principals[consumer] ?? []
            for role in [parameters["AnalystRoleArn"], outputs["ProbeRoleArn"]].compactMap({ $0 }) where !role.isEmpty && !principals.contains(role) {
                principals.append(role)
            }
            mesh.principals[consumer] = principals
            guard let domain = parameters["DomainTagValue"], !domain.isEmpty, parameters["SharedDatabaseName"]?.isEmpty == false else { continue }
            let legacy = KeyHolder(provisionedProductId: id, name: name, status: product.Status ?? "", legacyConsumer: consumer)
            mesh.keys[.link(account: context.accountId, domain: domain)] = legacy
            for role in [parameters["AnalystRoleArn"], outputs["ProbeRoleArn"]].compactMap({ $0 }) where !role.isEmpty {
                mesh.keys[.access(principal: role, domain: domain)] = legacy
            }
        }
        return onboardings
    }

    /// The Service Catalog record of each request: the RequestAccess execution on the consumer's
    /// consumer-onboarding whose outputs name the request's parameter and version (the action's
    /// document outputs `ReadRequest.RequestParameter` and `WriteRequest.RequestVersion`; a service
    /// action's record carries its automation's outputs, as AddDataSource's does). The newest
    /// records are read first and the join stops once every request has its record.
    func joinRecords(_ context: AccountContext, onboardings: [String: String], into mesh: inout MeshSubscriptions) async throws {
        let sc = context.clients.serviceCatalog
        for (consumer, id) in onboardings.sorted(by: { $0.key < $1.key }) {
            let wanted = mesh.requests.filter { $0.key.consumer == consumer && $0.value.recordId == nil }
            guard !wanted.isEmpty else { continue }
            var missing = Set(wanted.map { "\(SubscriptionStore.requestName($0.key))@\($0.value.version)" })
            // A request's record starts before its automation writes the parameter (seconds, on AWS);
            // a record older than the oldest wanted request by more than an hour cannot be its record
            // and is not described (ListRecordHistory promises no order, so the listing is still read
            // to its end when a request has no record, e.g. one written by hand).
            let times = wanted.values.map(\.requestedAt)
            let horizon = times.contains(where: { $0 == nil }) ? nil : times.compactMap { $0 }.min()?.addingTimeInterval(-3_600)
            var token: String?
            repeat {
                let page = try await sc.listRecordHistory(.init(AccessLevelFilter: .init(Key: "Account", Value: "self"),
                                                                SearchFilter: .init(Key: "provisionedproduct", Value: id), PageSize: 20, PageToken: token))
                for record in page.RecordDetails ?? [] {
                    if let horizon, let created = record.CreatedTime, created < horizon { continue }
                    guard record.RecordType == "EXECUTE_PROVISIONED_PRODUCT_SERVICE_ACTION", record.Status == "SUCCEEDED", let recordId = record.RecordId else { continue }
                    let outputs = Dictionary(((try await sc.describeRecord(.init(Id: recordId))).RecordOutputs ?? [])
                        .compactMap { o in o.OutputKey.map { ($0, o.OutputValue ?? "") } }, uniquingKeysWith: { first, _ in first })
                    guard let name = outputs["ReadRequest.RequestParameter"], let version = outputs["WriteRequest.RequestVersion"],
                          missing.remove("\(name)@\(version)") != nil,
                          let pair = wanted.keys.first(where: { SubscriptionStore.requestName($0) == name }) else { continue }
                    mesh.requests[pair]?.recordId = recordId
                }
                token = page.NextPageToken
            } while token?.isEmpty == false && !missing.isEmpty
        }
    }

    static func outputs(_ id: String, _ sc: any ServiceCatalogClient) async throws -> [String: String] {
        Dictionary(try await sc.allOutputs(provisionedProductId: id).compactMap { o in o.OutputKey.map { ($0, o.OutputValue ?? "") } },
                   uniquingKeysWith: { first, _ in first })
    }
}
