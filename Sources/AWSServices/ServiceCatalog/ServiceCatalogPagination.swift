import AWSCore

/// Every page of the paged Service Catalog lists vend reads whole.
extension ServiceCatalogClient {
    /// All portfolios of the caller's account (ListPortfolios).
    public func allPortfolios() async throws -> [ServiceCatalog.PortfolioDetail] {
        try await Paginator.collect { token in
            let page = try await listPortfolios(ServiceCatalog.ListPortfoliosInput(PageToken: token, PageSize: 20))
            return (page.PortfolioDetails ?? [], page.NextPageToken)
        }
    }

    /// All portfolios imported into the caller's account (ListAcceptedPortfolioShares).
    public func allAcceptedPortfolioShares(type: String = "IMPORTED") async throws -> [ServiceCatalog.PortfolioDetail] {
        try await Paginator.collect { token in
            let page = try await listAcceptedPortfolioShares(ServiceCatalog.ListAcceptedPortfolioSharesInput(PageToken: token, PageSize: 20, PortfolioShareType: type))
            return (page.PortfolioDetails ?? [], page.NextPageToken)
        }
    }

    /// All products, optionally of one portfolio (SearchProductsAsAdmin).
    public func allProductsAsAdmin(portfolioId: String? = nil) async throws -> [ServiceCatalog.ProductViewDetail] {
        try await Paginator.collect { token in
            let page = try await searchProductsAsAdmin(ServiceCatalog.SearchProductsAsAdminInput(PortfolioId: portfolioId, PageToken: token, PageSize: 20))
            return (page.ProductViewDetails ?? [], page.NextPageToken)
        }
    }

    /// All constraints of a portfolio, optionally for one product.
    public func allConstraints(portfolioId: String, productId: String? = nil) async throws -> [ServiceCatalog.ConstraintDetail] {
        try await Paginator.collect { token in
            let page = try await listConstraintsForPortfolio(ServiceCatalog.ListConstraintsForPortfolioInput(PortfolioId: portfolioId, ProductId: productId, PageSize: 20, PageToken: token))
            return (page.ConstraintDetails ?? [], page.NextPageToken)
        }
    }

    /// All TagOptions matching a filter.
    public func allTagOptions(key: String? = nil, value: String? = nil) async throws -> [ServiceCatalog.TagOptionDetail] {
        try await Paginator.collect { token in
            let filters = key == nil && value == nil ? nil : ServiceCatalog.ListTagOptionsFilters(Key: key, Value: value)
            let page = try await listTagOptions(ServiceCatalog.ListTagOptionsInput(Filters: filters, PageSize: 20, PageToken: token))
            return (page.TagOptionDetails ?? [], page.PageToken)
        }
    }

    /// All principals associated with a portfolio.
    public func allPrincipals(portfolioId: String) async throws -> [ServiceCatalog.Principal] {
        try await Paginator.collect { token in
            let page = try await listPrincipalsForPortfolio(ServiceCatalog.ListPrincipalsForPortfolioInput(PortfolioId: portfolioId, PageSize: 20, PageToken: token))
            return (page.Principals ?? [], page.NextPageToken)
        }
    }

    /// All launch paths of a product for the caller.
    public func allLaunchPaths(productId: String) async throws -> [ServiceCatalog.LaunchPathSummary] {
        try await Paginator.collect { token in
            let page = try await listLaunchPaths(ServiceCatalog.ListLaunchPathsInput(ProductId: productId, PageSize: 20, PageToken: token))
            return (page.LaunchPathSummaries ?? [], page.NextPageToken)
        }
    }

    /// All service actions of the account.
    public func allServiceActions() async throws -> [ServiceCatalog.ServiceActionSummary] {
        try await Paginator.collect { token in
            let page = try await listServiceActions(ServiceCatalog.ListServiceActionsInput(PageSize: 20, PageToken: token))
            return (page.ServiceActionSummaries ?? [], page.NextPageToken)
        }
    }

    /// All service actions associated with one provisioning artifact.
    public func allServiceActions(productId: String, provisioningArtifactId: String) async throws -> [ServiceCatalog.ServiceActionSummary] {
        try await Paginator.collect { token in
            let page = try await listServiceActionsForProvisioningArtifact(ServiceCatalog.ListServiceActionsForProvisioningArtifactInput(
                ProductId: productId, ProvisioningArtifactId: provisioningArtifactId, PageSize: 20, PageToken: token))
            return (page.ServiceActionSummaries ?? [], page.NextPageToken)
        }
    }

    /// All provisioned products visible to the caller (SearchProvisionedProducts), optionally filtered.
    public func allProvisionedProducts(accessLevel: String = "Account", filters: [String: [String]]? = nil) async throws -> [ServiceCatalog.ProvisionedProductAttribute] {
        try await Paginator.collect { token in
            let page = try await searchProvisionedProducts(ServiceCatalog.SearchProvisionedProductsInput(
                AccessLevelFilter: ServiceCatalog.AccessLevelFilter(Key: accessLevel, Value: "self"), Filters: filters, PageSize: 20, PageToken: token))
            return (page.ProvisionedProducts ?? [], page.NextPageToken)
        }
    }

    /// All accounts a portfolio is shared with.
    public func allPortfolioAccess(portfolioId: String) async throws -> [String] {
        try await Paginator.collect { token in
            let page = try await listPortfolioAccess(ServiceCatalog.ListPortfolioAccessInput(PortfolioId: portfolioId, PageToken: token, PageSize: 20))
            return (page.AccountIds ?? [], page.NextPageToken)
        }
    }

    /// All shares of a portfolio of one type (ACCOUNT, ORGANIZATION, ORGANIZATIONAL_UNIT, ORGANIZATION_MEMBER_ACCOUNT).
    public func allPortfolioShares(portfolioId: String, type: String) async throws -> [ServiceCatalog.PortfolioShareDetail] {
        try await Paginator.collect { token in
            let page = try await describePortfolioShares(ServiceCatalog.DescribePortfolioSharesInput(PortfolioId: portfolioId, Type: type, PageToken: token, PageSize: 20))
            return (page.PortfolioShareDetails ?? [], page.NextPageToken)
        }
    }

    /// All outputs of a provisioned product.
    public func allOutputs(provisionedProductId: String) async throws -> [ServiceCatalog.RecordOutput] {
        try await Paginator.collect { token in
            let page = try await getProvisionedProductOutputs(ServiceCatalog.GetProvisionedProductOutputsInput(ProvisionedProductId: provisionedProductId, PageSize: 20, PageToken: token))
            return (page.Outputs ?? [], page.NextPageToken)
        }
    }
}
