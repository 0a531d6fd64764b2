import VendModel

/// Compares the bundles with the live catalog and decides every step `publish` takes.
/// Pure: the same snapshot and bundles give the same plan, so `vend plan` shows exactly what
/// `vend publish` will do.
public enum PublishPlanner {
    /// Service Catalog's default quota of versions per product.
    public static let maxVersions = 100
    /// Service Catalog's quota of service actions per version.
    public static let maxActionsPerVersion = 25

    /// The plan for one region.
    public static func plan(desired: [DesiredProduct], config: MeshConfig, snapshot: CatalogSnapshot, region: String, bucket: String) -> PublishPlan {
        var portfolioSteps: [PublishStep] = []
        if snapshot.portfolioId == nil { portfolioSteps.append(.createPortfolio(name: config.portfolio.name)) }
        // TagOptions are region-wide and shared by products: created once, before any product.
        let neededTagOptions = Set(desired.flatMap(\.tagOptions))
        for pair in neededTagOptions.sorted() where snapshot.tagOptionIds[pair] == nil {
            portfolioSteps.append(.createTagOption(pair))
        }
        let shareAccounts = config.shares.accounts
        var refusals: [PublishRefusal] = []
        let products = desired.sorted { $0.name < $1.name }.map { product -> PublishPlan.ProductPlan in
            planProduct(product, live: snapshot.products[product.name], snapshot: snapshot, keepActive: config.versions.keepActive,
                        shareAccounts: shareAccounts, refusals: &refusals)
        }
        return PublishPlan(region: region, account: config.central.accountId, bucket: bucket, portfolioSteps: portfolioSteps,
                           products: products, shareSteps: shareSteps(config.shares, live: snapshot.shares), refusals: refusals,
                           bucketExists: snapshot.bucketExists)
    }

    private static func planProduct(_ product: DesiredProduct, live: CatalogSnapshot.Product?, snapshot: CatalogSnapshot, keepActive: Int,
                                    shareAccounts: [String], refusals: inout [PublishRefusal]) -> PublishPlan.ProductPlan {
        var steps: [PublishStep] = []
        var notes: [String] = []
        let existing = live?.versions.first { $0.name == product.version }

        if let existing, existing.digest != product.digest {
            let live = existing.digest ?? "no vend digest"
            refusals.append(PublishRefusal(
                product: product.name, version: product.version, liveDigest: existing.digest, localDigest: product.digest,
                message: "\(product.name) \(product.version) is already published with digest \(live), but the bundle has \(product.digest): "
                    + "a published version is immutable — bump the version in products/\(product.name)/product.yaml (and its CHANGELOG.md)"))
        } else if existing == nil, let live, live.versions.count >= maxVersions {
            refusals.append(PublishRefusal(
                product: product.name, version: product.version, liveDigest: nil, localDigest: product.digest,
                message: "\(product.name) already has \(live.versions.count) versions, Service Catalog's limit of \(maxVersions): "
                    + "delete deprecated versions (aws servicecatalog delete-provisioning-artifact) before publishing \(product.version)"))
        }

        let isNew = existing == nil
        if isNew {
            // Uploads are content-addressed: present means identical.
            if !snapshot.objects.contains(product.bundleKey) { steps.append(.upload(key: product.bundleKey, kind: "bundle")) }
            if !snapshot.objects.contains(product.templateKey) { steps.append(.upload(key: product.templateKey, kind: "template")) }
            steps.append(live == nil ? .createProduct(version: product.version) : .createVersion(version: product.version))
        } else {
            notes.append("version \(product.version) already published with the same digest")
        }
        if live?.inPortfolio != true { steps.append(.associateProduct) }
        let role = product.definition.launchRole.name
        if let constraint = live?.launchConstraint {
            if constraint.roleName != role { steps.append(.updateLaunchConstraint(from: constraint.roleName ?? "(a role ARN)", to: role)) }
        } else {
            steps.append(.createLaunchConstraint(roleName: role))
        }
        for pair in product.tagOptions where live?.tagOptions.contains(pair) != true {
            steps.append(.associateTagOption(pair))
        }

        // Versions after this publish, newest first: which stay active, which get deprecated.
        var versions = (live?.versions ?? []).filter(\.active)
        if isNew {
            versions.append(.init(id: "", name: product.version, digest: product.digest, active: true, guidance: "DEFAULT", status: nil, actions: []))
        }
        versions.sort { lhs, rhs in
            switch (SemanticVersion(lhs.name), SemanticVersion(rhs.name)) {
            case let (l?, r?): return l > r
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil): return lhs.name > rhs.name
            }
        }

        for action in product.actions {
            let document = snapshot.documents[action.documentName]
            if document == nil {
                steps.append(.createDocument(name: action.documentName))
            } else if document?.hash != action.documentHash {
                steps.append(.updateDocument(name: action.documentName))
            }
            let unshared = shareAccounts.filter { document?.sharedWith.contains($0) != true }
            if !unshared.isEmpty { steps.append(.shareDocument(name: action.documentName, accounts: unshared)) }
            if let liveAction = snapshot.actions[action.name] {
                if document == nil || document?.hash != action.documentHash || liveAction.documentVersion != document?.latestVersion {
                    steps.append(.updateServiceAction(name: action.name))
                }
            } else {
                steps.append(.createServiceAction(name: action.name))
            }
            // Every active version carries every action.
            for version in versions where !version.actions.contains(action.name) {
                steps.append(.associateAction(name: action.name, version: version.name))
            }
        }
        for version in versions {
            let total = version.actions.union(product.actions.map(\.name)).count
            if total > maxActionsPerVersion {
                refusals.append(PublishRefusal(
                    product: product.name, version: version.name, liveDigest: version.digest, localDigest: product.digest,
                    message: "\(product.name) \(version.name) would carry \(total) service actions, over Service Catalog's \(maxActionsPerVersion) per version: "
                        + "remove actions from products/\(product.name)/product.yaml or disassociate old ones"))
            }
        }
        for version in versions.dropFirst(keepActive) where version.guidance != "DEPRECATED" {
            steps.append(.deprecateVersion(version: version.name))
        }
        return .init(product: product.name, version: product.version, digest: product.digest, steps: steps, notes: notes)
    }

    /// Shares to create or update, in a fixed order (accounts, OUs, organization).
    public static func shareSteps(_ shares: MeshConfig.Shares, live: [CatalogSnapshot.Share]) -> [PublishStep] {
        var wanted: [(type: String, principal: String)] = shares.accounts.map { ("ACCOUNT", $0) }
        wanted += shares.organizationalUnits.map { ("ORGANIZATIONAL_UNIT", $0) }
        if let organization = shares.organization { wanted.append(("ORGANIZATION", organization)) }
        return wanted.compactMap { target in
            guard let current = live.first(where: { $0.type == target.type && $0.principal == target.principal }) else {
                return .share(type: target.type, principal: target.principal)
            }
            // SharePrincipals applies to organization shares only; account shares never carry it.
            let wantsPrincipals = target.type != "ACCOUNT" && shares.sharePrincipals
            if current.shareTagOptions != shares.shareTagOptions || (target.type != "ACCOUNT" && current.sharePrincipals != wantsPrincipals) {
                return .updateShare(type: target.type, principal: target.principal)
            }
            return nil
        }
    }
}
