import Foundation

/// `vend.yaml`: the portfolio, regions, accounts, shares, artifact bucket and the mesh's
/// Lake Formation tags.
public struct MeshConfig: Sendable, Equatable, Codable {
    /// The portfolio every product is published into.
    public struct Portfolio: Sendable, Equatable, Codable {
        /// Display name (also how vend finds the portfolio again).
        public var name: String
        /// Provider name shown in Service Catalog.
        public var providerName: String
        /// Description shown in Service Catalog.
        public var description: String
    }

    /// How a producer domain decides on subscription requests.
    public enum Approval: String, Sendable, Equatable, Codable, CaseIterable {
        /// Every request is approved at once: the policy is the approval.
        case auto
        /// A request waits for one of the domain's owners (the default).
        case owner
    }

    /// An AWS account vend acts in, reached through a named profile.
    public struct Account: Sendable, Equatable, Codable {
        /// The data domain (producers and consumers); nil for the central account.
        public var domain: String?
        /// The AWS profile name, resolved as the AWS CLI does.
        public var profile: String
        /// The 12-digit account id.
        public var accountId: String
        /// Producers: how requests to read this domain are decided.
        public var approval: Approval
        /// Producers: principal ARNs (roles or users) who may approve and reject; empty means any
        /// principal of the domain's account. The central account may always decide.
        public var owners: [String]
        /// Consumers: the analyst roles granted on every domain the consumer subscribes to.
        public var analystRoles: [String]
        /// Consumers: the producer domains this consumer reads (declared subscriptions).
        public var subscriptions: [String]
        /// The domain's home region (nil: the first of `regions`).
        public var region: String?
        /// Producers: launch parameters for the domain's products, by parameter name.
        public var parameters: [String: String]
        /// Producers: pinned product versions, by product name (default: the newest active one).
        public var versions: [String: String]
        /// Producers: the domain's declared data sources.
        public var sources: [Source]

        /// Creates an account entry; the declaration fields default to none and `owner` approval.
        public init(domain: String?, profile: String, accountId: String, approval: Approval = .owner, owners: [String] = [],
                    analystRoles: [String] = [], subscriptions: [String] = [], region: String? = nil, parameters: [String: String] = [:],
                    versions: [String: String] = [:], sources: [Source] = []) {
            self.domain = domain
            self.profile = profile
            self.accountId = accountId
            self.approval = approval
            self.owners = owners
            self.analystRoles = analystRoles
            self.subscriptions = subscriptions
            self.region = region
            self.parameters = parameters
            self.versions = versions
            self.sources = sources
        }
    }

    /// A producer domain's data source: a prefix of its bucket crawled into its database.
    public struct Source: Sendable, Equatable, Codable {
        /// Short name; the crawler is `<database>-<name>`.
        public var name: String
        /// The prefix in the domain's bucket, ending with `/`.
        public var prefix: String
        /// `csv`, `json` or `parquet`.
        public var format: String

        /// Creates a source.
        public init(name: String, prefix: String, format: String) {
            self.name = name
            self.prefix = prefix
            self.format = format
        }
    }

    /// How `vend apply` bounds its work (`apply:` in vend.yaml).
    public struct ApplyPolicy: Sendable, Equatable, Codable {
        /// Launches and updates in flight overall.
        public var parallel: Int
        /// In flight per account (stack operations and service actions there; docs/scale.md §1).
        public var perAccount: Int
        /// Lake Formation writes in flight in central (its ConcurrentModificationException is rare below this).
        public var centralLakeFormation: Int
        /// Seconds an apply's lock is held before another run may take it over.
        public var lockLeaseSeconds: Int

        /// The defaults.
        public static let standard = ApplyPolicy(parallel: 16, perAccount: 8, centralLakeFormation: 2, lockLeaseSeconds: 600)
    }

    /// Who the portfolio is shared with.
    public struct Shares: Sendable, Equatable, Codable {
        /// Account ids.
        public var accounts: [String]
        /// Organizational unit ids (`ou-…`).
        public var organizationalUnits: [String]
        /// The organization id (`o-…`), to share with every account.
        public var organization: String?
        /// Whether principal associations are shared with OU/organization shares.
        public var sharePrincipals: Bool
        /// Whether TagOptions are shared.
        public var shareTagOptions: Bool

        /// Creates share targets.
        public init(accounts: [String], organizationalUnits: [String], organization: String?, sharePrincipals: Bool, shareTagOptions: Bool) {
            self.accounts = accounts
            self.organizationalUnits = organizationalUnits
            self.organization = organization
            self.sharePrincipals = sharePrincipals
            self.shareTagOptions = shareTagOptions
        }
    }

    /// Where templates and bundles are uploaded.
    public struct Artifacts: Sendable, Equatable, Codable {
        /// Bucket name pattern; `{accountId}` and `{region}` are substituted.
        public var bucket: String
        /// Key prefix inside the bucket.
        public var prefix: String

        /// The bucket name for an account and region.
        public func bucketName(accountId: String, region: String) -> String {
            bucket.replacingOccurrences(of: "{accountId}", with: accountId).replacingOccurrences(of: "{region}", with: region)
        }
    }

    /// One Lake Formation tag key of the mesh and its allowed values.
    public struct LFTag: Sendable, Equatable, Codable {
        /// The tag key.
        public var key: String
        /// Its allowed values.
        public var values: [String]
    }

    /// How many versions stay active before older ones are deprecated.
    public struct VersionPolicy: Sendable, Equatable, Codable {
        /// Newest N versions stay active; older ones get Guidance=DEPRECATED.
        public var keepActive: Int
    }

    /// The portfolio.
    public var portfolio: Portfolio
    /// Regions to publish to.
    public var regions: [String]
    /// The central (catalog) account.
    public var central: Account
    /// Producer accounts, one per domain.
    public var producers: [Account]
    /// Consumer accounts, one per domain.
    public var consumers: [Account]
    /// Share targets.
    public var shares: Shares
    /// Artifact bucket naming.
    public var artifacts: Artifacts
    /// The mesh's LF tags.
    public var lakeFormationTags: [LFTag]
    /// Version policy.
    public var versions: VersionPolicy
    /// How `vend apply` bounds its work.
    public var apply: ApplyPolicy = .standard

    /// The producer products' parameters vend sets from the domain, its accounts and its bucket
    /// (VendEngine's MeshRules; a test keeps the two in step): vend.yaml may not set them, as a
    /// value there would break the names vend derives from them.
    public static let derivedProducerParameters: Set<String> = ["CentralAccountId", "DatabaseName", "DomainName", "ProducerAccountId", "ProducerBucketName"]

    /// The account id field of an ARN (`arn:partition:service:region:account:…`), empty if it has none.
    public static func accountId(ofARN arn: String) -> String {
        arn.split(separator: ":", omittingEmptySubsequences: false).dropFirst(4).first.map(String.init) ?? ""
    }

    /// The allowed values of an LF tag key, or nil if the mesh has no such key.
    public func tagValues(_ key: String) -> [String]? {
        lakeFormationTags.first { $0.key == key }?.values
    }
}

extension MeshConfig {
    /// A copy with other share targets (for `vend share` with targets on the command line).
    public init(copying other: MeshConfig, shares: Shares) {
        self = other
        self.shares = shares
    }
}
