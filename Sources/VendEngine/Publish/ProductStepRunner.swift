import AWSCore
import AWSServices
import Foundation

/// Runs one product's steps in order, learning ids as it creates things: `start` (everything
/// that does not need the new version AVAILABLE), `waitForNewVersions`, then `finish` — `run`
/// does all three.
struct ProductStepRunner: Sendable {
    /// How many accounts one ModifyDocumentPermission call may add.
    static let documentShareBatch = 20
    let executor: PublishExecutor
    let product: DesiredProduct
    let live: CatalogSnapshot.Product?
    /// The portfolio steps, running alongside; a step that needs the portfolio's id or a
    /// TagOption's waits for them.
    let portfolio: Task<PublishExecutor.PortfolioIds, any Error>
    let snapshot: CatalogSnapshot

    var portfolioId: String { get async throws { try await portfolio.value.portfolioId } }

    var catalog: any ServiceCatalogClient { executor.environment.serviceCatalog }

    /// Mutable state of one run.
    struct State {
        var productId: String?
        var versionIds: [String: String]
        var actionIds: [String: String]
        var documentVersions: [String: String]
        /// Versions created by this run and not yet seen AVAILABLE.
        var creating: [String]
        /// Whether this run put the product into the portfolio (so it has no LAUNCH constraint yet).
        var associatedHere = false
    }

    /// Steps that need the version AVAILABLE: they run after the wait.
    static func needsAvailableVersion(_ step: PublishStep) -> Bool {
        switch step {
        case .associateAction, .deprecateVersion: return true
        default: return false
        }
    }

    /// Runs every step of the plan: those that need no AVAILABLE version, the wait for the
    /// versions this run created, then the rest.
    func run(_ steps: [PublishStep]) async throws -> PublishExecutor.ProductResult {
        let started = try await start(steps.filter { !Self.needsAvailableVersion($0) })
        let available = try await waitForNewVersions(started)
        return try await finish(steps.filter(Self.needsAvailableVersion), state: available, total: steps.count)
    }

    /// Runs the first steps; new versions are left CREATING (recorded in the state).
    func start(_ steps: [PublishStep]) async throws -> State {
        var state = State(
            productId: live?.id,
            versionIds: Dictionary((live?.versions ?? []).map { ($0.name, $0.id) }, uniquingKeysWith: { first, _ in first }),
            actionIds: snapshot.actions.mapValues(\.id),
            documentVersions: snapshot.documents.mapValues(\.latestVersion),
            creating: [])
        for step in steps {
            executor.environment.progress("\(product.name) \(product.version): \(step.summary)")
            try await run(step, state: &state)
        }
        return state
    }

    /// Waits until every version this run created is AVAILABLE.
    func waitForNewVersions(_ state: State) async throws -> State {
        guard let productId = state.productId else { return state }
        for versionId in state.creating { try await waitUntilAvailable(productId: productId, versionId: versionId) }
        var done = state
        done.creating = []
        return done
    }

    /// Runs the remaining steps and reports the product.
    func finish(_ steps: [PublishStep], state initial: State, total: Int) async throws -> PublishExecutor.ProductResult {
        var state = initial
        for step in steps {
            executor.environment.progress("\(product.name) \(product.version): \(step.summary)")
            try await run(step, state: &state)
        }
        guard let productId = state.productId, let versionId = state.versionIds[product.version] else {
            throw PublishError.noIdAfterPublishing(product: product.name, version: product.version)
        }
        executor.environment.progress("\(product.name) \(product.version): \(total == 0 ? "up to date" : "\(total) change(s) made")")
        return .init(product: product.name, version: product.version, productId: productId, versionId: versionId, digest: product.digest, changes: total)
    }

    private func artifactProperties() -> ServiceCatalog.ProvisioningArtifactProperties {
        .init(Name: product.version, Description: product.artifactDescription,
              Info: ["LoadTemplateFromURL": executor.environment.objectURL(executor.bucket, product.templateKey)],
              Type: "CLOUD_FORMATION_TEMPLATE")
    }

    private func requireProductId(_ state: State) throws -> String {
        guard let id = state.productId else { throw PublishError.internalInvariant("\(product.name) has no product id yet") }
        return id
    }

    private func run(_ step: PublishStep, state: inout State) async throws {
        let definition = product.definition
        switch step {
        case let .upload(key, kind):
            let body = kind == "bundle" ? product.bundle : product.template
            let contentType = kind == "bundle" ? "application/gzip" : "application/x-yaml"
            _ = try await executor.environment.s3.putObject(bucket: executor.bucket, key: key, body: body,
                                                            options: .init(ContentType: contentType, ServerSideEncryption: "AES256",
                                                                           Metadata: ["vend-digest": product.digest]))
        case .createProduct:
            let output = try await catalog.createProduct(.init(
                Name: definition.name, Owner: definition.owner, Description: definition.description, Distributor: definition.distributor,
                SupportEmail: definition.supportEmail, SupportUrl: definition.supportUrl, ProductType: "CLOUD_FORMATION_TEMPLATE",
                Tags: [.init(Key: "vend:managed", Value: "true")], ProvisioningArtifactParameters: artifactProperties(),
                IdempotencyToken: executor.token("product", definition.name, product.digest)))
            guard let productId = output.ProductViewDetail?.ProductViewSummary?.ProductId else {
                throw PublishError.incompleteAnswer(operation: "CreateProduct", missing: "a product id for \(definition.name)", findsBy: "name")
            }
            state.productId = productId
            guard let versionId = output.ProvisioningArtifactDetail?.Id else {
                throw PublishError.incompleteAnswer(operation: "CreateProduct", missing: "a version id for \(definition.name)", findsBy: "name")
            }
            state.versionIds[product.version] = versionId
            state.creating.append(versionId)
        case .createVersion:
            let productId = try requireProductId(state)
            let output = try await catalog.createProvisioningArtifact(.init(
                ProductId: productId, Parameters: artifactProperties(),
                IdempotencyToken: executor.token("version", definition.name, product.version, product.digest)))
            guard let versionId = output.ProvisioningArtifactDetail?.Id else {
                throw PublishError.incompleteAnswer(operation: "CreateProvisioningArtifact", missing: "a version id for \(definition.name) \(product.version)", findsBy: "name")
            }
            state.versionIds[product.version] = versionId
            state.creating.append(versionId)
        case .associateProduct:
            _ = try await catalog.associateProductWithPortfolio(.init(ProductId: try requireProductId(state), PortfolioId: try await portfolioId))
            state.associatedHere = true
        case let .createLaunchConstraint(role):
            let productId = try requireProductId(state)
            let portfolioId = try await self.portfolioId
            do {
                _ = try await catalog.createConstraint(.init(
                    PortfolioId: portfolioId, ProductId: productId, Parameters: Self.launchParameters(role), Type: "LAUNCH",
                    Description: "vend: launch as the local role \(role)", IdempotencyToken: executor.token("launch", portfolioId, definition.name, role)))
            } catch {
                // Service Catalog needs the product in the portfolio before a LAUNCH constraint can
                // name it. If the portfolio is already shared, a product left there without one is
                // visible to the spokes and launched with the end user's own permissions: take it
                // out again (best effort; the re-run puts it back with its constraint).
                if state.associatedHere {
                    _ = try? await catalog.disassociateProductFromPortfolio(.init(ProductId: productId, PortfolioId: portfolioId))
                }
                throw error
            }
        case let .updateLaunchConstraint(_, role):
            guard let constraintId = live?.launchConstraint?.id else { throw PublishError.internalInvariant("no LAUNCH constraint to update") }
            _ = try await catalog.updateConstraint(.init(Id: constraintId, Parameters: Self.launchParameters(role)))
        case let .associateTagOption(pair):
            guard let tagOptionId = try await portfolio.value.tagOptions[pair] else { throw PublishError.internalInvariant("TagOption \(pair) has no id") }
            _ = try await catalog.associateTagOptionWithResource(.init(ResourceId: try requireProductId(state), TagOptionId: tagOptionId))
        case let .createDocument(name):
            let action = try self.action(documentName: name)
            let output = try await executor.environment.ssm.createDocument(.init(
                Content: action.documentContent, Name: name, DocumentType: "Automation", DocumentFormat: "YAML", TargetType: action.targetType))
            state.documentVersions[name] = output.DocumentDescription?.LatestVersion ?? output.DocumentDescription?.DocumentVersion ?? "1"
        case let .updateDocument(name):
            let action = try self.action(documentName: name)
            let output = try await executor.environment.ssm.updateDocument(.init(
                Content: action.documentContent, Name: name, DocumentVersion: "$LATEST", DocumentFormat: "YAML", TargetType: action.targetType))
            let version = output.DocumentDescription?.DocumentVersion ?? output.DocumentDescription?.LatestVersion ?? ""
            _ = try await executor.environment.ssm.updateDocumentDefaultVersion(.init(Name: name, DocumentVersion: version))
            state.documentVersions[name] = version
        case let .shareDocument(name, accounts):
            // Assumption (AWS): ModifyDocumentPermission takes at most 20 account ids per call
            // ("AccountIdsToAdd … Maximum number of 20 items",
            // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ModifyDocumentPermission.html);
            // a mesh shares with more spoke accounts, in calls of 20.
            for start in stride(from: 0, to: accounts.count, by: Self.documentShareBatch) {
                let batch = Array(accounts[start..<min(start + Self.documentShareBatch, accounts.count)])
                _ = try await executor.environment.ssm.modifyDocumentPermission(.init(Name: name, PermissionType: "Share", AccountIdsToAdd: batch))
            }
        case let .createServiceAction(name):
            let action = try self.action(named: name)
            let output = try await catalog.createServiceAction(.init(
                Name: name, DefinitionType: "SSM_AUTOMATION", Definition: definitionMap(action, state: state), Description: action.description,
                IdempotencyToken: executor.token("action", name, action.documentHash)))
            guard let actionId = output.ServiceActionDetail?.ServiceActionSummary?.Id else {
                throw PublishError.incompleteAnswer(operation: "CreateServiceAction", missing: "an id for \(name)", findsBy: "name")
            }
            state.actionIds[name] = actionId
        case let .updateServiceAction(name):
            let action = try self.action(named: name)
            guard let id = state.actionIds[name] else { throw PublishError.internalInvariant("service action \(name) has no id") }
            _ = try await catalog.updateServiceAction(.init(Id: id, Definition: definitionMap(action, state: state), Description: action.description))
        case let .associateAction(name, version):
            guard let actionId = state.actionIds[name], let versionId = state.versionIds[version] else {
                throw PublishError.internalInvariant("action \(name) or version \(version) has no id")
            }
            let productId = try requireProductId(state)
            _ = try await catalog.associateServiceActionWithProvisioningArtifact(.init(
                ProductId: productId, ProvisioningArtifactId: versionId, ServiceActionId: actionId,
                IdempotencyToken: executor.token("associate-action", productId, versionId, actionId)))
        case let .deprecateVersion(version):
            guard let versionId = state.versionIds[version] else { throw PublishError.internalInvariant("version \(version) has no id") }
            _ = try await catalog.updateProvisioningArtifact(.init(ProductId: try requireProductId(state), ProvisioningArtifactId: versionId, Guidance: "DEPRECATED"))
        case .createPortfolio, .createTagOption, .share, .updateShare, .unshare:
            throw PublishError.internalInvariant("\(step.summary) is not a product step")
        }
    }

    /// `{"LocalRoleName": "…"}`: LocalRoleName (not RoleArn) so the same constraint works in every spoke account.
    static func launchParameters(_ role: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: ["LocalRoleName": role], options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private func action(named name: String) throws -> DesiredProduct.Action {
        guard let action = product.actions.first(where: { $0.name == name }) else { throw PublishError.internalInvariant("no action \(name)") }
        return action
    }

    private func action(documentName: String) throws -> DesiredProduct.Action {
        guard let action = product.actions.first(where: { $0.documentName == documentName }) else {
            throw PublishError.internalInvariant("no action for document \(documentName)")
        }
        return action
    }

    /// The SSM_AUTOMATION definition: document, its version, the role, and the parameters users give.
    private func definitionMap(_ action: DesiredProduct.Action, state: State) -> [String: String] {
        let parameters = action.parameters.map { ["Name": $0, "Type": "TEXT_VALUE"] }
        let json = (try? JSONSerialization.data(withJSONObject: parameters, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        return ["Name": action.documentName, "Version": state.documentVersions[action.documentName] ?? "1", "AssumeRole": action.assumeRole, "Parameters": json]
    }

    /// CreateProvisioningArtifact answers CREATING; launches need AVAILABLE. FAILED is reported with its cause.
    private func waitUntilAvailable(productId: String, versionId: String) async throws {
        var delay = 0.25
        for _ in 0..<60 {
            let output = try await catalog.describeProvisioningArtifact(.init(ProvisioningArtifactId: versionId, ProductId: productId))
            switch output.Status {
            case "AVAILABLE", nil: return
            case "FAILED":
                throw PublishError.versionFailed(product: product.name, version: product.version, templateKey: product.templateKey)
            default:
                try await executor.environment.clock.sleep(seconds: delay)
                delay = min(delay * 1.5, 5)
            }
        }
        throw PublishError.versionNotAvailableYet(product: product.name, version: product.version)
    }
}
