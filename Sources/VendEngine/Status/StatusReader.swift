import AWSServices
import Foundation
import VendModel

/// `vend status`: what each account holds, read only.
public enum StatusReader {
    /// One version of a product in the central catalog.
    public struct Version: Sendable, Codable, Equatable {
        /// Version name.
        public var name: String
        /// `pa-…`.
        public var id: String
        /// `active`, `deprecated` or `inactive`.
        public var state: String
        /// The digest vend wrote, if any.
        public var digest: String?
    }

    /// A product of the central portfolio.
    public struct Product: Sendable, Codable, Equatable {
        /// Name.
        public var name: String
        /// `prod-…`.
        public var id: String
        /// Versions, newest first.
        public var versions: [Version]
    }

    /// A share of the portfolio.
    public struct Share: Sendable, Codable, Equatable {
        /// ACCOUNT, ORGANIZATIONAL_UNIT or ORGANIZATION.
        public var type: String
        /// The principal.
        public var principal: String
        /// `accepted` or `pending`.
        public var state: String
    }

    /// A provisioned product in an account.
    public struct Provisioned: Sendable, Codable, Equatable {
        /// Name (e.g. `producer-retail`).
        public var name: String
        /// `pp-…`.
        public var id: String
        /// Product name.
        public var product: String
        /// Version name.
        public var version: String
        /// AVAILABLE, UNDER_CHANGE, TAINTED, ERROR, PLAN_IN_PROGRESS.
        public var status: String
        /// Status message, when there is one.
        public var message: String?
        /// Outputs.
        public var outputs: [String: String]
    }

    /// A recent record.
    public struct Record: Sendable, Codable, Equatable {
        /// `rec-…`.
        public var id: String
        /// PROVISION_PRODUCT, UPDATE_PROVISIONED_PRODUCT, TERMINATE_PROVISIONED_PRODUCT, EXECUTE_PROVISIONED_PRODUCT_SERVICE_ACTION.
        public var type: String
        /// The provisioned product's name.
        public var provisionedProduct: String
        /// CREATED, IN_PROGRESS, IN_PROGRESS_IN_ERROR, SUCCEEDED, FAILED.
        public var status: String
        /// When it was last updated.
        public var updated: Date?
        /// Errors, if any.
        public var errors: [String]
    }

    /// What one account holds.
    /// One subscription of a consumer domain.
    public struct Subscribed: Sendable, Codable, Equatable {
        /// The producer domain it reads.
        public var domain: String
        /// Its state.
        public var state: String
        /// How a reader shows it ("approved, not yet active", "expired, revocation pending").
        public var label: String
        /// The request id, when there is a request.
        public var request: String?
        /// The last day of access, when set.
        public var until: Date?

        /// Creates an entry.
        public init(domain: String, state: String, label: String, request: String?, until: Date?) {
            self.domain = domain
            self.state = state
            self.label = label
            self.request = request
            self.until = until
        }
    }

    public struct Account: Sendable, Codable, Equatable {
        /// `central`, `producer retail`, `consumer analytics`.
        public var role: String
        /// The profile used.
        public var profile: String
        /// The account id.
        public var accountId: String
        /// The region.
        public var region: String
        /// The portfolio id: the central one, or the imported one in a spoke (nil if none).
        public var portfolioId: String?
        /// Products and versions (central only).
        public var products: [Product]
        /// Shares (central only).
        public var shares: [Share]
        /// Provisioned products.
        public var provisioned: [Provisioned]
        /// The newest records, newest first.
        public var records: [Record]
        /// Why this account could not be read, if it could not (other accounts are still shown).
        public var error: String?
        /// A consumer domain's subscriptions (nil for other accounts).
        public var subscriptions: [Subscribed]?

        /// An account about to be read: nothing known yet.
        public init(role: String, profile: String, accountId: String, region: String) {
            self.role = role
            self.profile = profile
            self.accountId = accountId
            self.region = region
            self.portfolioId = nil
            self.products = []
            self.shares = []
            self.provisioned = []
            self.records = []
            self.error = nil
        }
    }

    /// How many records to show per account.
    public static let recentRecords = 10

    /// Reads the central account: portfolio, products, versions, shares, provisioned products, records.
    public static func central(portfolioName: String, catalog: any ServiceCatalogClient, base: Account) async throws -> Account {
        var account = base
        account.portfolioId = try await PortfolioLocator.find(portfolioName, side: .owned, catalog: catalog, accountId: base.accountId)
        if let portfolioId = account.portfolioId {
            for product in try await catalog.allProductsAsAdmin(portfolioId: portfolioId) {
                guard let summary = product.ProductViewSummary, let id = summary.ProductId, let name = summary.Name else { continue }
                let artifacts = try await catalog.listProvisioningArtifacts(.init(ProductId: id)).ProvisioningArtifactDetails ?? []
                let versions = artifacts.map { artifact in
                    Version(name: artifact.Name ?? "?", id: artifact.Id ?? "?",
                            state: artifact.Active == false ? "inactive" : artifact.Guidance == "DEPRECATED" ? "deprecated" : "active",
                            digest: CatalogReader.digest(in: artifact.Description))
                }.sorted { lhs, rhs in
                    // Newest first by semantic version; names that are not versions go last.
                    switch (SemanticVersion(lhs.name), SemanticVersion(rhs.name)) {
                    case let (l?, r?): return l > r
                    case (_?, nil): return true
                    default: return false
                    }
                }
                account.products.append(Product(name: name, id: id, versions: versions))
            }
            account.products.sort { $0.name < $1.name }
            account.shares = try await ShareManager.readShares(portfolioId, catalog: catalog).map {
                Share(type: $0.type, principal: $0.principal, state: $0.accepted ? "accepted" : "pending")
            }
        }
        return try await launched(catalog: catalog, base: account)
    }

    /// Reads a spoke account: the imported portfolio, provisioned products, records.
    public static func spoke(portfolioName: String, catalog: any ServiceCatalogClient, base: Account) async throws -> Account {
        var account = base
        account.portfolioId = try await PortfolioLocator.find(portfolioName, side: .imported, catalog: catalog, accountId: base.accountId)
        return try await launched(catalog: catalog, base: account)
    }

    /// Provisioned products (with outputs) and recent records of the caller's account.
    static func launched(catalog: any ServiceCatalogClient, base: Account) async throws -> Account {
        var account = base
        for item in try await catalog.allProvisionedProducts() {
            guard let id = item.Id else { continue }
            let outputs = try await catalog.allOutputs(provisionedProductId: id)
            account.provisioned.append(Provisioned(
                name: item.Name ?? id, id: id, product: item.ProductName ?? item.ProductId ?? "?",
                version: item.ProvisioningArtifactName ?? item.ProvisioningArtifactId ?? "?", status: item.Status ?? "?",
                message: item.StatusMessage,
                outputs: Dictionary(outputs.compactMap { output in output.OutputKey.map { ($0, output.OutputValue ?? "") } }, uniquingKeysWith: { first, _ in first })))
        }
        account.provisioned.sort { $0.name < $1.name }
        let history = try await catalog.listRecordHistory(.init(AccessLevelFilter: .init(Key: "Account", Value: "self"), PageSize: recentRecords))
        account.records = (history.RecordDetails ?? []).map { record in
            Record(id: record.RecordId ?? "?", type: record.RecordType ?? "?", provisionedProduct: record.ProvisionedProductName ?? "?",
                   status: record.Status ?? "?", updated: record.UpdatedTime ?? record.CreatedTime,
                   errors: (record.RecordErrors ?? []).map { "\($0.Code ?? "error"): \($0.Description ?? "")" })
        }.sorted { ($0.updated ?? .distantPast) > ($1.updated ?? .distantPast) }
        return account
    }
}
