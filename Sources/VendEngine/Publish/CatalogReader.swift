import AWSCore
import AWSServices
import Foundation

/// Reads the live catalog of the central account in one region: only reads, never a change,
/// so `vend plan` is safe to run anywhere.
public enum CatalogReader {
    /// Reads everything the planner compares for `desired`.
    public static func read(desired: [DesiredProduct], portfolioName: String, bucket: String, environment: PublishEnvironment) async throws -> CatalogSnapshot {
        let catalog = environment.serviceCatalog
        var snapshot = CatalogSnapshot.empty

        let portfolios = try await catalog.allPortfolios().filter { $0.DisplayName == portfolioName }
        if portfolios.count > 1 {
            let ids = portfolios.compactMap(\.Id).joined(separator: ", ")
            throw PublishError.failed("the central account holds \(portfolios.count) portfolios named \"\(portfolioName)\" (\(ids)): vend cannot tell which one to publish to — delete the duplicates or rename one in the console")
        }
        snapshot.portfolioId = portfolios.first?.Id

        do {
            try await environment.s3.headBucket(bucket, expectedOwner: nil)
        } catch where AWSErrors.isNotFound(error) {
            snapshot.bucketExists = false
        }

        let wanted = Set(desired.map(\.name))
        let allProducts = try await catalog.allProductsAsAdmin(portfolioId: nil)
        let inPortfolio: Set<String>
        if let portfolioId = snapshot.portfolioId {
            inPortfolio = Set(try await catalog.allProductsAsAdmin(portfolioId: portfolioId).compactMap { $0.ProductViewSummary?.ProductId })
        } else {
            inPortfolio = []
        }
        var constraints: [ServiceCatalog.ConstraintDetail] = []
        if let portfolioId = snapshot.portfolioId { constraints = try await catalog.allConstraints(portfolioId: portfolioId) }

        var found: [(id: String, name: String)] = []
        for product in allProducts {
            guard let summary = product.ProductViewSummary, let name = summary.Name, let id = summary.ProductId, wanted.contains(name) else { continue }
            if found.contains(where: { $0.name == name }) {
                throw PublishError.failed("the central account holds two products named \"\(name)\": vend cannot tell which one is the product — delete the duplicate")
            }
            found.append((id, name))
        }

        snapshot.products = try await withThrowingTaskGroup(of: CatalogSnapshot.Product.self) { group in
            for (id, name) in found {
                let launch = constraints.first { $0.ProductId == id && $0.Type == "LAUNCH" }
                group.addTask {
                    try await readProduct(id: id, name: name, inPortfolio: inPortfolio.contains(id), launch: launch, catalog: catalog)
                }
            }
            var products: [String: CatalogSnapshot.Product] = [:]
            for try await product in group { products[product.name] = product }
            return products
        }

        for option in try await catalog.allTagOptions() {
            if let key = option.Key, let value = option.Value, let id = option.Id { snapshot.tagOptionIds[TagOptionPair(key: key, value: value)] = id }
        }
        let wantedActions = Set(desired.flatMap { $0.actions.map(\.name) })
        for summary in try await catalog.allServiceActions() {
            guard let name = summary.Name, let id = summary.Id, wantedActions.contains(name) else { continue }
            let detail = try await catalog.describeServiceAction(.init(Id: id)).ServiceActionDetail
            snapshot.actions[name] = .init(id: id, name: name, documentName: detail?.Definition?["Name"] ?? "",
                                           documentVersion: detail?.Definition?["Version"] ?? "")
        }
        for action in desired.flatMap(\.actions) {
            snapshot.documents[action.documentName] = try await readDocument(action.documentName, ssm: environment.ssm)
        }
        if snapshot.bucketExists {
            // Objects matter only for versions not yet published: a published version never uploads again.
            let unpublished = desired.filter { product in snapshot.products[product.name]?.versions.contains { $0.name == product.version } != true }
            for key in unpublished.flatMap({ [$0.bundleKey, $0.templateKey] }) {
                do {
                    _ = try await environment.s3.headObject(bucket: bucket, key: key, versionId: nil)
                    snapshot.objects.insert(key)
                } catch where AWSErrors.isNotFound(error) {}
            }
        }
        if let portfolioId = snapshot.portfolioId {
            snapshot.shares = try await ShareManager.readShares(portfolioId, catalog: catalog)
        }
        return snapshot
    }

    /// Versions (with their digests and actions), TagOptions and the LAUNCH constraint of one product.
    static func readProduct(id: String, name: String, inPortfolio: Bool, launch: ServiceCatalog.ConstraintDetail?,
                            catalog: any ServiceCatalogClient) async throws -> CatalogSnapshot.Product {
        let artifacts = try await catalog.listProvisioningArtifacts(.init(ProductId: id)).ProvisioningArtifactDetails ?? []
        var versions: [CatalogSnapshot.Version] = []
        for artifact in artifacts {
            guard let artifactId = artifact.Id, let versionName = artifact.Name else { continue }
            let active = artifact.Active ?? true
            let actions = active ? Set(try await catalog.allServiceActions(productId: id, provisioningArtifactId: artifactId).compactMap(\.Name)) : []
            versions.append(.init(id: artifactId, name: versionName, digest: digest(in: artifact.Description), active: active,
                                  guidance: artifact.Guidance ?? "DEFAULT", status: nil, actions: actions))
        }
        let tagOptions = try await catalog.describeProductAsAdmin(.init(Id: id)).TagOptions ?? []
        var launchConstraint: (id: String, roleName: String?)?
        if let launch, let constraintId = launch.ConstraintId {
            let parameters = try await catalog.describeConstraint(.init(Id: constraintId)).ConstraintParameters
            launchConstraint = (constraintId, localRoleName(in: parameters))
        }
        return .init(id: id, name: name, versions: versions, inPortfolio: inPortfolio, launchConstraint: launchConstraint,
                     tagOptions: Set(tagOptions.compactMap { option in option.Key.flatMap { key in option.Value.map { TagOptionPair(key: key, value: $0) } } }))
    }

    /// The SSM document's hash, latest version and accounts it is shared with; nil if it does not exist.
    static func readDocument(_ name: String, ssm: any SSMClient) async throws -> CatalogSnapshot.Document? {
        let description: SSM.DocumentDescription?
        do {
            description = try await ssm.describeDocument(.init(Name: name)).Document
        } catch where AWSErrors.isNotFound(error) {
            return nil
        }
        let shared = try await ssm.describeDocumentPermission(.init(Name: name, PermissionType: "Share")).AccountIds ?? []
        return .init(name: name, hash: description?.Hash ?? "", latestVersion: description?.LatestVersion ?? "", sharedWith: Set(shared))
    }

    /// The `sha256:…` digest vend writes at the start of an artifact's description.
    static func digest(in description: String?) -> String? {
        guard let description, let range = description.range(of: #"sha256:[0-9a-f]{64}"#, options: .regularExpression) else { return nil }
        return String(description[range])
    }

    /// `LocalRoleName` from a LAUNCH constraint's parameters JSON.
    static func localRoleName(in parameters: String?) -> String? {
        guard let data = parameters?.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object["LocalRoleName"] as? String
    }
}
