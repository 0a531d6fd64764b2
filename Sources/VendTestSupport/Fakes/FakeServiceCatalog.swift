import AWSCore
import AWSServices
import Foundation

/// Service Catalog in one account and region of a `FakeCloud`: portfolios, products and their
/// versions (CREATING → AVAILABLE after a describe or two), here; constraints, TagOptions and
/// service actions, shares and launch paths, and provisioning in the other `FakeServiceCatalog*` files.
public struct FakeServiceCatalog: ServiceCatalogClient {
    /// Where the client acts.
    public let context: FakeContext

    /// A client of `context`.
    public init(_ context: FakeContext) { self.context = context }

    var scope: FakeState.Scope { context.scope }

    /// Runs `body` on this scope's catalog (and the whole state) after logging the call.
    func call<T>(_ operation: String, _ body: (inout FakeCatalog, inout FakeState) throws -> T) throws -> T {
        try context.call(operation) { state in
            var catalog = state[catalog: scope]
            defer { state[catalog: scope] = catalog }
            return try body(&catalog, &state)
        }
    }

    /// Pages through `items` with the cloud's page size.
    func page<T>(_ items: [T], _ token: String?, _ size: Int? = nil) throws -> (items: [T], next: String?) {
        try context.cloud.page(items, token: token, size: size)
    }

    // MARK: Portfolios

    func detail(_ portfolio: FakeCatalog.Portfolio, owner: String) -> ServiceCatalog.PortfolioDetail {
        .init(Id: portfolio.id, ARN: "arn:aws:catalog:\(scope.region):\(owner):portfolio/\(portfolio.id)", DisplayName: portfolio.name,
              Description: portfolio.description, CreatedTime: portfolio.created, ProviderName: portfolio.provider)
    }

    /// CreatePortfolio; the same token answers the same portfolio.
    public func createPortfolio(_ input: ServiceCatalog.CreatePortfolioInput) async throws -> ServiceCatalog.CreatePortfolioOutput {
        try call("CreatePortfolio") { catalog, state in
            let key = "CreatePortfolio/\(input.IdempotencyToken)"
            if let id = catalog.tokens[key], let portfolio = catalog.portfolios[id] {
                return .init(PortfolioDetail: detail(portfolio, owner: scope.account), Tags: input.Tags)
            }
            if catalog.portfolios.count >= 100 { throw FakeError.limitExceeded("portfolio limit of 100 reached") }
            let portfolio = FakeCatalog.Portfolio(id: state.id("port"), name: input.DisplayName, description: input.Description ?? "",
                                                  provider: input.ProviderName, created: state.now())
            catalog.portfolios[portfolio.id] = portfolio
            catalog.tokens[key] = portfolio.id
            return .init(PortfolioDetail: detail(portfolio, owner: scope.account), Tags: input.Tags)
        }
    }

    /// DescribePortfolio: an owned portfolio, or one shared with this account.
    public func describePortfolio(_ input: ServiceCatalog.DescribePortfolioInput) async throws -> ServiceCatalog.DescribePortfolioOutput {
        try call("DescribePortfolio") { catalog, state in
            if let portfolio = catalog.portfolios[input.Id] { return .init(PortfolioDetail: detail(portfolio, owner: scope.account)) }
            guard let shared = state.incomingShares(to: scope).first(where: { $0.portfolio.id == input.Id }) else {
                throw FakeError.notFound("Portfolio \(input.Id) not found")
            }
            return .init(PortfolioDetail: detail(shared.portfolio, owner: shared.owner.account))
        }
    }

    /// ListPortfolios: the account's own portfolios, paged.
    public func listPortfolios(_ input: ServiceCatalog.ListPortfoliosInput) async throws -> ServiceCatalog.ListPortfoliosOutput {
        try call("ListPortfolios") { catalog, _ in
            let page = try page(catalog.portfolios.values.sorted { $0.id < $1.id }.map { detail($0, owner: scope.account) }, input.PageToken, input.PageSize)
            return .init(PortfolioDetails: page.items, NextPageToken: page.next)
        }
    }

    /// DeletePortfolio: refused while products, shares or principals remain, as AWS does.
    public func deletePortfolio(_ input: ServiceCatalog.DeletePortfolioInput) async throws -> ServiceCatalog.DeletePortfolioOutput {
        try call("DeletePortfolio") { catalog, _ in
            guard let portfolio = catalog.portfolios[input.Id] else { throw FakeError.notFound("Portfolio \(input.Id) not found") }
            if !portfolio.products.isEmpty || !portfolio.shares.isEmpty || !(catalog.principals[input.Id] ?? []).isEmpty {
                throw FakeError.make("ResourceInUseException", "Portfolio \(input.Id) still has products, shares or principals")
            }
            catalog.portfolios[input.Id] = nil
            return .init()
        }
    }

    // MARK: Products

    func summary(_ product: FakeCatalog.Product) -> ServiceCatalog.ProductViewSummary {
        .init(Id: "prodview-\(product.id.dropFirst(5))", ProductId: product.id, Name: product.name, Owner: product.owner,
              ShortDescription: product.description, Type: "CLOUD_FORMATION_TEMPLATE", Distributor: product.distributor,
              SupportEmail: product.supportEmail, SupportUrl: product.supportUrl)
    }

    func viewDetail(_ product: FakeCatalog.Product) -> ServiceCatalog.ProductViewDetail {
        .init(ProductViewSummary: summary(product), Status: "CREATED", ProductARN: "arn:aws:catalog:\(scope.region):\(scope.account):product/\(product.id)",
              CreatedTime: product.created)
    }

    func artifactDetail(_ artifact: FakeCatalog.Artifact) -> ServiceCatalog.ProvisioningArtifactDetail {
        .init(Id: artifact.id, Name: artifact.name, Description: artifact.description, Type: "CLOUD_FORMATION_TEMPLATE",
              CreatedTime: artifact.created, Active: artifact.active, Guidance: artifact.guidance)
    }

    /// A new artifact from its properties, CREATING; refused when the template URL names no object
    /// of a bucket the cloud holds (Service Catalog reads the template when the version is made).
    func makeArtifact(_ properties: ServiceCatalog.ProvisioningArtifactProperties?, product name: String, state: inout FakeState) throws -> FakeCatalog.Artifact {
        guard let properties, let version = properties.Name else { throw FakeError.invalidParameters("ProvisioningArtifactParameters.Name is required") }
        let url = properties.Info?["LoadTemplateFromURL"] ?? ""
        let prefix = "https://s3.fake/"
        if url.hasPrefix(prefix) {
            let path = url.dropFirst(prefix.count)
            let bucket = String(path.prefix { $0 != "/" }), key = String(path.drop { $0 != "/" }.dropFirst())
            if state.buckets[bucket]?.objects[key] == nil {
                throw FakeError.invalidParameters("Failed to retrieve the template from \(url): no such object")
            }
        }
        let failing = state.catalogBehaviour.failingArtifacts[name, default: 0]
        if failing > 0 { state.catalogBehaviour.failingArtifacts[name] = failing - 1 }
        return FakeCatalog.Artifact(id: state.id("pa"), name: version, description: properties.Description ?? "", info: properties.Info ?? [:],
                                    created: state.now(), pollsLeft: state.polls, fails: failing > 0)
    }

    /// CreateProduct with its first version (CREATING); the same token answers the same product.
    public func createProduct(_ input: ServiceCatalog.CreateProductInput) async throws -> ServiceCatalog.CreateProductOutput {
        try call("CreateProduct") { catalog, state in
            let key = "CreateProduct/\(input.IdempotencyToken)"
            if let id = catalog.tokens[key], let product = catalog.products[id] {
                return .init(ProductViewDetail: viewDetail(product), ProvisioningArtifactDetail: product.artifacts.first.map(artifactDetail), Tags: input.Tags)
            }
            let artifact = try makeArtifact(input.ProvisioningArtifactParameters, product: input.Name, state: &state)
            let product = FakeCatalog.Product(id: state.id("prod"), name: input.Name, owner: input.Owner, description: input.Description,
                                              distributor: input.Distributor, supportEmail: input.SupportEmail, supportUrl: input.SupportUrl,
                                              created: state.now(), artifacts: [artifact])
            catalog.products[product.id] = product
            catalog.tokens[key] = product.id
            return .init(ProductViewDetail: viewDetail(product), ProvisioningArtifactDetail: artifactDetail(artifact), Tags: input.Tags)
        }
    }

    /// DescribeProductAsAdmin: the product, its versions and TagOptions.
    public func describeProductAsAdmin(_ input: ServiceCatalog.DescribeProductAsAdminInput) async throws -> ServiceCatalog.DescribeProductAsAdminOutput {
        try call("DescribeProductAsAdmin") { catalog, _ in
            guard let product = catalog.products.values.first(where: { $0.id == input.Id || (input.Id == nil && $0.name == input.Name) }) else {
                throw FakeError.notFound("Product \(input.Id ?? input.Name ?? "") not found")
            }
            let options = product.tagOptions.compactMap { catalog.tagOptions[$0] }.map { ServiceCatalog.TagOptionDetail(Key: $0.key, Value: $0.value, Active: true, Id: $0.id) }
            return .init(ProductViewDetail: viewDetail(product),
                         ProvisioningArtifactSummaries: product.artifacts.map { .init(Id: $0.id, Name: $0.name, Description: $0.description, CreatedTime: $0.created) },
                         TagOptions: options)
        }
    }

    /// SearchProductsAsAdmin: the account's products, or one portfolio's, paged.
    public func searchProductsAsAdmin(_ input: ServiceCatalog.SearchProductsAsAdminInput) async throws -> ServiceCatalog.SearchProductsAsAdminOutput {
        try call("SearchProductsAsAdmin") { catalog, _ in
            var products = catalog.products.values.sorted { $0.id < $1.id }
            if let portfolioId = input.PortfolioId {
                guard let portfolio = catalog.portfolios[portfolioId] else { throw FakeError.notFound("Portfolio \(portfolioId) not found") }
                products = products.filter { portfolio.products.contains($0.id) }
            }
            let page = try page(products.map(viewDetail), input.PageToken, input.PageSize)
            return .init(ProductViewDetails: page.items, NextPageToken: page.next)
        }
    }

    // MARK: Versions

    /// CreateProvisioningArtifact (CREATING); the same token answers the same version; names are unique per product.
    public func createProvisioningArtifact(_ input: ServiceCatalog.CreateProvisioningArtifactInput) async throws -> ServiceCatalog.CreateProvisioningArtifactOutput {
        try call("CreateProvisioningArtifact") { catalog, state in
            guard var product = catalog.products[input.ProductId] else { throw FakeError.notFound("Product \(input.ProductId) not found") }
            let key = "CreateProvisioningArtifact/\(input.IdempotencyToken)"
            if let id = catalog.tokens[key], let artifact = product.artifacts.first(where: { $0.id == id }) {
                return .init(ProvisioningArtifactDetail: artifactDetail(artifact), Info: artifact.info, Status: artifact.status)
            }
            if product.artifacts.contains(where: { $0.name == input.Parameters.Name }) {
                throw FakeError.duplicate("Provisioning artifact \(input.Parameters.Name ?? "") already exists for product \(product.id)")
            }
            if product.artifacts.count >= 100 { throw FakeError.limitExceeded("product \(product.id) has 100 provisioning artifacts") }
            let artifact = try makeArtifact(input.Parameters, product: product.name, state: &state)
            product.artifacts.append(artifact)
            catalog.products[product.id] = product
            catalog.tokens[key] = artifact.id
            return .init(ProvisioningArtifactDetail: artifactDetail(artifact), Info: artifact.info, Status: artifact.status)
        }
    }

    /// DescribeProvisioningArtifact: each describe brings a CREATING version nearer AVAILABLE (or FAILED, when injected).
    public func describeProvisioningArtifact(_ input: ServiceCatalog.DescribeProvisioningArtifactInput) async throws -> ServiceCatalog.DescribeProvisioningArtifactOutput {
        try call("DescribeProvisioningArtifact") { catalog, _ in
            guard let productId = input.ProductId, let artifactId = input.ProvisioningArtifactId, let index = catalog.artifactIndex(productId, artifactId),
                  var artifact = catalog.products[productId]?.artifacts[index] else {
                throw FakeError.notFound("Provisioning artifact \(input.ProvisioningArtifactId ?? "") of product \(input.ProductId ?? "") not found")
            }
            if artifact.status == "CREATING" {
                artifact.pollsLeft -= 1
                if artifact.pollsLeft <= 0 { artifact.status = artifact.fails ? "FAILED" : "AVAILABLE" }
                catalog.products[productId]?.artifacts[index] = artifact
            }
            return .init(ProvisioningArtifactDetail: artifactDetail(artifact), Info: artifact.info, Status: artifact.status)
        }
    }

    /// ListProvisioningArtifacts: every version of the product.
    public func listProvisioningArtifacts(_ input: ServiceCatalog.ListProvisioningArtifactsInput) async throws -> ServiceCatalog.ListProvisioningArtifactsOutput {
        try call("ListProvisioningArtifacts") { catalog, _ in
            guard let product = catalog.products[input.ProductId] else { throw FakeError.notFound("Product \(input.ProductId) not found") }
            return .init(ProvisioningArtifactDetails: product.artifacts.map(artifactDetail))
        }
    }

    /// UpdateProvisioningArtifact: Guidance, Active, name and description.
    public func updateProvisioningArtifact(_ input: ServiceCatalog.UpdateProvisioningArtifactInput) async throws -> ServiceCatalog.UpdateProvisioningArtifactOutput {
        try call("UpdateProvisioningArtifact") { catalog, _ in
            guard let index = catalog.artifactIndex(input.ProductId, input.ProvisioningArtifactId), var artifact = catalog.products[input.ProductId]?.artifacts[index] else {
                throw FakeError.notFound("Provisioning artifact \(input.ProvisioningArtifactId) not found")
            }
            if let guidance = input.Guidance {
                guard ["DEFAULT", "DEPRECATED"].contains(guidance) else { throw FakeError.invalidParameters("Guidance \(guidance) is not valid") }
                artifact.guidance = guidance
            }
            if let active = input.Active { artifact.active = active }
            if let name = input.Name { artifact.name = name }
            if let description = input.Description { artifact.description = description }
            catalog.products[input.ProductId]?.artifacts[index] = artifact
            return .init(ProvisioningArtifactDetail: artifactDetail(artifact), Info: artifact.info, Status: artifact.status)
        }
    }

    /// DescribeProvisioningParameters: not modelled.
    public func describeProvisioningParameters(_ input: ServiceCatalog.DescribeProvisioningParametersInput) async throws -> ServiceCatalog.DescribeProvisioningParametersOutput {
        throw FakeError.notModelled("DescribeProvisioningParameters")
    }

}
