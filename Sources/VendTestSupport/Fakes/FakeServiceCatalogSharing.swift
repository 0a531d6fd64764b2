import AWSCore
import AWSServices
import Foundation

/// Portfolio shares across the cloud's accounts (pending until the recipient accepts), principal
/// associations per account, and what an end user sees: products and launch paths.
extension FakeServiceCatalog {
    /// The share key and type/principal of an account or organization-node share.
    func shareTarget(account: String?, node: ServiceCatalog.OrganizationNode?) throws -> (key: String, type: String, principal: String) {
        if let account { return ("ACCOUNT/\(account)", "ACCOUNT", account) }
        guard let type = node?.Type, let value = node?.Value else { throw FakeError.invalidParameters("AccountId or OrganizationNode is required") }
        return ("\(type)/\(value)", type, value)
    }

    /// An asynchronous share action's token (organization nodes only; account shares answer none).
    func shareToken(_ type: String, portfolioId: String, principal: String, catalog: inout FakeCatalog, state: inout FakeState) -> String? {
        guard type != "ACCOUNT" else { return nil }
        let token = state.id("share-token")
        catalog.shareStatus[token] = .init(portfolioId: portfolioId, node: principal, pollsLeft: state.polls)
        return token
    }

    /// CreatePortfolioShare: a no-op when the share exists (changes need UpdatePortfolioShare); the
    /// recipient account then sees a pending share.
    public func createPortfolioShare(_ input: ServiceCatalog.CreatePortfolioShareInput) async throws -> ServiceCatalog.CreatePortfolioShareOutput {
        try call("CreatePortfolioShare") { catalog, state in
            guard var portfolio = catalog.portfolios[input.PortfolioId] else { throw FakeError.notFound("Portfolio \(input.PortfolioId) not found") }
            let target = try shareTarget(account: input.AccountId, node: input.OrganizationNode)
            if target.type == "ACCOUNT" && input.SharePrincipals != nil {
                throw FakeError.invalidParameters("SharePrincipals applies to organization shares only")
            }
            if portfolio.shares[target.key] == nil {
                portfolio.shares[target.key] = .init(type: target.type, principal: target.principal, accepted: false,
                                                     shareTagOptions: input.ShareTagOptions ?? false, sharePrincipals: input.SharePrincipals ?? false)
                catalog.portfolios[input.PortfolioId] = portfolio
            }
            return .init(PortfolioShareToken: shareToken(target.type, portfolioId: input.PortfolioId, principal: target.principal, catalog: &catalog, state: &state))
        }
    }

    /// UpdatePortfolioShare: the share's TagOption and principal sharing.
    public func updatePortfolioShare(_ input: ServiceCatalog.UpdatePortfolioShareInput) async throws -> ServiceCatalog.UpdatePortfolioShareOutput {
        try call("UpdatePortfolioShare") { catalog, state in
            let target = try shareTarget(account: input.AccountId, node: input.OrganizationNode)
            guard var share = catalog.portfolios[input.PortfolioId]?.shares[target.key] else {
                throw FakeError.notFound("Portfolio \(input.PortfolioId) is not shared with \(target.principal)")
            }
            if let tagOptions = input.ShareTagOptions { share.shareTagOptions = tagOptions }
            if let principals = input.SharePrincipals { share.sharePrincipals = principals }
            catalog.portfolios[input.PortfolioId]?.shares[target.key] = share
            let token = state.id("share-token")
            catalog.shareStatus[token] = .init(portfolioId: input.PortfolioId, node: target.principal, pollsLeft: state.polls)
            return .init(PortfolioShareToken: token, Status: "IN_PROGRESS")
        }
    }

    /// DeletePortfolioShare: the recipient no longer sees the portfolio.
    public func deletePortfolioShare(_ input: ServiceCatalog.DeletePortfolioShareInput) async throws -> ServiceCatalog.DeletePortfolioShareOutput {
        try call("DeletePortfolioShare") { catalog, state in
            let target = try shareTarget(account: input.AccountId, node: input.OrganizationNode)
            guard catalog.portfolios[input.PortfolioId]?.shares.removeValue(forKey: target.key) != nil else {
                throw FakeError.notFound("Portfolio \(input.PortfolioId) is not shared with \(target.principal)")
            }
            return .init(PortfolioShareToken: shareToken(target.type, portfolioId: input.PortfolioId, principal: target.principal, catalog: &catalog, state: &state))
        }
    }

    /// DescribePortfolioShareStatus: IN_PROGRESS for a poll or two, then COMPLETED.
    public func describePortfolioShareStatus(_ input: ServiceCatalog.DescribePortfolioShareStatusInput) async throws -> ServiceCatalog.DescribePortfolioShareStatusOutput {
        try call("DescribePortfolioShareStatus") { catalog, _ in
            guard var status = catalog.shareStatus[input.PortfolioShareToken] else { throw FakeError.notFound("Share token \(input.PortfolioShareToken) not found") }
            status.pollsLeft -= 1
            catalog.shareStatus[input.PortfolioShareToken] = status
            return .init(PortfolioShareToken: input.PortfolioShareToken, PortfolioId: status.portfolioId, OrganizationNodeValue: status.node,
                         Status: status.pollsLeft <= 0 ? "COMPLETED" : "IN_PROGRESS", ShareDetails: .init(SuccessfulShares: [], ShareErrors: []))
        }
    }

    /// DescribePortfolioShares of one type, paged.
    public func describePortfolioShares(_ input: ServiceCatalog.DescribePortfolioSharesInput) async throws -> ServiceCatalog.DescribePortfolioSharesOutput {
        try call("DescribePortfolioShares") { catalog, _ in
            guard let portfolio = catalog.portfolios[input.PortfolioId] else { throw FakeError.notFound("Portfolio \(input.PortfolioId) not found") }
            let shares = portfolio.shares.values.filter { $0.type == input.Type }.sorted { $0.principal < $1.principal }.map {
                ServiceCatalog.PortfolioShareDetail(PrincipalId: $0.principal, Type: $0.type, Accepted: $0.accepted, ShareTagOptions: $0.shareTagOptions,
                                                    SharePrincipals: $0.sharePrincipals)
            }
            let page = try page(shares, input.PageToken, input.PageSize)
            return .init(NextPageToken: page.next, PortfolioShareDetails: page.items)
        }
    }

    /// ListPortfolioAccess: the accounts the portfolio is shared with, paged.
    public func listPortfolioAccess(_ input: ServiceCatalog.ListPortfolioAccessInput) async throws -> ServiceCatalog.ListPortfolioAccessOutput {
        try call("ListPortfolioAccess") { catalog, _ in
            guard let portfolio = catalog.portfolios[input.PortfolioId] else { throw FakeError.notFound("Portfolio \(input.PortfolioId) not found") }
            let page = try page(portfolio.shares.values.filter { $0.type == "ACCOUNT" }.map(\.principal).sorted(), input.PageToken, input.PageSize)
            return .init(AccountIds: page.items, NextPageToken: page.next)
        }
    }

    /// Sets the acceptance of the share of `portfolioId` to this account, in the owner's catalog.
    func setAccepted(_ accepted: Bool, portfolioId: String, state: inout FakeState) throws {
        guard let incoming = state.incomingShares(to: scope).first(where: { $0.portfolio.id == portfolioId }) else {
            throw FakeError.notFound("Portfolio \(portfolioId) is not shared with account \(scope.account)")
        }
        state.catalogs[incoming.owner]?.portfolios[portfolioId]?.shares["ACCOUNT/\(scope.account)"]?.accepted = accepted
    }

    /// AcceptPortfolioShare (IMPORTED): takes the owner's portfolio id; not found when there is no share.
    public func acceptPortfolioShare(_ input: ServiceCatalog.AcceptPortfolioShareInput) async throws -> ServiceCatalog.AcceptPortfolioShareOutput {
        try call("AcceptPortfolioShare") { _, state in
            try setAccepted(true, portfolioId: input.PortfolioId, state: &state)
            return .init()
        }
    }

    /// ListAcceptedPortfolioShares (IMPORTED): only accepted shares, under the owner's id, paged.
    public func listAcceptedPortfolioShares(_ input: ServiceCatalog.ListAcceptedPortfolioSharesInput) async throws -> ServiceCatalog.ListAcceptedPortfolioSharesOutput {
        try call("ListAcceptedPortfolioShares") { _, state in
            let accepted = input.PortfolioShareType == "AWS_SERVICECATALOG" ? []
                : state.incomingShares(to: scope).filter(\.share.accepted).map { detail($0.portfolio, owner: $0.owner.account) }
            let page = try page(accepted, input.PageToken, input.PageSize)
            return .init(PortfolioDetails: page.items, NextPageToken: page.next)
        }
    }

    // MARK: Principals

    /// Whether a portfolio id is usable in this account for principal associations: owned, or shared (pending or accepted).
    func knowsPortfolio(_ id: String, catalog: FakeCatalog, state: FakeState) -> Bool {
        catalog.portfolios[id] != nil || state.incomingShares(to: scope).contains { $0.portfolio.id == id }
    }

    /// AssociatePrincipalWithPortfolio: per account (not inherited by an imported portfolio); a repeat is a no-op.
    public func associatePrincipalWithPortfolio(_ input: ServiceCatalog.AssociatePrincipalWithPortfolioInput) async throws -> ServiceCatalog.AssociatePrincipalWithPortfolioOutput {
        try call("AssociatePrincipalWithPortfolio") { catalog, state in
            guard knowsPortfolio(input.PortfolioId, catalog: catalog, state: state) else { throw FakeError.notFound("Portfolio \(input.PortfolioId) not found") }
            guard input.PrincipalARN.hasPrefix("arn:") else { throw FakeError.invalidParameters("PrincipalARN \(input.PrincipalARN) is not an ARN") }
            if !(catalog.principals[input.PortfolioId] ?? []).contains(input.PrincipalARN) { catalog.principals[input.PortfolioId, default: []].append(input.PrincipalARN) }
            return .init()
        }
    }

    /// ListPrincipalsForPortfolio: this account's associations, paged.
    public func listPrincipalsForPortfolio(_ input: ServiceCatalog.ListPrincipalsForPortfolioInput) async throws -> ServiceCatalog.ListPrincipalsForPortfolioOutput {
        try call("ListPrincipalsForPortfolio") { catalog, state in
            guard knowsPortfolio(input.PortfolioId, catalog: catalog, state: state) else { throw FakeError.notFound("Portfolio \(input.PortfolioId) not found") }
            let page = try page((catalog.principals[input.PortfolioId] ?? []).map { ServiceCatalog.Principal(PrincipalARN: $0, PrincipalType: "IAM") },
                                input.PageToken, input.PageSize)
            return .init(Principals: page.items, NextPageToken: page.next)
        }
    }

    // MARK: What an end user sees

    /// A launch path: a usable portfolio holding the product whose principals include the caller.
    struct Path {
        var id: String
        var portfolio: FakeCatalog.Portfolio
        var owner: FakeState.Scope
        var product: FakeCatalog.Product
    }

    /// The caller's launch paths to products matching `match`.
    func paths(_ state: FakeState, where match: (FakeCatalog.Product) -> Bool) -> [Path] {
        let principals = state[catalog: scope].principals
        return state.usablePortfolios(scope).flatMap { owner, portfolio -> [Path] in
            guard (principals[portfolio.id] ?? []).contains(where: { $0 == context.caller || $0 == context.callerPrincipal }) else { return [] }
            let catalog = state[catalog: owner]
            return portfolio.products.compactMap { catalog.products[$0] }.filter(match).map {
                Path(id: "lpv3-\(portfolio.id.dropFirst(5))", portfolio: portfolio, owner: owner, product: $0)
            }
        }
    }

    /// DescribeProduct as an end user: not found unless the caller has a launch path; lists active, AVAILABLE versions.
    public func describeProduct(_ input: ServiceCatalog.DescribeProductInput) async throws -> ServiceCatalog.DescribeProductOutput {
        try call("DescribeProduct") { _, state in
            guard let path = paths(state, where: { $0.id == input.Id || (input.Id == nil && $0.name == input.Name) }).first else {
                throw FakeError.notFound("Product \(input.Id ?? input.Name ?? "") not found")
            }
            let artifacts = path.product.artifacts.filter { $0.active && $0.status == "AVAILABLE" }
                .map { ServiceCatalog.ProvisioningArtifact(Id: $0.id, Name: $0.name, Description: $0.description, CreatedTime: $0.created, Guidance: $0.guidance) }
            return .init(ProductViewSummary: summary(path.product), ProvisioningArtifacts: artifacts)
        }
    }

    /// ListLaunchPaths: one per usable portfolio holding the product with the caller associated, paged.
    public func listLaunchPaths(_ input: ServiceCatalog.ListLaunchPathsInput) async throws -> ServiceCatalog.ListLaunchPathsOutput {
        try call("ListLaunchPaths") { _, state in
            let found = paths(state) { $0.id == input.ProductId }
            if found.isEmpty && !state.usablePortfolios(scope).contains(where: { owner, portfolio in portfolio.products.contains(input.ProductId) }) {
                throw FakeError.notFound("Product \(input.ProductId) not found")
            }
            let page = try page(found.map { ServiceCatalog.LaunchPathSummary(Id: $0.id, Name: $0.portfolio.name) }, input.PageToken, input.PageSize)
            return .init(LaunchPathSummaries: page.items, NextPageToken: page.next)
        }
    }
}
