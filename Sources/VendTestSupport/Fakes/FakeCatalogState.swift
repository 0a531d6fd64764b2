import AWSServices
import Foundation

/// A launch a test's output closure is asked about.
public struct FakeLaunch: Sendable {
    /// The launching account.
    public var account: String
    /// The region.
    public var region: String
    /// The provisioned product's name and id.
    public var name: String, id: String
    /// The product's name and the version's name.
    public var product: String, version: String
    /// The parameters after the launch (previous values resolved).
    public var parameters: [String: String]
}

/// A service action execution a test's action closure runs.
public struct FakeExecution: Sendable {
    /// The account of the provisioned product.
    public var account: String
    /// The region.
    public var region: String
    /// The provisioned product's id, and its outputs.
    public var provisionedProductId: String, outputs: [String: String]
    /// The action's name and its SSM_AUTOMATION definition.
    public var action: String, definition: [String: String]
    /// The parameters given (first value of each).
    public var parameters: [String: String]
}

/// Service Catalog in one account and region.
struct FakeCatalog {
    struct Portfolio {
        var id, name, description, provider: String
        var created: Date
        var products: [String] = []
        var tagOptions: [String] = []
        /// Shares by "TYPE/principal".
        var shares: [String: Share] = [:]
    }

    struct Share {
        var type, principal: String
        var accepted: Bool
        var shareTagOptions, sharePrincipals: Bool
    }

    struct Product {
        var id, name, owner: String
        var description, distributor, supportEmail, supportUrl: String?
        var created: Date
        var artifacts: [Artifact] = []
        var tagOptions: [String] = []
    }

    struct Artifact {
        var id, name, description: String
        var info: [String: String]
        var created: Date
        var active = true
        var guidance = "DEFAULT"
        var status = "CREATING"
        var pollsLeft: Int
        var fails: Bool
        var actions: [String] = []
    }

    struct Constraint {
        var id, type, portfolioId, productId, parameters, description: String
    }

    struct TagOption {
        var id, key, value: String
    }

    struct ServiceAction {
        var id, name, definitionType, description: String
        var definition: [String: String]
    }

    struct Provisioned {
        var id, name, productId, productName, artifactId, artifactName, pathId: String
        var status: String
        var message: String?
        var created: Date
        var lastRecordId, lastProvisioningRecordId: String
        var lastSuccessfulRecordId: String?
        var parameters: [String: String]
        var outputs: [String: String] = [:]
        var terminated = false
    }

    struct Record {
        var id, type, status: String
        var provisionedProductId, provisionedProductName, productId, artifactId, artifactName, pathId: String
        var created, updated: Date
        var pollsLeft: Int
        /// What the record ends as: nil to succeed, or the failure's message.
        var failure: String?
        var errors: [ServiceCatalog.RecordError] = []
        var outputs: [String: String] = [:]
        /// For updates and provisions: the parameters and artifact the product gets on success.
        var parameters: [String: String] = [:]
        var ignoreErrors = false
    }

    struct ShareStatus {
        var portfolioId, node: String
        var pollsLeft: Int
    }

    var portfolios: [String: Portfolio] = [:]
    var products: [String: Product] = [:]
    var constraints: [String: Constraint] = [:]
    var tagOptions: [String: TagOption] = [:]
    var actions: [String: ServiceAction] = [:]
    var provisioned: [String: Provisioned] = [:]
    var records: [String: Record] = [:]
    /// This account's principal associations, by portfolio id (owned or imported).
    var principals: [String: [String]] = [:]
    /// Resource ids by "Operation/token": the same token gives the same answer.
    var tokens: [String: String] = [:]
    var shareStatus: [String: ShareStatus] = [:]

    /// The artifact `artifactId` of product `productId`, as an index pair.
    func artifactIndex(_ productId: String, _ artifactId: String) -> Int? {
        products[productId]?.artifacts.firstIndex { $0.id == artifactId }
    }
}

extension FakeState {
    /// The catalog of a scope (empty when nothing was made there).
    subscript(catalog scope: Scope) -> FakeCatalog {
        get { catalogs[scope] ?? FakeCatalog() }
        set { catalogs[scope] = newValue }
    }

    /// Portfolios of other accounts in the region shared with `scope`'s account, with their owners.
    func incomingShares(to scope: Scope) -> [(owner: Scope, portfolio: FakeCatalog.Portfolio, share: FakeCatalog.Share)] {
        catalogs.filter { $0.key.region == scope.region && $0.key.account != scope.account }.sorted { $0.key.account < $1.key.account }
            .flatMap { owner, catalog in
                catalog.portfolios.values.sorted { $0.id < $1.id }.compactMap { portfolio in
                    portfolio.shares["ACCOUNT/\(scope.account)"].map { (owner, portfolio, $0) }
                }
            }
    }

    /// The portfolios `scope` may launch from: its own and the accepted imports, with their owners.
    func usablePortfolios(_ scope: Scope) -> [(owner: Scope, portfolio: FakeCatalog.Portfolio)] {
        self[catalog: scope].portfolios.values.sorted { $0.id < $1.id }.map { (scope, $0) }
            + incomingShares(to: scope).filter(\.share.accepted).map { ($0.owner, $0.portfolio) }
    }
}
