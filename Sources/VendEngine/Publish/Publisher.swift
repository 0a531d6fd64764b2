import AWSServices
import Foundation
import VendBundle
import VendModel

/// `vend plan` and `vend publish` for every region: read the live catalog, plan, and (for
/// publish) apply — regions in parallel, each on its own environment.
public struct Publisher: Sendable {
    /// The validated workspace.
    public var workspace: Workspace
    /// Bundles built from it, by product name: bytes and manifest.
    public var bundles: [String: (data: Data, manifest: BundleManifest)]

    /// Creates a publisher for built bundles.
    public init(workspace: Workspace, bundles: [String: (data: Data, manifest: BundleManifest)]) {
        self.workspace = workspace
        self.bundles = bundles
    }

    /// Builds the bundles into `directory` (as `vend build` does) and reads their bytes back.
    public static func build(_ workspace: Workspace, into directory: URL, toolVersion: String, mtime: Int) throws -> Publisher {
        let results = try ProductBundler.build(workspace, into: directory, toolVersion: toolVersion, mtime: mtime)
        var bundles: [String: (data: Data, manifest: BundleManifest)] = [:]
        for result in results {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: result.path))
            } catch {
                throw PublishError.bundleUnreadable(path: result.path, why: error.localizedDescription)
            }
            bundles[result.manifest.product] = (data, result.manifest)
        }
        return Publisher(workspace: workspace, bundles: bundles)
    }

    /// The desired products, with content-addressed keys under the configured prefix.
    public func desired() throws -> [DesiredProduct] {
        try workspace.products.map { product in
            guard let bundle = bundles[product.definition.name] else {
                throw PublishError.bundleMissing(product: product.definition.name)
            }
            return try DesiredProduct(product: product, bundle: bundle.data, manifest: bundle.manifest, keyPrefix: workspace.config.artifacts.prefix)
        }
    }

    /// The result of one region.
    public struct RegionResult: Sendable {
        /// The region.
        public var region: String
        /// The plan computed before acting.
        public var plan: PublishPlan
        /// What was published (empty for `plan`).
        public var products: [PublishExecutor.ProductResult]
        /// The catalog as read before planning.
        public var snapshot: CatalogSnapshot?
    }

    /// One region's catalog as read before the bundles were built, and where to act there.
    public struct RegionCatalog: Sendable {
        /// The region.
        public var region: String
        /// Its clients.
        public var environment: PublishEnvironment
        /// The artifact bucket in the region.
        public var bucket: String
        /// What the catalog holds (without the bucket's objects: their keys need the bundles).
        public var snapshot: CatalogSnapshot
    }

    /// Reads every region's catalog, regions in parallel. It needs only names from the
    /// workspace, so it runs while the bundles are built; it never changes anything.
    public static func readCatalogs(_ workspace: Workspace, regions: [String], account: String,
                                    environment: @escaping @Sendable (String) throws -> PublishEnvironment) async throws -> [RegionCatalog] {
        let config = workspace.config
        let query = CatalogReader.Query(workspace.products.map(\.definition))
        return try await regions.concurrentMap { region in
            let env = try environment(region)
            let bucket = config.artifacts.bucketName(accountId: account, region: region)
            let snapshot = try await CatalogReader.read(query, portfolioName: config.portfolio.name, bucket: bucket, environment: env)
            return RegionCatalog(region: region, environment: env, bucket: bucket, snapshot: snapshot)
        }.sorted { $0.region < $1.region }
    }

    /// Plans every region from its catalog (after reading which of this build's objects the
    /// bucket already holds); applies the plans when `apply` is true. All regions are planned
    /// first, and nothing is applied anywhere if any region's plan has refusals.
    /// With `share` false, portfolio shares are left as they are (`vend publish --no-share`).
    public func run(_ catalogs: [RegionCatalog], account: String, apply: Bool, share: Bool = true) async throws -> [RegionResult] {
        let desired = try desired()
        let config = workspace.config
        let planned = try await catalogs.concurrentMap { catalog -> (String, PublishPlan, CatalogSnapshot, PublishEnvironment) in
            var snapshot = catalog.snapshot
            try await CatalogReader.readObjects(for: desired, bucket: catalog.bucket, into: &snapshot, s3: catalog.environment.s3)
            var plan = PublishPlanner.plan(desired: desired, config: config, snapshot: snapshot, region: catalog.region, bucket: catalog.bucket)
            if !share { plan.shareSteps = [] }
            return (catalog.region, plan, snapshot, catalog.environment)
        }
        let refusals = planned.flatMap(\.1.refusals)
        guard apply else { return planned.map { RegionResult(region: $0.0, plan: $0.1, products: [], snapshot: $0.2) } }
        guard refusals.isEmpty else { throw PublishError.refused(refusals) }
        return try await withThrowingTaskGroup(of: RegionResult.self) { group in
            for (region, plan, snapshot, env) in planned {
                group.addTask {
                    let executor = PublishExecutor(environment: env, config: config, account: account, region: region, bucket: plan.bucket)
                    let products = try await executor.apply(plan, desired: desired, snapshot: snapshot)
                    return RegionResult(region: region, plan: plan, products: products, snapshot: snapshot)
                }
            }
            var results: [RegionResult] = []
            for try await result in group { results.append(result) }
            return results.sorted { $0.region < $1.region }
        }
    }
}
