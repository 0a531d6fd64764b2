import AWSCore
import AWSServices
import Foundation

/// What a portfolio and a product hold: product associations, constraints, TagOptions, and
/// service actions with their associations (25 per version).
extension FakeServiceCatalog {
    // MARK: Product ↔ portfolio

    /// AssociateProductWithPortfolio (a repeat is a no-op, as on AWS).
    public func associateProductWithPortfolio(_ input: ServiceCatalog.AssociateProductWithPortfolioInput) async throws -> ServiceCatalog.AssociateProductWithPortfolioOutput {
        try call("AssociateProductWithPortfolio") { catalog, _ in
            guard catalog.products[input.ProductId] != nil else { throw FakeError.notFound("Product \(input.ProductId) not found") }
            guard var portfolio = catalog.portfolios[input.PortfolioId] else { throw FakeError.notFound("Portfolio \(input.PortfolioId) not found") }
            if !portfolio.products.contains(input.ProductId) { portfolio.products.append(input.ProductId) }
            catalog.portfolios[input.PortfolioId] = portfolio
            return .init()
        }
    }

    /// DisassociateProductFromPortfolio: refused while a constraint ties them.
    public func disassociateProductFromPortfolio(_ input: ServiceCatalog.DisassociateProductFromPortfolioInput) async throws -> ServiceCatalog.DisassociateProductFromPortfolioOutput {
        try call("DisassociateProductFromPortfolio") { catalog, _ in
            guard var portfolio = catalog.portfolios[input.PortfolioId], portfolio.products.contains(input.ProductId) else {
                throw FakeError.notFound("Product \(input.ProductId) is not in portfolio \(input.PortfolioId)")
            }
            if catalog.constraints.values.contains(where: { $0.portfolioId == input.PortfolioId && $0.productId == input.ProductId }) {
                throw FakeError.make("ResourceInUseException", "Product \(input.ProductId) has constraints in portfolio \(input.PortfolioId)")
            }
            portfolio.products.removeAll { $0 == input.ProductId }
            catalog.portfolios[input.PortfolioId] = portfolio
            return .init()
        }
    }

    // MARK: Constraints

    func constraintDetail(_ constraint: FakeCatalog.Constraint) -> ServiceCatalog.ConstraintDetail {
        .init(ConstraintId: constraint.id, Type: constraint.type, Description: constraint.description, Owner: scope.account,
              ProductId: constraint.productId, PortfolioId: constraint.portfolioId)
    }

    /// CreateConstraint: the product must be in the portfolio; one LAUNCH constraint per pair; same token, same constraint.
    public func createConstraint(_ input: ServiceCatalog.CreateConstraintInput) async throws -> ServiceCatalog.CreateConstraintOutput {
        try call("CreateConstraint") { catalog, state in
            let key = "CreateConstraint/\(input.IdempotencyToken)"
            if let id = catalog.tokens[key], let constraint = catalog.constraints[id] {
                return .init(ConstraintDetail: constraintDetail(constraint), ConstraintParameters: constraint.parameters, Status: "AVAILABLE")
            }
            guard let portfolio = catalog.portfolios[input.PortfolioId] else { throw FakeError.notFound("Portfolio \(input.PortfolioId) not found") }
            guard portfolio.products.contains(input.ProductId) else {
                throw FakeError.notFound("Product \(input.ProductId) is not associated with portfolio \(input.PortfolioId)")
            }
            if input.Type == "LAUNCH" {
                if catalog.constraints.values.contains(where: { $0.type == "LAUNCH" && $0.portfolioId == input.PortfolioId && $0.productId == input.ProductId }) {
                    throw FakeError.duplicate("A LAUNCH constraint already exists for product \(input.ProductId) in portfolio \(input.PortfolioId)")
                }
                guard let data = input.Parameters.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                      object["LocalRoleName"] != nil || object["RoleArn"] != nil else {
                    throw FakeError.invalidParameters("LAUNCH constraint parameters need RoleArn or LocalRoleName: \(input.Parameters)")
                }
            }
            let constraint = FakeCatalog.Constraint(id: state.id("cons"), type: input.Type, portfolioId: input.PortfolioId, productId: input.ProductId,
                                                    parameters: input.Parameters, description: input.Description ?? "")
            catalog.constraints[constraint.id] = constraint
            catalog.tokens[key] = constraint.id
            return .init(ConstraintDetail: constraintDetail(constraint), ConstraintParameters: constraint.parameters, Status: "AVAILABLE")
        }
    }

    /// DescribeConstraint.
    public func describeConstraint(_ input: ServiceCatalog.DescribeConstraintInput) async throws -> ServiceCatalog.DescribeConstraintOutput {
        try call("DescribeConstraint") { catalog, _ in
            guard let constraint = catalog.constraints[input.Id] else { throw FakeError.notFound("Constraint \(input.Id) not found") }
            return .init(ConstraintDetail: constraintDetail(constraint), ConstraintParameters: constraint.parameters, Status: "AVAILABLE")
        }
    }

    /// ListConstraintsForPortfolio, optionally for one product, paged.
    public func listConstraintsForPortfolio(_ input: ServiceCatalog.ListConstraintsForPortfolioInput) async throws -> ServiceCatalog.ListConstraintsForPortfolioOutput {
        try call("ListConstraintsForPortfolio") { catalog, _ in
            guard catalog.portfolios[input.PortfolioId] != nil else { throw FakeError.notFound("Portfolio \(input.PortfolioId) not found") }
            let constraints = catalog.constraints.values.filter { $0.portfolioId == input.PortfolioId && (input.ProductId == nil || $0.productId == input.ProductId) }
            let page = try page(constraints.sorted { $0.id < $1.id }.map(constraintDetail), input.PageToken, input.PageSize)
            return .init(ConstraintDetails: page.items, NextPageToken: page.next)
        }
    }

    /// UpdateConstraint: parameters and description.
    public func updateConstraint(_ input: ServiceCatalog.UpdateConstraintInput) async throws -> ServiceCatalog.UpdateConstraintOutput {
        try call("UpdateConstraint") { catalog, _ in
            guard var constraint = catalog.constraints[input.Id] else { throw FakeError.notFound("Constraint \(input.Id) not found") }
            if let parameters = input.Parameters { constraint.parameters = parameters }
            if let description = input.Description { constraint.description = description }
            catalog.constraints[input.Id] = constraint
            return .init(ConstraintDetail: constraintDetail(constraint), ConstraintParameters: constraint.parameters, Status: "AVAILABLE")
        }
    }

    // MARK: TagOptions

    /// CreateTagOption: a key/value pair exists once per region.
    public func createTagOption(_ input: ServiceCatalog.CreateTagOptionInput) async throws -> ServiceCatalog.CreateTagOptionOutput {
        try call("CreateTagOption") { catalog, state in
            if catalog.tagOptions.values.contains(where: { $0.key == input.Key && $0.value == input.Value }) {
                throw FakeError.duplicate("TagOption \(input.Key)=\(input.Value) already exists")
            }
            let option = FakeCatalog.TagOption(id: state.id("tag"), key: input.Key, value: input.Value)
            catalog.tagOptions[option.id] = option
            return .init(TagOptionDetail: .init(Key: option.key, Value: option.value, Active: true, Id: option.id, Owner: scope.account))
        }
    }

    /// ListTagOptions, filtered by key and value, paged (the next token comes back as `PageToken`).
    public func listTagOptions(_ input: ServiceCatalog.ListTagOptionsInput) async throws -> ServiceCatalog.ListTagOptionsOutput {
        try call("ListTagOptions") { catalog, _ in
            let options = catalog.tagOptions.values.filter { option in
                (input.Filters?.Key.map { $0 == option.key } ?? true) && (input.Filters?.Value.map { $0 == option.value } ?? true)
            }.sorted { $0.id < $1.id }
            let page = try page(options.map { ServiceCatalog.TagOptionDetail(Key: $0.key, Value: $0.value, Active: true, Id: $0.id, Owner: scope.account) },
                                input.PageToken, input.PageSize)
            return .init(TagOptionDetails: page.items, PageToken: page.next)
        }
    }

    /// AssociateTagOptionWithResource (a product or a portfolio; 25 per resource).
    public func associateTagOptionWithResource(_ input: ServiceCatalog.AssociateTagOptionWithResourceInput) async throws -> ServiceCatalog.AssociateTagOptionWithResourceOutput {
        try call("AssociateTagOptionWithResource") { catalog, _ in
            guard catalog.tagOptions[input.TagOptionId] != nil else { throw FakeError.notFound("TagOption \(input.TagOptionId) not found") }
            func add(_ list: inout [String]) throws {
                if list.contains(input.TagOptionId) { throw FakeError.duplicate("TagOption \(input.TagOptionId) is already associated with \(input.ResourceId)") }
                if list.count >= 25 { throw FakeError.limitExceeded("\(input.ResourceId) already has 25 TagOptions") }
                list.append(input.TagOptionId)
            }
            if var product = catalog.products[input.ResourceId] {
                try add(&product.tagOptions)
                catalog.products[input.ResourceId] = product
            } else if var portfolio = catalog.portfolios[input.ResourceId] {
                try add(&portfolio.tagOptions)
                catalog.portfolios[input.ResourceId] = portfolio
            } else {
                throw FakeError.notFound("Resource \(input.ResourceId) not found")
            }
            return .init()
        }
    }

    /// DisassociateTagOptionFromResource.
    public func disassociateTagOptionFromResource(_ input: ServiceCatalog.DisassociateTagOptionFromResourceInput) async throws -> ServiceCatalog.DisassociateTagOptionFromResourceOutput {
        try call("DisassociateTagOptionFromResource") { catalog, _ in
            catalog.products[input.ResourceId]?.tagOptions.removeAll { $0 == input.TagOptionId }
            catalog.portfolios[input.ResourceId]?.tagOptions.removeAll { $0 == input.TagOptionId }
            return .init()
        }
    }

    /// ListResourcesForTagOption: the products (or portfolios) a TagOption is on, paged by `PageToken`.
    public func listResourcesForTagOption(_ input: ServiceCatalog.ListResourcesForTagOptionInput) async throws -> ServiceCatalog.ListResourcesForTagOptionOutput {
        try call("ListResourcesForTagOption") { catalog, _ in
            guard catalog.tagOptions[input.TagOptionId] != nil else { throw FakeError.notFound("TagOption \(input.TagOptionId) not found") }
            var resources: [ServiceCatalog.ResourceDetail] = []
            if input.ResourceType != "Portfolio" {
                resources += catalog.products.values.filter { $0.tagOptions.contains(input.TagOptionId) }.sorted { $0.id < $1.id }
                    .map { .init(Id: $0.id, Name: $0.name, CreatedTime: $0.created) }
            }
            if input.ResourceType != "Product" {
                resources += catalog.portfolios.values.filter { $0.tagOptions.contains(input.TagOptionId) }.sorted { $0.id < $1.id }
                    .map { .init(Id: $0.id, Name: $0.name, CreatedTime: $0.created) }
            }
            let page = try page(resources, input.PageToken, input.PageSize)
            return .init(ResourceDetails: page.items, PageToken: page.next)
        }
    }

    // MARK: Service actions

    func actionSummary(_ action: FakeCatalog.ServiceAction) -> ServiceCatalog.ServiceActionSummary {
        .init(Id: action.id, Name: action.name, Description: action.description, DefinitionType: action.definitionType)
    }

    /// CreateServiceAction; the same token answers the same action.
    public func createServiceAction(_ input: ServiceCatalog.CreateServiceActionInput) async throws -> ServiceCatalog.CreateServiceActionOutput {
        try call("CreateServiceAction") { catalog, state in
            let key = "CreateServiceAction/\(input.IdempotencyToken)"
            if let id = catalog.tokens[key], let action = catalog.actions[id] {
                return .init(ServiceActionDetail: .init(ServiceActionSummary: actionSummary(action), Definition: action.definition))
            }
            if catalog.actions.count >= 200 { throw FakeError.limitExceeded("200 service actions in the region") }
            guard input.Definition["Name"] != nil else { throw FakeError.invalidParameters("the SSM_AUTOMATION definition needs Name") }
            let action = FakeCatalog.ServiceAction(id: state.id("act"), name: input.Name, definitionType: input.DefinitionType,
                                                   description: input.Description ?? "", definition: input.Definition)
            catalog.actions[action.id] = action
            catalog.tokens[key] = action.id
            return .init(ServiceActionDetail: .init(ServiceActionSummary: actionSummary(action), Definition: action.definition))
        }
    }

    /// DescribeServiceAction.
    public func describeServiceAction(_ input: ServiceCatalog.DescribeServiceActionInput) async throws -> ServiceCatalog.DescribeServiceActionOutput {
        try call("DescribeServiceAction") { catalog, _ in
            guard let action = catalog.actions[input.Id] else { throw FakeError.notFound("Service action \(input.Id) not found") }
            return .init(ServiceActionDetail: .init(ServiceActionSummary: actionSummary(action), Definition: action.definition))
        }
    }

    /// ListServiceActions, paged.
    public func listServiceActions(_ input: ServiceCatalog.ListServiceActionsInput) async throws -> ServiceCatalog.ListServiceActionsOutput {
        try call("ListServiceActions") { catalog, _ in
            let page = try page(catalog.actions.values.sorted { $0.id < $1.id }.map(actionSummary), input.PageToken, input.PageSize)
            return .init(ServiceActionSummaries: page.items, NextPageToken: page.next)
        }
    }

    /// UpdateServiceAction: definition keys given replace the old ones.
    public func updateServiceAction(_ input: ServiceCatalog.UpdateServiceActionInput) async throws -> ServiceCatalog.UpdateServiceActionOutput {
        try call("UpdateServiceAction") { catalog, _ in
            guard var action = catalog.actions[input.Id] else { throw FakeError.notFound("Service action \(input.Id) not found") }
            if let name = input.Name { action.name = name }
            if let description = input.Description { action.description = description }
            for (key, value) in input.Definition ?? [:] { action.definition[key] = value }
            catalog.actions[input.Id] = action
            return .init(ServiceActionDetail: .init(ServiceActionSummary: actionSummary(action), Definition: action.definition))
        }
    }

    /// AssociateServiceActionWithProvisioningArtifact: 25 per version; a repeat with the same token is a no-op.
    public func associateServiceActionWithProvisioningArtifact(_ input: ServiceCatalog.AssociateServiceActionWithProvisioningArtifactInput) async throws
        -> ServiceCatalog.AssociateServiceActionWithProvisioningArtifactOutput {
        try call("AssociateServiceActionWithProvisioningArtifact") { catalog, _ in
            guard catalog.actions[input.ServiceActionId] != nil else { throw FakeError.notFound("Service action \(input.ServiceActionId) not found") }
            guard let index = catalog.artifactIndex(input.ProductId, input.ProvisioningArtifactId), var artifact = catalog.products[input.ProductId]?.artifacts[index] else {
                throw FakeError.notFound("Provisioning artifact \(input.ProvisioningArtifactId) of \(input.ProductId) not found")
            }
            let key = "AssociateServiceAction/\(input.IdempotencyToken ?? "")"
            if artifact.actions.contains(input.ServiceActionId) {
                if input.IdempotencyToken != nil && catalog.tokens[key] != nil { return .init() }
                throw FakeError.duplicate("Service action \(input.ServiceActionId) is already associated with \(input.ProvisioningArtifactId)")
            }
            if artifact.actions.count >= 25 { throw FakeError.limitExceeded("provisioning artifact \(artifact.id) already has 25 service actions") }
            artifact.actions.append(input.ServiceActionId)
            catalog.products[input.ProductId]?.artifacts[index] = artifact
            if input.IdempotencyToken != nil { catalog.tokens[key] = input.ServiceActionId }
            return .init()
        }
    }

    /// ListServiceActionsForProvisioningArtifact, paged.
    public func listServiceActionsForProvisioningArtifact(_ input: ServiceCatalog.ListServiceActionsForProvisioningArtifactInput) async throws
        -> ServiceCatalog.ListServiceActionsForProvisioningArtifactOutput {
        try call("ListServiceActionsForProvisioningArtifact") { catalog, state in
            // An end user in a spoke reads the owner's artifact through the imported portfolio.
            let owner = catalog.products[input.ProductId] != nil ? catalog
                : state.usablePortfolios(scope).map { state[catalog: $0.owner] }.first { $0.products[input.ProductId] != nil }
            guard let owner, let index = owner.artifactIndex(input.ProductId, input.ProvisioningArtifactId) else {
                throw FakeError.notFound("Provisioning artifact \(input.ProvisioningArtifactId) of \(input.ProductId) not found")
            }
            let actions = (owner.products[input.ProductId]?.artifacts[index].actions ?? []).compactMap { owner.actions[$0] }.map(actionSummary)
            let page = try page(actions, input.PageToken, input.PageSize)
            return .init(ServiceActionSummaries: page.items, NextPageToken: page.next)
        }
    }
}
