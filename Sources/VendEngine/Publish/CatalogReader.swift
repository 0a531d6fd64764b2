import AWSCore
import AWSServices
import Foundation
import VendModel

/// Reads the live catalog of the central account in one region: only reads, never a change,
/// so `vend plan` is safe to run anywhere.
public enum CatalogReader {
    /// What the reads look for: names only, known from the workspace before a bundle is built,
    /// so the reads can run while the bundles are.
    public struct Query: Sendable, Equatable {
        /// Product names.
        public var products: Set<String>
        /// Service action names.
        public var actions: Set<String>
        /// SSM document names, in product order.
        public var documents: [String]
        /// TagOptions the products ask for.
        public var tagOptions: Set<TagOptionPair>

        /// The names the products' definitions give.
        public init(_ definitions: [ProductDefinition]) {
            self.init(products: Set(definitions.map(\.name)),
                      actions: Set(definitions.flatMap { product in product.serviceActions.map { DesiredProduct.actionName(product, $0) } }),
                      documents: definitions.flatMap { product in product.serviceActions.map { DesiredProduct.documentName(product, $0) } },
                      tagOptions: Set(definitions.flatMap(DesiredProduct.tagOptionPairs)))
        }

        /// A query of the given names.
        public init(products: Set<String>, actions: Set<String> = [], documents: [String] = [], tagOptions: Set<TagOptionPair> = []) {
            self.products = products
            self.actions = actions
            self.documents = documents
            self.tagOptions = tagOptions
        }
    }

    /// Reads the catalog: everything but the bucket's objects (whose keys need the bundles'
    /// digests). Reads that do not depend on each other run at once (the AWS client bounds how
    /// many are on the wire), so the time is a few round trips deep rather than one per call.
    public static func read(_ query: Query, portfolioName: String, bucket: String, environment: PublishEnvironment) async throws -> CatalogSnapshot {
        let catalog = environment.serviceCatalog
        var snapshot = CatalogSnapshot.empty

        async let bucketExists = readBucketExists(bucket, s3: environment.s3)
        async let allProducts = catalog.allProductsAsAdmin(portfolioId: nil)
        async let tagOptions = catalog.allTagOptions()
        async let actions = readActions(query.actions, catalog: catalog)
        async let documents = readDocuments(query.documents, ssm: environment.ssm)
        async let portfolio = readPortfolio(portfolioName, catalog: catalog)

        let (portfolioId, inPortfolio, constraints, shares) = try await portfolio
        snapshot.portfolioId = portfolioId
        snapshot.shares = shares
        var found: [(id: String, name: String)] = []
        for product in try await allProducts {
            guard let summary = product.ProductViewSummary, let name = summary.Name, let id = summary.ProductId, query.products.contains(name) else { continue }
            if found.contains(where: { $0.name == name }) {
                throw PublishError.duplicateProducts(name: name)
            }
            found.append((id, name))
        }
        for option in try await tagOptions {
            if let key = option.Key, let value = option.Value, let id = option.Id { snapshot.tagOptionIds[TagOptionPair(key: key, value: value)] = id }
        }
        // Many products: which of them each wanted TagOption is on, a listing per TagOption
        // (alongside the products' other reads) rather than a DescribeProductAsAdmin each.
        let listTagOptions = found.count >= listingThreshold
        let tagOptionIds = snapshot.tagOptionIds
        async let listed = listTagOptions
            ? productsByTagOption(query.tagOptions, ids: tagOptionIds,
                                  pageBudget: max(1, found.count / AWSClient.defaultMaxConcurrentRequests), catalog: catalog)
            : nil
        var products = try await found.concurrentMap { id, name in
            try await readProduct(id: id, name: name, inPortfolio: inPortfolio.contains(id),
                                  launch: constraints.first { $0.ProductId == id && $0.Type == "LAUNCH" }, describeTagOptions: !listTagOptions,
                                  catalog: catalog)
        }
        if listTagOptions {
            if let listed = try await listed {
                for index in products.indices { products[index].tagOptions = listed[products[index].id] ?? [] }
            } else {
                // A listing ran longer than describing every product would have: describe them.
                let described = try await products.map(\.id).concurrentMap { id in try await productTagOptions(id, catalog: catalog) }
                for index in products.indices { products[index].tagOptions = described[index] }
            }
        }
        snapshot.products = Dictionary(products.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

        snapshot.actions = try await actions
        snapshot.documents = try await documents
        snapshot.bucketExists = try await bucketExists
        return snapshot
    }

    /// Which of the bundles' and templates' keys are in the bucket. Objects matter only for
    /// versions not yet published (a published version never uploads again), and only when the
    /// bucket exists.
    public static func readObjects(for desired: [DesiredProduct], bucket: String, into snapshot: inout CatalogSnapshot, s3: any S3Client) async throws {
        guard snapshot.bucketExists else { return }
        let unpublished = desired.filter { product in snapshot.products[product.name]?.versions.contains { $0.name == product.version } != true }
        snapshot.objects = try await presentObjects(unpublished.flatMap { [$0.bundleKey, $0.templateKey] }, bucket: bucket, s3: s3)
    }

    /// The portfolio's id, the products in it, its constraints and its shares (all empty when there is none).
    static func readPortfolio(_ name: String, catalog: any ServiceCatalogClient) async throws
        -> (id: String?, products: Set<String>, constraints: [ServiceCatalog.ConstraintDetail], shares: [CatalogSnapshot.Share]) {
        guard let portfolioId = try await PortfolioLocator.find(name, side: .owned, catalog: catalog, accountId: "central") else { return (nil, [], [], []) }
        async let products = catalog.allProductsAsAdmin(portfolioId: portfolioId)
        async let constraints = catalog.allConstraints(portfolioId: portfolioId)
        async let shares = ShareManager.readShares(portfolioId, catalog: catalog)
        return (portfolioId, Set(try await products.compactMap { $0.ProductViewSummary?.ProductId }), try await constraints, try await shares)
    }

    /// Whether the artifact bucket exists (any other answer than "not found" is an error).
    static func readBucketExists(_ bucket: String, s3: any S3Client) async throws -> Bool {
        do {
            try await s3.headBucket(bucket, expectedOwner: nil)
            return true
        } catch where error.isAWS(.notFound) {
            return false
        }
    }

    /// The service actions vend manages, by name, with the document (name and version) each runs.
    static func readActions(_ wanted: Set<String>, catalog: any ServiceCatalogClient) async throws -> [String: CatalogSnapshot.ServiceAction] {
        let summaries = try await catalog.allServiceActions().compactMap { summary -> (id: String, name: String)? in
            guard let name = summary.Name, let id = summary.Id, wanted.contains(name) else { return nil }
            return (id, name)
        }
        let actions = try await summaries.concurrentMap { id, name in
            let detail = try await catalog.describeServiceAction(.init(Id: id)).ServiceActionDetail
            return CatalogSnapshot.ServiceAction(id: id, name: name, documentName: detail?.Definition?["Name"] ?? "",
                                                 documentVersion: detail?.Definition?["Version"] ?? "")
        }
        return Dictionary(actions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Unknown keys at which a listing of the prefix is cheaper than a HeadObject per key.
    static let listingThreshold = 20

    /// Which of `keys` exist in the bucket. Few keys: a HeadObject each, at once. Many (a first
    /// publish): ListObjectsV2 under the keys' common folder, 1,000 keys a page, for at most as
    /// many pages as the heads would take round trips (ten keys at once); keys the pages did not
    /// reach are headed. Assumption (AWS): S3 lists and heads are strongly consistent (since
    /// December 2020), so an object a killed run uploaded is seen by either.
    static func presentObjects(_ keys: [String], bucket: String, s3: any S3Client) async throws -> Set<String> {
        var unknown = Set(keys)
        var present: Set<String> = []
        if unknown.count >= listingThreshold {
            let prefix = commonFolder(of: keys)
            var token: String?
            for _ in 0..<max(1, unknown.count / AWSClient.defaultMaxConcurrentRequests) {
                let page = try await s3.listObjectsPage(bucket: bucket, prefix: prefix.isEmpty ? nil : prefix, continuationToken: token)
                for object in page.objects where unknown.remove(object.Key) != nil { present.insert(object.Key) }
                guard let next = page.next, !next.isEmpty, !unknown.isEmpty else {
                    // The whole prefix was listed: what is still unknown is absent.
                    return present
                }
                token = next
            }
        }
        let headed = try await Array(unknown).sorted().concurrentMap { key -> String? in
            do {
                _ = try await s3.headObject(bucket: bucket, key: key, versionId: nil)
                return key
            } catch where error.isAWS(.notFound) {
                return nil
            }
        }
        return present.union(headed.compactMap { $0 })
    }

    /// The longest folder (ending in `/`) that every key is under; "" when they share none.
    static func commonFolder(of keys: [String]) -> String {
        let common = commonPrefix(of: keys)
        guard let slash = common.lastIndex(of: "/") else { return "" }
        return String(common[...slash])
    }

    /// The longest text every string starts with ("" for none).
    static func commonPrefix(of strings: [String]) -> String {
        guard let first = strings.first else { return "" }
        var common = Substring(first)
        for string in strings.dropFirst() {
            common = common.prefix(zip(common, string).prefix { $0 == $1 }.count)
        }
        return String(common)
    }

    /// The SSM documents among `names` that exist, read. Few names: a DescribeDocument each,
    /// at once. Many (a first publish): ListDocuments of the account's own documents whose name
    /// starts with the names' common prefix, 50 a page, for at most as many pages as the
    /// describes would take round trips; when the listing ends, only the names it showed are
    /// described. Assumption (AWS): the `Name` filter of ListDocuments matches a name prefix
    /// (API reference, DocumentKeyValuesFilter), and a plain name in DescribeDocument means a
    /// document of the caller's own (others' shared documents are named by ARN), so
    /// `Owner=Self` lists every name DescribeDocument could find.
    static func readDocuments(_ names: [String], ssm: any SSMClient) async throws -> [String: CatalogSnapshot.Document] {
        var toRead = Set(names)
        if toRead.count >= listingThreshold {
            let prefix = commonPrefix(of: names)
            var filters = [SSM.DocumentKeyValuesFilter(Key: "Owner", Values: ["Self"])]
            if !prefix.isEmpty { filters.append(.init(Key: "Name", Values: [prefix])) }
            var listed: Set<String> = []
            var token: String?
            for _ in 0..<max(1, toRead.count / AWSClient.defaultMaxConcurrentRequests) {
                let page = try await ssm.listDocuments(.init(Filters: filters, MaxResults: 50, NextToken: token))
                listed.formUnion((page.DocumentIdentifiers ?? []).compactMap(\.Name))
                guard let next = page.NextToken, !next.isEmpty else {
                    // The whole listing was read: a name it did not show does not exist.
                    toRead.formIntersection(listed)
                    break
                }
                token = next
            }
        }
        let read = try await Array(toRead).sorted().concurrentMap { name in (name, try await readDocument(name, ssm: ssm)) }
        return Dictionary(read.compactMap { name, document in document.map { (name, $0) } }, uniquingKeysWith: { first, _ in first })
    }

    /// Which products each of the `wanted` TagOptions is associated with, by product id; nil when
    /// a listing needs more than `pageBudget` pages (20 products a page), so that describing each
    /// product is cheaper. A wanted TagOption that does not exist is on no product.
    /// Assumption (AWS): ListResourcesForTagOption with ResourceType `Product` lists every product
    /// the TagOption is associated with, and answers its next page as `PageToken` (botocore's
    /// model and paginator), as DescribeProductAsAdmin shows a product's TagOptions.
    static func productsByTagOption(_ wanted: Set<TagOptionPair>, ids: [TagOptionPair: String], pageBudget: Int,
                                    catalog: any ServiceCatalogClient) async throws -> [String: Set<TagOptionPair>]? {
        let existing = wanted.sorted().compactMap { pair in ids[pair].map { (pair: pair, id: $0) } }
        let listings = try await existing.concurrentMap { pair, id in
            try await Paginator.collect(within: pageBudget) { token in
                let page = try await catalog.listResourcesForTagOption(.init(TagOptionId: id, ResourceType: "Product", PageSize: 20, PageToken: token))
                return ((page.ResourceDetails ?? []).compactMap(\.Id), page.PageToken)
            }
        }
        var byProduct: [String: Set<TagOptionPair>] = [:]
        for (option, products) in zip(existing, listings) {
            guard let products else { return nil }
            for product in products { byProduct[product, default: []].insert(option.pair) }
        }
        return byProduct
    }

    /// The TagOptions on one product.
    static func productTagOptions(_ id: String, catalog: any ServiceCatalogClient) async throws -> Set<TagOptionPair> {
        let options = try await catalog.describeProductAsAdmin(.init(Id: id)).TagOptions ?? []
        return Set(options.compactMap { option in option.Key.flatMap { key in option.Value.map { TagOptionPair(key: key, value: $0) } } })
    }

    /// Versions (with their digests and actions), the LAUNCH constraint and (when
    /// `describeTagOptions`; otherwise left empty for the caller) the TagOptions of one product.
    static func readProduct(id: String, name: String, inPortfolio: Bool, launch: ServiceCatalog.ConstraintDetail?, describeTagOptions: Bool = true,
                            catalog: any ServiceCatalogClient) async throws -> CatalogSnapshot.Product {
        async let tagOptions = describeTagOptions ? productTagOptions(id, catalog: catalog) : []
        async let parameters = constraintParameters(launch?.ConstraintId, catalog: catalog)
        let artifacts = try await catalog.listProvisioningArtifacts(.init(ProductId: id)).ProvisioningArtifactDetails ?? []
        let versions = try await artifacts.compactMap { artifact -> (id: String, name: String, artifact: ServiceCatalog.ProvisioningArtifactDetail)? in
            guard let artifactId = artifact.Id, let versionName = artifact.Name else { return nil }
            return (artifactId, versionName, artifact)
        }.concurrentMap { artifactId, versionName, artifact in
            let active = artifact.Active ?? true
            let actions = active ? Set(try await catalog.allServiceActions(productId: id, provisioningArtifactId: artifactId).compactMap(\.Name)) : []
            return CatalogSnapshot.Version(id: artifactId, name: versionName, digest: digest(in: artifact.Description), active: active,
                                           guidance: artifact.Guidance ?? "DEFAULT", status: nil, actions: actions)
        }
        var launchConstraint: (id: String, roleName: String?)?
        if let constraintId = launch?.ConstraintId {
            launchConstraint = (constraintId, localRoleName(in: try await parameters))
        }
        return .init(id: id, name: name, versions: versions, inPortfolio: inPortfolio, launchConstraint: launchConstraint,
                     tagOptions: try await tagOptions)
    }

    /// A constraint's parameters JSON; nil without a constraint.
    static func constraintParameters(_ id: String?, catalog: any ServiceCatalogClient) async throws -> String? {
        guard let id else { return nil }
        return try await catalog.describeConstraint(.init(Id: id)).ConstraintParameters
    }

    /// The SSM document's hash, latest version and accounts it is shared with; nil if it does not exist.
    static func readDocument(_ name: String, ssm: any SSMClient) async throws -> CatalogSnapshot.Document? {
        let description: SSM.DocumentDescription?
        do {
            description = try await ssm.describeDocument(.init(Name: name)).Document
        } catch where error.isAWS(.notFound) {
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
