import AWSServices

/// The one way vend finds the mesh's portfolio by name: owned (in central) or imported (in a
/// spoke, through an accepted share). Duplicate names are refused everywhere: vend cannot tell
/// which portfolio is the mesh's, and acting on either would be a guess.
public enum PortfolioLocator {
    /// Where to look.
    public enum Side: Sendable {
        /// Portfolios the account owns (ListPortfolios).
        case owned
        /// Portfolios shared with the account and accepted (ListAcceptedPortfolioShares, IMPORTED).
        case imported
    }

    /// The id of the portfolio named `name`, nil when there is none; throws when several carry the name.
    public static func find(_ name: String, side: Side, catalog: any ServiceCatalogClient, accountId: String) async throws -> String? {
        let all = side == .owned ? try await catalog.allPortfolios() : try await catalog.allAcceptedPortfolioShares()
        let ids = all.filter { $0.DisplayName == name }.compactMap(\.Id)
        if ids.count > 1 { throw EngineError.duplicatePortfolios(name: name, accountId: accountId, ids: ids) }
        return ids.first
    }

    /// The id of the portfolio named `name`; throws `portfolioMissing` when there is none.
    public static func require(_ name: String, side: Side, in account: AccountContext) async throws -> String {
        guard let id = try await find(name, side: side, catalog: account.clients.serviceCatalog, accountId: account.accountId) else {
            throw EngineError.portfolioMissing(name: name, accountId: account.accountId, region: account.region)
        }
        return id
    }
}
