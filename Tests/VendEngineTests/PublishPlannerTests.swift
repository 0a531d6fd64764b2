import Foundation
import Testing
import VendBundle
@testable import VendEngine
import VendModel
import VendTestSupport

/// The planner on its own: fabricated live catalogs, no network.
@Suite("Publish planner")
struct PublishPlannerTests {
    static func desired(_ names: [String] = ["producer-registration"]) throws -> ([DesiredProduct], MeshConfig) {
        let workspace = try Workspace.load(root: Golden.repositoryRoot(), only: names)
        let products = try workspace.products.map { product in
            let manifest = BundleManifest(product: product.definition.name, version: product.definition.version.description, toolVersion: "t", files: product.files)
            return try DesiredProduct(product: product, bundle: Data("bundle".utf8), manifest: manifest, keyPrefix: "vend/")
        }
        return (products, workspace.config)
    }

    static func live(_ product: DesiredProduct, versions: [CatalogSnapshot.Version]) -> CatalogSnapshot {
        var snapshot = CatalogSnapshot.empty
        snapshot.portfolioId = "port-1"
        snapshot.products[product.name] = .init(id: "prod-1", name: product.name, versions: versions, inPortfolio: true,
                                                launchConstraint: ("cons-1", product.definition.launchRole.name), tagOptions: Set(product.tagOptions))
        for pair in product.tagOptions { snapshot.tagOptionIds[pair] = "tag-1" }
        for action in product.actions {
            snapshot.actions[action.name] = .init(id: "act-1", name: action.name, documentName: action.documentName, documentVersion: "1")
            snapshot.documents[action.documentName] = .init(name: action.documentName, hash: action.documentHash, latestVersion: "1",
                                                            sharedWith: ["222222222222", "333333333333"])
        }
        snapshot.shares = ["222222222222", "333333333333"].map { .init(type: "ACCOUNT", principal: $0, accepted: true, shareTagOptions: true, sharePrincipals: false) }
        return snapshot
    }

    @Test("an empty catalog gets every resource, TagOptions before products, shares last")
    func freshPlan() throws {
        let (desired, config) = try Self.desired()
        let plan = PublishPlanner.plan(desired: desired, config: config, snapshot: .empty, region: "us-east-1", bucket: "b")
        #expect(plan.portfolioSteps == [.createPortfolio(name: "data-mesh"), .createTagOption(.init(key: "classification", value: "internal"))])
        let steps = try #require(plan.products.first?.steps)
        #expect(steps.first == .upload(key: desired[0].bundleKey, kind: "bundle"))
        #expect(steps.contains(.createProduct(version: "1.0.0")) && steps.contains(.associateAction(name: "producer-registration-AddDataSource", version: "1.0.0")))
        #expect(plan.shareSteps.count == 2 && plan.refusals.isEmpty)
    }

    @Test("the same version with the same digest plans nothing; with another digest it is refused naming both digests")
    func immutability() throws {
        let (desired, config) = try Self.desired()
        let product = desired[0]
        let same = Self.live(product, versions: [.init(id: "pa-1", name: "1.0.0", digest: product.digest, active: true, guidance: "DEFAULT", status: nil, actions: [product.actions[0].name])])
        #expect(PublishPlanner.plan(desired: desired, config: config, snapshot: same, region: "r", bucket: "b").isEmpty)
        let other = "sha256:" + String(repeating: "0", count: 64)
        let changed = Self.live(product, versions: [.init(id: "pa-1", name: "1.0.0", digest: other, active: true, guidance: "DEFAULT", status: nil, actions: [])])
        let refusal = try #require(PublishPlanner.plan(desired: desired, config: config, snapshot: changed, region: "r", bucket: "b").refusals.first)
        #expect(refusal.message.contains(other) && refusal.message.contains(product.digest) && refusal.message.contains("bump the version"))
    }

    @Test("older versions beyond keepActive are deprecated once; every active version gets the action")
    func deprecationAndActions() throws {
        var (desired, config) = try Self.desired()
        config.versions.keepActive = 2
        let product = desired[0]
        let old = ["0.7.0", "0.9.0", "0.10.0"].enumerated().map { index, name in
            CatalogSnapshot.Version(id: "pa-\(index)", name: name, digest: nil, active: true, guidance: name == "0.7.0" ? "DEPRECATED" : "DEFAULT",
                                    status: nil, actions: name == "0.10.0" ? [product.actions[0].name] : [])
        }
        let plan = PublishPlanner.plan(desired: desired, config: config, snapshot: Self.live(product, versions: old), region: "r", bucket: "b")
        let steps = try #require(plan.products.first?.steps)
        #expect(steps.contains(.createVersion(version: "1.0.0")))
        // Newest two (1.0.0, 0.10.0) stay; 0.9.0 is deprecated; 0.7.0 already is.
        #expect(steps.filter { if case .deprecateVersion = $0 { true } else { false } } == [.deprecateVersion(version: "0.9.0")])
        let associations = steps.compactMap { step -> String? in if case let .associateAction(_, version) = step { version } else { nil } }
        #expect(Set(associations) == ["1.0.0", "0.9.0", "0.7.0"], "semver order, not text order: 0.10.0 is newer than 0.9.0 and already has it")
    }

    @Test("the 100-version quota and the 25-actions-per-version quota are refused before anything changes")
    func quotas() throws {
        let (desired, config) = try Self.desired()
        let product = desired[0]
        let hundred = (0..<100).map { CatalogSnapshot.Version(id: "pa-\($0)", name: "0.0.\($0)", digest: nil, active: false, guidance: "DEPRECATED", status: nil, actions: []) }
        #expect(PublishPlanner.plan(desired: desired, config: config, snapshot: Self.live(product, versions: hundred), region: "r", bucket: "b")
            .refusals.first?.message.contains("limit of 100") == true)
        let crowded = [CatalogSnapshot.Version(id: "pa-1", name: "0.9.0", digest: nil, active: true, guidance: "DEFAULT", status: nil,
                                               actions: Set((0..<25).map { "other-\($0)" }))]
        #expect(PublishPlanner.plan(desired: desired, config: config, snapshot: Self.live(product, versions: crowded), region: "r", bucket: "b")
            .refusals.first?.message.contains("over Service Catalog's 25 per version") == true)
    }

    @Test("shares: missing ones are created, changed flags updated, account shares never carry SharePrincipals")
    func shares() throws {
        var shares = MeshConfig.Shares(accounts: ["222222222222"], organizationalUnits: ["ou-ab12-cdef3456"], organization: nil, sharePrincipals: true, shareTagOptions: true)
        let live: [CatalogSnapshot.Share] = [
            .init(type: "ACCOUNT", principal: "222222222222", accepted: false, shareTagOptions: true, sharePrincipals: false),
            .init(type: "ORGANIZATIONAL_UNIT", principal: "ou-ab12-cdef3456", accepted: true, shareTagOptions: true, sharePrincipals: false),
        ]
        #expect(PublishPlanner.shareSteps(shares, live: live) == [.updateShare(type: "ORGANIZATIONAL_UNIT", principal: "ou-ab12-cdef3456")])
        shares.organization = "o-abcdefghij"
        #expect(PublishPlanner.shareSteps(shares, live: live).last == .share(type: "ORGANIZATION", principal: "o-abcdefghij"))
    }

    @Test("idempotency tokens are deterministic, distinct per input, and match AWS's pattern")
    func tokens() {
        let a = IdempotencyToken.make("product", "x", "sha256:1"), b = IdempotencyToken.make("product", "x", "sha256:2")
        #expect(a == IdempotencyToken.make("product", "x", "sha256:1") && a != b)
        #expect(IdempotencyToken.make("ab", "c") != IdempotencyToken.make("a", "bc"), "parts are separated, not concatenated")
        #expect(a.count <= 128 && a.allSatisfy { $0.isLetter || $0.isNumber })
    }
}
