import AWSServices
import VendModel

/// Portfolio shares outside a full publish: `vend share` and `vend share --unshare`.
public enum ShareManager {
    /// Applies the share changes in one region and returns the portfolio's shares afterwards.
    public static func apply(config: MeshConfig, shares: MeshConfig.Shares, unshare: Bool, region: String,
                               environment: PublishEnvironment) async throws -> [CatalogSnapshot.Share] {
        let catalog = environment.serviceCatalog
        guard let portfolioId = try await PortfolioLocator.find(config.portfolio.name, side: .owned, catalog: catalog, accountId: config.central.accountId) else {
            throw EngineError.portfolioMissing(name: config.portfolio.name, accountId: config.central.accountId, region: region)
        }
        let live = try await readShares(portfolioId, catalog: catalog)
        let steps: [PublishStep]
        if unshare {
            let targets = shares.accounts.map { ("ACCOUNT", $0) } + shares.organizationalUnits.map { ("ORGANIZATIONAL_UNIT", $0) }
                + (shares.organization.map { [("ORGANIZATION", $0)] } ?? [])
            steps = targets.filter { target in live.contains { $0.type == target.0 && $0.principal == target.1 } }.map { .unshare(type: $0.0, principal: $0.1) }
        } else {
            steps = PublishPlanner.shareSteps(shares, live: live)
        }
        let executor = PublishExecutor(environment: environment, config: MeshConfig(copying: config, shares: shares),
                                       account: config.central.accountId, region: region, bucket: "")
        try await executor.applyShares(steps, portfolioId: portfolioId)
        if steps.isEmpty { environment.progress("shares: nothing to change") }
        return try await readShares(portfolioId, catalog: catalog)
    }

    /// Every share of the portfolio, of every type (the three lists read at once).
    public static func readShares(_ portfolioId: String, catalog: any ServiceCatalogClient) async throws -> [CatalogSnapshot.Share] {
        try await ["ACCOUNT", "ORGANIZATIONAL_UNIT", "ORGANIZATION"].concurrentMap { type in
            try await catalog.allPortfolioShares(portfolioId: portfolioId, type: type).compactMap { share -> CatalogSnapshot.Share? in
                guard let principal = share.PrincipalId else { return nil }
                return .init(type: type, principal: principal, accepted: share.Accepted ?? false,
                             shareTagOptions: share.ShareTagOptions ?? false, sharePrincipals: share.SharePrincipals ?? false)
            }
        }.flatMap { $0 }
    }
}
