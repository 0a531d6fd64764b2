import Foundation
import VendBundle
import VendModel

/// The central account's workflows — `bootstrap`, `plan`, `publish` and `share` — in every region
/// asked for, each region reached through the one resolver and checked to be vend.yaml's central account.
public struct CentralWorkflows: Sendable {
    /// The validated workspace.
    public var workspace: Workspace
    /// How accounts are reached.
    public var resolver: any AccountResolving
    /// The central profile (default: vend.yaml's).
    public var profile: String?
    /// The regions (default: vend.yaml's).
    public var regions: [String]

    /// Creates the workflows; an empty `regions` means vend.yaml's.
    public init(workspace: Workspace, resolver: any AccountResolving, profile: String? = nil, regions: [String] = []) {
        self.workspace = workspace
        self.resolver = resolver
        self.profile = profile
        self.regions = regions.isEmpty ? workspace.config.regions : regions
    }

    /// One region's request for the central account.
    func request(_ region: String) -> AccountRequest {
        let config = workspace.config
        return AccountRequest(label: "central", profile: profile ?? config.central.profile, region: region, expectedAccountId: config.central.accountId)
    }

    /// Every region's context, opened (no call) — the identity is checked by `verified`.
    func opened() throws -> [AccountContext] {
        guard !regions.isEmpty else { throw EngineError.noRegion }
        return try regions.map { try resolver.open(request($0)) }
    }

    /// Every region's context, verified (the identity is asked once: it is the same in every region).
    func verified() async throws -> [AccountContext] {
        let contexts = try opened()
        guard let first = contexts.first else { throw EngineError.noRegion }
        let identity = try await resolver.verify(first, request(first.region))
        return contexts.map { context in
            var checked = context
            checked.callerArn = identity.callerArn
            checked.accountId = identity.accountId
            return checked
        }
    }

    // MARK: - publish and plan

    /// Where bundles go and how they are stamped.
    public struct BuildOptions: Sendable {
        /// The output folder.
        public var directory: URL
        /// vend's version, written into each manifest.
        public var toolVersion: String
        /// The entries' mtime (SOURCE_DATE_EPOCH or 0).
        public var mtime: Int

        /// Creates the options.
        public init(directory: URL, toolVersion: String, mtime: Int) {
            self.directory = directory
            self.toolVersion = toolVersion
            self.mtime = mtime
        }
    }

    /// `vend plan` (apply false) and `vend publish` (apply true): builds the bundles while the
    /// account is checked and every region's catalog is read, then plans every region and, for
    /// publish, applies. With `share` false the portfolio's shares are left alone.
    public func publish(build: BuildOptions, apply: Bool, share: Bool = true) async throws -> [Publisher.RegionResult] {
        let config = workspace.config
        let contexts = try opened()
        let byRegion = Dictionary(uniqueKeysWithValues: contexts.map { ($0.region, $0) })
        // Who the caller is and what the catalog holds (reads only, which need no bundle) are
        // asked while the bundles are built. The account is checked before anything is planned,
        // and its error wins over any of the reads'.
        async let account = verified()
        async let catalogs = Publisher.readCatalogs(workspace, regions: regions, account: config.central.accountId) { region in
            guard let context = byRegion[region] else { throw EngineError.noRegion }
            return context.publishEnvironment
        }
        let publisher = try Publisher.build(workspace, into: build.directory, toolVersion: build.toolVersion, mtime: build.mtime)
        _ = try await account
        return try await publisher.run(try await catalogs, account: config.central.accountId, apply: apply, share: share)
    }

    // MARK: - verify

    /// `vend verify s3://…`: downloads a published bundle in the first region, verifies it and
    /// compares its digest with the live version's.
    public func verifyRemote(_ url: String) async throws -> BundleManifest {
        guard let context = try await verified().first else { throw EngineError.noRegion }
        return try await RemoteBundle.verify(url, environment: context.publishEnvironment).manifest
    }

    // MARK: - share

    /// `vend share`: applies `shares` (or removes them with `unshare`) in every region; returns each
    /// region's shares afterwards.
    public func share(_ shares: MeshConfig.Shares, unshare: Bool) async throws -> [(region: String, shares: [CatalogSnapshot.Share])] {
        var result: [(region: String, shares: [CatalogSnapshot.Share])] = []
        for context in try await verified() {
            let live = try await ShareManager.apply(config: workspace.config, shares: shares, unshare: unshare, region: context.region,
                                                    environment: context.publishEnvironment)
            result.append((context.region, live))
        }
        return result
    }

    // MARK: - bootstrap

    /// `vend bootstrap`: the baseline stack in every region, admins merged with the caller and
    /// the central launch roles.
    public func bootstrap() async throws -> [Bootstrapper.Result] {
        let path = workspace.root.appendingPathComponent(Workspace.baselineTemplate)
        guard let template = try? Data(contentsOf: path) else {
            throw EngineError.missingFile(path: Workspace.baselineTemplate, why: "the central baseline template is missing")
        }
        let launchRoles = Doctor.launchRoles(workspace.products.map(\.definition)) { $0.launchedIn == .central }
        var results: [Bootstrapper.Result] = []
        for context in try await verified() {
            let prefix = "[\(context.region)] "
            let progress = context.progress
            let bootstrapper = Bootstrapper(cloudFormation: context.clients.cloudFormation, lakeFormation: context.clients.lakeFormation,
                                            clock: context.clock, progress: { progress(prefix + $0) })
            results.append(try await bootstrapper.run(template: template, config: workspace.config, region: context.region,
                                                      callerArn: context.callerArn, centralLaunchRoles: launchRoles))
        }
        return results
    }
}
