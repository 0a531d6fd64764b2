import Foundation
import VendModel

/// What vend.yaml declares the mesh to be, worked out without a call: each domain's provisioned
/// products (name, product, version, parameters, where), its sources, and the subscriptions.
/// Values known only after a launch (a producer's bucket) are filled in by the planner from what
/// is live.
public struct DesiredMesh: Sendable, Equatable {
    /// One provisioned product vend.yaml implies.
    public struct Product: Sendable, Equatable, Codable {
        /// The domain it belongs to.
        public var domain: String
        /// The account it is provisioned in.
        public var account: String
        /// How progress names the account (`central`, `producer retail`).
        public var label: String
        /// The provisioned product's name.
        public var name: String
        /// The product (a folder of products/).
        public var product: String
        /// The version to run: vend.yaml's pin, else the workspace's (the newest one publish makes active).
        public var version: String
        /// The parameters vend sets (others keep the template's defaults).
        public var parameters: [String: String]
        /// Parameters set to vend's default because vend.yaml does not set them: a value set by
        /// hand (`--param`) is left alone, not reverted.
        public var defaulted: [String] = []
    }

    /// A producer domain: its onboarding (its account) and registration (central).
    public struct Producer: Sendable, Equatable {
        public var domain: String
        public var account: String
        public var onboarding: Product
        /// The registration; its `ProducerBucketName` is the onboarding's `BucketName` output.
        public var registration: Product
        public var approval: MeshConfig.Approval
        public var sources: [MeshConfig.Source]
    }

    /// A consumer domain: its onboarding (nil when vend.yaml names no analyst role, which the
    /// product requires) and the domains it reads.
    public struct Consumer: Sendable, Equatable {
        public var domain: String
        public var account: String
        public var onboarding: Product?
        public var subscriptions: [String]
    }

    /// The producer domains, in vend.yaml's order.
    public var producers: [Producer]
    /// The consumer domains, in vend.yaml's order.
    public var consumers: [Consumer]
    /// The values the central `domain` LF tag must hold (vend.yaml's derived list).
    public var domainTagValues: [String]
    /// Domains whose home region is another one, with that region: a run converges one region.
    public var elsewhere: [String: String] = [:]

    /// The parameter a registration is fed the producer's bucket through.
    public static let bucketParameter = "ProducerBucketName"

    /// The declaration of `workspace`'s vend.yaml for the domains whose home region is `region`
    /// (each domain's `region:`, default the first of `regions`; nil: every domain).
    public static func from(_ workspace: Workspace, region: String? = nil) throws -> DesiredMesh {
        let config = workspace.config
        var elsewhere: [String: String] = [:]
        func home(_ account: MeshConfig.Account) -> Bool {
            guard let region, let domain = account.domain else { return true }
            let own = account.region ?? config.regions.first ?? region
            if own != region { elsewhere[domain] = own }
            return own == region
        }
        func version(_ product: String, _ account: MeshConfig.Account) throws -> String {
            if let pinned = account.versions[product] { return pinned }
            guard let loaded = workspace.products.first(where: { $0.definition.name == product }) else {
                throw EngineError.productNotInWorkspace(name: product, known: workspace.products.map(\.definition.name).sorted())
            }
            return loaded.definition.version.description
        }
        func declared(_ product: String) -> Set<String> {
            Set(workspace.products.first { $0.definition.name == product }?.definition.parameters.map(\.name) ?? [])
        }
        /// Which of `parameters` only carry vend's default (vend.yaml does not set them).
        func defaulted(_ account: MeshConfig.Account) -> [String] {
            MeshRules.handSettableDefaults.filter { account.parameters[$0] == nil }
        }
        /// vend's defaults, then the domain's `parameters` the product declares.
        func parameters(_ defaults: [String: String], _ account: MeshConfig.Account, _ product: String) -> [String: String] {
            var result = defaults
            let names = declared(product)
            for (key, value) in account.parameters where names.contains(key) { result[key] = value }
            return result
        }
        var producers: [Producer] = []
        for account in config.producers where home(account) {
            guard let domain = account.domain else { continue }
            let onboarding = Product(domain: domain, account: account.accountId, label: "producer \(domain)", name: MeshRules.producerName(domain),
                                     product: MeshRules.producerOnboarding, version: try version(MeshRules.producerOnboarding, account),
                                     parameters: parameters(MeshRules.producerOnboardingParameters(domain: domain, config: config), account, MeshRules.producerOnboarding))
            let registrationDefaults = MeshRules.producerRegistrationParameters(domain: domain, producerAccountId: account.accountId, bucket: "")
            let registration = Product(domain: domain, account: config.central.accountId, label: "central", name: MeshRules.producerRegistrationName(domain),
                                       product: MeshRules.producerRegistration, version: try version(MeshRules.producerRegistration, account),
                                       parameters: parameters(registrationDefaults, account, MeshRules.producerRegistration), defaulted: defaulted(account))
            producers.append(Producer(domain: domain, account: account.accountId, onboarding: onboarding, registration: registration,
                                      approval: account.approval, sources: account.sources))
        }
        var consumers: [Consumer] = []
        for account in config.consumers where home(account) {
            guard let domain = account.domain else { continue }
            let onboarding = try account.analystRoles.first.map { role in
                Product(domain: domain, account: account.accountId, label: "consumer \(domain)", name: MeshRules.consumerName(domain),
                        product: MeshRules.consumerOnboarding, version: try version(MeshRules.consumerOnboarding, account),
                        parameters: parameters(MeshRules.consumerOnboardingParameters(domain: domain, config: config, analystRole: role), account, MeshRules.consumerOnboarding))
            }
            consumers.append(Consumer(domain: domain, account: account.accountId, onboarding: onboarding, subscriptions: account.subscriptions))
        }
        // A subscription to a domain of another region is not this run's to make.
        for index in consumers.indices { consumers[index].subscriptions.removeAll { elsewhere[$0] != nil } }
        return DesiredMesh(producers: producers, consumers: consumers, domainTagValues: config.tagValues("domain") ?? [], elsewhere: elsewhere)
    }

    /// Every declared (consumer, domain) pair.
    public var subscriptions: [Subscription] {
        consumers.flatMap { consumer in consumer.subscriptions.map { Subscription(consumer: consumer.domain, domain: $0) } }
    }

    /// Every declared domain, producers first.
    public var domains: [String] { producers.map(\.domain) + consumers.map(\.domain) }
}
