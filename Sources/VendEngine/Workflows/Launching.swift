import AWSCore
import Foundation
import VendModel

/// `launch`, `launch-producer` and `launch-consumer`: any product of products/ launched into an
/// account of vend.yaml with the same preparation (share accepted, principal associated, launch
/// role from the bundle, launch path awaited), and the two mesh onboardings composed of it.
public struct Launching: Sendable {
    /// The validated workspace.
    public var workspace: Workspace
    /// How accounts are reached.
    public var resolver: any AccountResolving
    /// The region to launch in.
    public var region: String
    /// The central account's profile (default: vend.yaml's).
    public var centralProfile: String?
    /// The principal to associate in spoke accounts (default: the caller).
    public var principal: String?
    /// The clock subscription expiry is judged by.
    public var clock: any AWSClock

    /// Creates the workflow.
    public init(workspace: Workspace, resolver: any AccountResolving, region: String, centralProfile: String? = nil, principal: String? = nil,
                clock: any AWSClock = SystemClock()) {
        self.workspace = workspace
        self.resolver = resolver
        self.region = region
        self.centralProfile = centralProfile
        self.principal = principal
        self.clock = clock
    }

    /// What a launch did: each provisioned product, and the sample objects when uploaded.
    public struct Report: Sendable, Encodable {
        /// What each provisioned product became.
        public var provisionedProducts: [Provisioner.Result]
        /// Sample objects (nil unless asked for).
        public var sampleData: [SampleDataUploader.Object]?
        /// launch-consumer: the subscription to the domain it reads.
        public var subscription: SubscriptionWorkflows.ChangeReport?
    }

    /// One product launched by `vend launch`.
    public struct Request: Sendable, Equatable {
        /// The product (a folder of products/).
        public var product: String
        /// The provisioned product's name (default: the product's name).
        public var name: String?
        /// The profile of the account to launch in (default: the one account of vend.yaml that fits).
        public var profile: String?
        /// Parameters given; the others keep their template defaults.
        public var parameters: [String: String]
        /// The version (default: products/'s).
        public var version: String?

        /// Creates a request.
        public init(product: String, name: String? = nil, profile: String? = nil, parameters: [String: String] = [:], version: String? = nil) {
            self.product = product
            self.name = name
            self.profile = profile
            self.parameters = parameters
            self.version = version
        }
    }

    // MARK: - Entry points

    /// `vend launch PRODUCT`: the product into the account its audience (or `--profile`) names.
    public func launch(_ request: Request) async throws -> Report {
        let config = workspace.config
        let definition = try definition(request.product)
        let candidates = MeshRules.accounts(launching: definition, config: config)
        let chosen: (account: MeshConfig.Account, label: String)
        if let profile = request.profile {
            guard let match = candidates.first(where: { $0.account.profile == profile }) else {
                throw EngineError.profileCannotLaunch(product: request.product, profile: profile, candidates: candidates.map { "profile \($0.account.profile)" })
            }
            chosen = match
        } else {
            guard candidates.count == 1, let only = candidates.first else {
                throw EngineError.ambiguousAccount(product: request.product, candidates: candidates.map { "profile \($0.account.profile)" })
            }
            chosen = only
        }
        let product = try LaunchProduct(workspace: workspace, name: request.product, version: request.version)
        try Self.checkParameters(request.parameters, products: [product])
        let central = try await centralAccount()
        let owned = definition.launchedIn == .central
        let target = owned ? central : try await spoke(chosen.account, label: chosen.label)
        let portfolio = try await PortfolioLocator.require(config.portfolio.name, side: .owned, in: central)
        let result = try await provision(product, in: target, owned: owned, portfolioId: portfolio, name: request.name ?? request.product,
                                         parameters: request.parameters)
        return Report(provisionedProducts: [result], sampleData: nil, subscription: nil)
    }

    /// `vend launch-producer`: producer-onboarding in the domain's account, sample data if asked,
    /// then producer-registration in central, fed with the producer's bucket.
    public func launchProducer(domain: String, profile: String?, parameters given: [String: String], version: String?,
                               sampleData: URL?) async throws -> Report {
        let config = workspace.config
        let producer = try MeshRules.producer(domain, in: config)
        let onboarding = try LaunchProduct(workspace: workspace, name: MeshRules.producerOnboarding, version: version)
        let registration = try LaunchProduct(workspace: workspace, name: MeshRules.producerRegistration, version: version)
        try Self.checkParameters(given, products: [onboarding, registration])
        let central = try await centralAccount()
        var account = producer
        if let profile { account.profile = profile }
        let spoke = try await spoke(account, label: "producer")
        let portfolio = try await PortfolioLocator.require(config.portfolio.name, side: .owned, in: central)

        let first = try await provision(onboarding, in: spoke, owned: false, portfolioId: portfolio, name: MeshRules.producerName(domain),
                                        parameters: Self.merged(MeshRules.producerOnboardingParameters(domain: domain, config: config), given, onboarding))
        guard let bucket = first.outputs["BucketName"], !bucket.isEmpty else {
            throw EngineError.missingOutput(provisionedProduct: first.name, output: "BucketName", template: "products/\(MeshRules.producerOnboarding)/template.yaml")
        }
        var sample: [SampleDataUploader.Object]?
        if let sampleData {
            sample = try await SampleDataUploader(s3: spoke.clients.s3, progress: spoke.launchEnvironment.progress).upload(folder: sampleData, bucket: bucket)
        }
        let defaults = MeshRules.producerRegistrationParameters(domain: domain, producerAccountId: producer.accountId, bucket: bucket)
        let second = try await provision(registration, in: central, owned: true, portfolioId: portfolio, name: MeshRules.producerRegistrationName(domain),
                                         parameters: Self.merged(defaults, given, registration))
        return Report(provisionedProducts: [first, second], sampleData: sample, subscription: nil)
    }

    /// `vend launch-consumer`: consumer-onboarding in the consumer's account (LF settings, workgroup
    /// and results bucket, the analyst, the RequestAccess action), then a subscription to `reads`
    /// (default: the first producer domain) — it never replaces one: a consumer-onboarding from
    /// before subscriptions keeps the domain it reads, and other subscriptions are not touched.
    public func launchConsumer(domain: String, profile: String?, analystRole: String, reads: String?, version: String?) async throws -> Report {
        let config = workspace.config
        let consumer = try MeshRules.consumer(domain, in: config)
        guard let producerDomain = reads ?? config.producers.first?.domain else {
            throw EngineError.unknownDomain(kind: .producer, name: "(none given)", known: [])
        }
        _ = try MeshRules.producer(producerDomain, in: config)
        let onboarding = try LaunchProduct(workspace: workspace, name: MeshRules.consumerOnboarding, version: version)
        let central = try await centralAccount()
        var account = consumer
        if let profile { account.profile = profile }
        let spoke = try await spoke(account, label: "consumer")
        let portfolio = try await PortfolioLocator.require(config.portfolio.name, side: .owned, in: central)
        // The domain must be registered before anything is launched for a consumer that reads it.
        _ = try await SubscriptionExecutor.database(of: producerDomain, central: central)

        var parameters = MeshRules.consumerOnboardingParameters(domain: domain, config: config, analystRole: analystRole)
        // Re-running on a consumer-onboarding from before subscriptions keeps the one domain it reads
        // (its link and grants): an update with the parameters emptied would take them away.
        if let existing = try await Provisioner.provisionedProduct(named: MeshRules.consumerName(domain), in: spoke.clients.serviceCatalog) {
            let deployed = try await MeshRepair.stackParameters(existing, clients: spoke.clients, accountId: spoke.accountId)
            for name in MeshRules.legacySubscriptionParameters where deployed[name]?.isEmpty == false && onboarding.parameterNames.contains(name) {
                parameters[name] = deployed[name]
            }
        }
        let first = try await provision(onboarding, in: spoke, owned: false, portfolioId: portfolio, name: MeshRules.consumerName(domain), parameters: parameters)
        var profiles = [config.central.accountId: central.profile]
        profiles[consumer.accountId] = account.profile
        let subscriptions = SubscriptionWorkflows(scope: try WorkflowScope(workspace: workspace, resolver: resolver, region: region), clock: clock, profiles: profiles)
        let subscription = try await subscriptions.subscribe(consumer: domain, domain: producerDomain, reason: "launch-consumer", until: nil, keepExisting: true)
        return Report(provisionedProducts: [first] + subscription.provisionedProducts, sampleData: nil, subscription: subscription)
    }

    // MARK: - Steps

    /// The central account, verified.
    func centralAccount() async throws -> AccountContext {
        let config = workspace.config
        return try await resolver.resolve(.init(label: "central", profile: centralProfile ?? config.central.profile, region: region,
                                                expectedAccountId: config.central.accountId))
    }

    /// A spoke account of vend.yaml, verified.
    func spoke(_ account: MeshConfig.Account, label: String) async throws -> AccountContext {
        try await resolver.resolve(.init(label: label, profile: account.profile, region: region, expectedAccountId: account.accountId))
    }

    /// Prepares `account` and provisions `product` as `name`: the one launch step every workflow composes.
    func provision(_ product: LaunchProduct, in account: AccountContext, owned: Bool, portfolioId: String, name: String,
                   parameters: [String: String]) async throws -> Provisioner.Result {
        let environment = account.launchEnvironment
        let principal = owned ? account.principal : (self.principal ?? account.principal)
        let target = try await LaunchPreparer(environment: environment)
            .prepare(portfolio: .init(id: portfolioId, name: workspace.config.portfolio.name, owned: owned), principal: principal, product: product)
        return try await Provisioner(environment: environment).provision(name: name, product: product, target: target, parameters: parameters)
    }

    /// The product's definition in the workspace.
    func definition(_ name: String) throws -> ProductDefinition {
        guard let product = workspace.products.first(where: { $0.definition.name == name }) else {
            throw EngineError.productNotInWorkspace(name: name, known: workspace.products.map(\.definition.name).sorted())
        }
        return product.definition
    }

    /// Refuses parameters none of `products` declares.
    static func checkParameters(_ given: [String: String], products: [LaunchProduct]) throws {
        let known = Set(products.flatMap(\.parameterNames))
        let unknown = given.keys.filter { !known.contains($0) }.sorted()
        if !unknown.isEmpty { throw EngineError.unknownParameters(names: unknown, known: known.sorted()) }
    }

    /// vend's defaults, overridden by the given parameters that `product` declares.
    static func merged(_ defaults: [String: String], _ given: [String: String], _ product: LaunchProduct) -> [String: String] {
        var result = defaults
        for key in product.parameterNames { if let value = given[key] { result[key] = value } }
        return result
    }
}
