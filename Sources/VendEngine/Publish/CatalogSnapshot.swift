/// What the central account's catalog holds in one region, as read before planning.
/// Built by `CatalogReader` from list/describe calls; the planner compares it with the bundles.
public struct CatalogSnapshot: Sendable, Equatable {
    /// A provisioning artifact (a product version).
    public struct Version: Sendable, Equatable {
        /// `pa-…`.
        public var id: String
        /// The version name (semantic version).
        public var name: String
        /// The digest read from the description, if vend wrote it.
        public var digest: String?
        /// Whether launches are allowed.
        public var active: Bool
        /// `DEFAULT` or `DEPRECATED`.
        public var guidance: String
        /// `CREATING`, `AVAILABLE` or `FAILED`, when known.
        public var status: String?
        /// Names of service actions associated with this version.
        public var actions: Set<String>
    }

    /// A product.
    public struct Product: Sendable, Equatable {
        /// `prod-…`.
        public var id: String
        /// Product name.
        public var name: String
        /// Its versions.
        public var versions: [Version]
        /// Whether it is associated with the portfolio.
        public var inPortfolio: Bool
        /// The LAUNCH constraint on the product–portfolio pair: id and LocalRoleName.
        public var launchConstraint: (id: String, roleName: String?)?
        /// TagOptions associated with the product: all of them when described one product at a
        /// time, only those vend asks for when read by listing each TagOption's products.
        public var tagOptions: Set<TagOptionPair>

        /// Equality for tests (the tuple is compared by parts).
        public static func == (lhs: Product, rhs: Product) -> Bool {
            lhs.id == rhs.id && lhs.name == rhs.name && lhs.versions == rhs.versions && lhs.inPortfolio == rhs.inPortfolio
                && lhs.launchConstraint?.id == rhs.launchConstraint?.id && lhs.launchConstraint?.roleName == rhs.launchConstraint?.roleName
                && lhs.tagOptions == rhs.tagOptions
        }
    }

    /// A service action.
    public struct ServiceAction: Sendable, Equatable {
        /// `act-…`.
        public var id: String
        /// Its name.
        public var name: String
        /// The SSM document it runs.
        public var documentName: String
        /// The document version it runs.
        public var documentVersion: String
    }

    /// An SSM document.
    public struct Document: Sendable, Equatable {
        /// Its name.
        public var name: String
        /// SHA-256 hex of its latest content.
        public var hash: String
        /// Its latest version.
        public var latestVersion: String
        /// Accounts it is shared with.
        public var sharedWith: Set<String>
    }

    /// A portfolio share to an account, OU or the organization.
    public struct Share: Sendable, Equatable, Hashable {
        /// `ACCOUNT`, `ORGANIZATIONAL_UNIT` or `ORGANIZATION`.
        public var type: String
        /// The account, OU or organization id.
        public var principal: String
        /// Whether the recipient accepted.
        public var accepted: Bool
        /// Whether TagOptions are shared.
        public var shareTagOptions: Bool
        /// Whether principals are shared.
        public var sharePrincipals: Bool

        /// Creates a share.
        public init(type: String, principal: String, accepted: Bool, shareTagOptions: Bool, sharePrincipals: Bool) {
            self.type = type
            self.principal = principal
            self.accepted = accepted
            self.shareTagOptions = shareTagOptions
            self.sharePrincipals = sharePrincipals
        }
    }

    /// The portfolio's id, if it exists.
    public var portfolioId: String?
    /// Products by name.
    public var products: [String: Product]
    /// TagOption ids by pair (region-wide).
    public var tagOptionIds: [TagOptionPair: String]
    /// Service actions by name (region-wide).
    public var actions: [String: ServiceAction]
    /// SSM documents by name, for the documents vend manages.
    public var documents: [String: Document]
    /// Keys present in the artifact bucket (of those vend would upload).
    public var objects: Set<String>
    /// Whether the artifact bucket exists.
    public var bucketExists: Bool
    /// The portfolio's shares.
    public var shares: [Share]

    /// An empty catalog (nothing published yet).
    public static let empty = CatalogSnapshot(portfolioId: nil, products: [:], tagOptionIds: [:], actions: [:], documents: [:],
                                              objects: [], bucketExists: true, shares: [])

    /// Creates a snapshot.
    public init(portfolioId: String?, products: [String: Product], tagOptionIds: [TagOptionPair: String], actions: [String: ServiceAction],
                documents: [String: Document], objects: Set<String>, bucketExists: Bool, shares: [Share]) {
        self.portfolioId = portfolioId
        self.products = products
        self.tagOptionIds = tagOptionIds
        self.actions = actions
        self.documents = documents
        self.objects = objects
        self.bucketExists = bucketExists
        self.shares = shares
    }
}
