import Foundation
import VendBundle
import VendModel

/// A subscription: a consumer domain reads a producer domain.
public struct Subscription: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The consumer domain (`accounts.consumers[].domain`).
    public var consumer: String
    /// The producer domain (`accounts.producers[].domain`).
    public var domain: String

    /// Creates the pair.
    public init(consumer: String, domain: String) {
        self.consumer = consumer
        self.domain = domain
    }

    /// `consumer → domain`.
    public var description: String { "\(consumer) → \(domain)" }

    /// Ordered by consumer, then domain.
    public static func < (lhs: Subscription, rhs: Subscription) -> Bool {
        (lhs.consumer, lhs.domain) < (rhs.consumer, rhs.domain)
    }
}

/// One piece an active subscription needs, held by exactly one provisioned product and keyed by
/// what it holds (design note §1). Lake Formation grants are not reference-counted
/// ("Granting and revoking permissions on Data Catalog resources",
/// https://docs.aws.amazon.com/lake-formation/latest/dg/granting-catalog-permissions.html: a
/// revoke removes the permission, whoever else relied on it), so two subscriptions that need the
/// same grant share one key, and vend counts the references itself.
public enum SubscriptionKey: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// Central's tag-based grant of a producer domain to a consumer account (consumer-registration).
    case registration(account: String, domain: String)
    /// The consumer account's resource link to the producer domain's database (consumer-link).
    case link(account: String, domain: String)
    /// One principal's grants on the link and the target (analyst-access).
    case access(principal: String, domain: String)

    /// The producer domain the key serves.
    public var domain: String {
        switch self {
        case .registration(_, let domain), .link(_, let domain), .access(_, let domain): return domain
        }
    }

    /// The account that holds the key's provisioned product: central for a registration,
    /// otherwise the consumer account (a principal's account for access).
    public func holdingAccount(central: String) -> String {
        switch self {
        case .registration: return central
        case .link(let account, _): return account
        case .access(let principal, _): return MeshConfig.accountId(ofARN: principal)
        }
    }

    /// The product that holds it.
    public var product: String {
        switch self {
        case .registration: return MeshRules.consumerRegistration
        case .link: return MeshRules.consumerLink
        case .access: return MeshRules.analystAccess
        }
    }

    /// The value of the product's `VendKey` output (consumer-registration has none: its key is read
    /// from `ConsumerAccountId` and `GrantedTagExpression`).
    public var vendKey: String {
        switch self {
        case .registration(let account, let domain): return "registration:\(account):\(domain)"
        case .link(let account, let domain): return "link:\(account):\(domain)"
        case .access(let principal, let domain): return "access:\(principal):\(domain)"
        }
    }

    /// The key a `VendKey` output names, or nil for anything else.
    public init?(vendKey: String) {
        let parts = vendKey.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let domainStart = parts[1].lastIndex(of: ":") else { return nil }
        let holder = String(parts[1][..<domainStart])
        let domain = String(parts[1][parts[1].index(after: domainStart)...])
        guard !holder.isEmpty, !domain.isEmpty else { return nil }
        switch parts[0] {
        case "registration": self = .registration(account: holder, domain: domain)
        case "link": self = .link(account: holder, domain: domain)
        case "access": self = .access(principal: holder, domain: domain)
        default: return nil
        }
    }

    /// The provisioned product's name. Service Catalog allows `[a-zA-Z0-9][a-zA-Z0-9._-]*`, at most
    /// 128 characters ("ProvisionProduct", ProvisionedProductName,
    /// https://docs.aws.amazon.com/servicecatalog/latest/dg/API_ProvisionProduct.html); a role name may
    /// hold `+=,@`, so such a name is folded and made unique with a digest of the role ARN.
    public var provisionedName: String {
        switch self {
        case .registration(let account, let domain): return MeshRules.consumerRegistrationName("\(account)-\(domain)")
        case .link(_, let domain): return "link-\(domain)"
        case .access(let principal, let domain):
            let role = principal.split(separator: "/").last.map(String.init) ?? principal
            let folded = String(role.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" ? $0 : "-" })
            let base = "access-\(domain)-\(folded)"
            guard folded != role || base.count > 128 else { return base }
            let digest = String(IdempotencyToken.make(principal).prefix(8))
            return "\(base.prefix(119))-\(digest)"
        }
    }

    /// Ordered by kind (registration, link, access: the order they are made in), then holder and domain.
    public static func < (lhs: SubscriptionKey, rhs: SubscriptionKey) -> Bool {
        (lhs.rank, lhs.vendKey) < (rhs.rank, rhs.vendKey)
    }

    /// Creation order: the link needs the central grant, the analyst grants need the link.
    public var rank: Int {
        switch self {
        case .registration: return 0
        case .link: return 1
        case .access: return 2
        }
    }

    /// `product holder domain`, for messages.
    public var description: String {
        switch self {
        case .registration(let account, let domain): return "central grant of \(domain) to \(account)"
        case .link(let account, let domain): return "link to \(domain) in \(account)"
        case .access(let principal, let domain): return "\(principal)'s grants on \(domain)"
        }
    }
}
