import VendModel

/// The mesh's rules, each in exactly one place: which product is launched where and in what
/// order, the provisioned products' names, and the parameters vend fills in for each.
public enum MeshRules {
    /// The four mesh products.
    public static let producerOnboarding = "producer-onboarding"
    /// Central side of a producer domain.
    public static let producerRegistration = "producer-registration"
    /// Central side of a consumer domain.
    public static let consumerRegistration = "consumer-registration"
    /// A consumer domain's own account.
    public static let consumerOnboarding = "consumer-onboarding"
    /// A consumer account's resource link to one producer domain (one per account and domain).
    public static let consumerLink = "consumer-link"
    /// One principal's grants on one producer domain, in the consumer's account.
    public static let analystAccess = "analyst-access"

    /// `producer-<domain>` in the producer's account.
    public static func producerName(_ domain: String) -> String { "producer-\(domain)" }
    /// `producer-registration-<domain>` in central.
    public static func producerRegistrationName(_ domain: String) -> String { "producer-registration-\(domain)" }
    /// `consumer-registration-<domain>` in central.
    public static func consumerRegistrationName(_ domain: String) -> String { "consumer-registration-\(domain)" }
    /// `consumer-<domain>` in the consumer's account.
    public static func consumerName(_ domain: String) -> String { "consumer-\(domain)" }

    /// The Glue database a producer domain's registration makes (Glue names take no '-').
    public static func databaseName(_ domain: String) -> String { domain.replacingOccurrences(of: "-", with: "_") }
    /// The resource link a consumer account holds to a producer domain's database.
    public static func linkName(of domain: String) -> String { "\(databaseName(domain))_link" }
    /// The default data classification of a producer domain.
    public static let defaultClassification = "internal"
    /// Parameters vend fills with a default that a launch by hand may override (`--param`): apply
    /// compares them only when vend.yaml sets them.
    public static let handSettableDefaults = ["Classification"]

    /// Parameters of producer-onboarding.
    public static func producerOnboardingParameters(domain: String, config: MeshConfig) -> [String: String] {
        ["DomainName": domain, "CentralAccountId": config.central.accountId]
    }

    /// Parameters of producer-registration, fed with the producer's bucket.
    public static func producerRegistrationParameters(domain: String, producerAccountId: String, bucket: String) -> [String: String] {
        ["DomainName": domain, "ProducerAccountId": producerAccountId, "ProducerBucketName": bucket,
         "DatabaseName": databaseName(domain), "Classification": defaultClassification]
    }

    /// Parameters of consumer-registration: read access to the producer domain's tag value.
    public static func consumerRegistrationParameters(consumerAccountId: String, reads producerDomain: String) -> [String: String] {
        ["ConsumerAccountId": consumerAccountId, "DomainTagValue": producerDomain]
    }

    /// Parameters of consumer-onboarding (2.0.0): the consumer's own settings, workgroup and analyst;
    /// the domains it reads are subscriptions, each in its own products.
    public static func consumerOnboardingParameters(domain: String, config: MeshConfig, analystRole: String) -> [String: String] {
        ["DomainName": domain, "CentralAccountId": config.central.accountId, "AnalystRoleArn": analystRole]
    }

    /// Parameters of consumer-link: the link to the producer domain's database.
    public static func consumerLinkParameters(config: MeshConfig, database: String, domain: String) -> [String: String] {
        ["CentralAccountId": config.central.accountId, "SharedDatabaseName": database, "DomainTagValue": domain]
    }

    /// Parameters of analyst-access: one principal's grants on the link and the target.
    public static func analystAccessParameters(config: MeshConfig, database: String, domain: String, principal: String) -> [String: String] {
        ["PrincipalArn": principal, "CentralAccountId": config.central.accountId, "SharedDatabaseName": database, "DomainTagValue": domain]
    }

    /// consumer-onboarding's parameters of the one subscription it held before subscriptions;
    /// emptied, its link and grants go (2.0.0 makes them conditional).
    public static let legacySubscriptionParameters = ["SharedDatabaseName", "DomainTagValue"]

    /// The service action consumer-onboarding's consumers request access with, as publish names it.
    public static let requestAccessAction = "consumer-onboarding-RequestAccess"

    /// The account of vend.yaml that holds a provisioned product vend named, and its label:
    /// registrations live in central, `producer-D` and `consumer-D` in D's account.
    public static func account(holding name: String, config: MeshConfig) -> (account: MeshConfig.Account, label: String)? {
        if name.hasPrefix("producer-registration-") || name.hasPrefix("consumer-registration-") { return (config.central, "central") }
        for (prefix, accounts, kind) in [("producer-", config.producers, DomainKind.producer), ("consumer-", config.consumers, .consumer)] where name.hasPrefix(prefix) {
            let domain = String(name.dropFirst(prefix.count))
            if let account = accounts.first(where: { $0.domain == domain }) { return (account, "\(kind.rawValue) \(domain)") }
        }
        return nil
    }

    /// The accounts of vend.yaml a product may be launched in: central for `launchedIn: central`,
    /// else every account of its audience. Each with its progress label.
    public static func accounts(launching product: ProductDefinition, config: MeshConfig) -> [(account: MeshConfig.Account, label: String)] {
        if product.launchedIn == .central { return [(config.central, "central")] }
        // One entry per account: two domains of one account are one place to launch in.
        var seen: Set<String> = []
        switch product.audience {
        case .producer: return config.producers.filter { seen.insert($0.accountId).inserted }.map { ($0, "producer \($0.domain ?? $0.profile)") }
        case .consumer: return config.consumers.filter { seen.insert($0.accountId).inserted }.map { ($0, "consumer \($0.domain ?? $0.profile)") }
        }
    }

    /// The producer domain declared as `domain`, or an error naming the declared ones.
    public static func producer(_ domain: String, in config: MeshConfig) throws -> MeshConfig.Account {
        guard let account = config.producers.first(where: { $0.domain == domain }) else {
            throw EngineError.unknownDomain(kind: .producer, name: domain, known: config.producers.compactMap(\.domain))
        }
        return account
    }

    /// The consumer domain declared as `domain`, or an error naming the declared ones.
    public static func consumer(_ domain: String, in config: MeshConfig) throws -> MeshConfig.Account {
        guard let account = config.consumers.first(where: { $0.domain == domain }) else {
            throw EngineError.unknownDomain(kind: .consumer, name: domain, known: config.consumers.compactMap(\.domain))
        }
        return account
    }
}
