import AWSCore
import AWSServices
import Foundation
import VendModel

/// Applies a plan: portfolio steps first, then every product at once (the AWS client bounds
/// the requests on the wire), then shares one at a time (Service Catalog refuses concurrent share actions on a portfolio).
///
/// Every step was planned from what is live, and every create carries a token derived from
/// content, so a run interrupted anywhere converges when re-run.
public struct PublishExecutor: Sendable {
    /// Where to act.
    public var environment: PublishEnvironment
    /// vend.yaml.
    public var config: MeshConfig
    /// The plan's account and region.
    public var account: String, region: String, bucket: String

    /// Creates an executor.
    public init(environment: PublishEnvironment, config: MeshConfig, account: String, region: String, bucket: String) {
        self.environment = environment
        self.config = config
        self.account = account
        self.region = region
        self.bucket = bucket
    }

    /// What changed for one product.
    public struct ProductResult: Sendable, Codable, Equatable {
        /// Product name.
        public var product: String
        /// Version published (or already there).
        public var version: String
        /// `prod-…`.
        public var productId: String
        /// `pa-…` of the version.
        public var versionId: String
        /// The digest.
        public var digest: String
        /// Count of changes made.
        public var changes: Int
    }

    /// Runs the plan. Throws `PublishError.refused` before any change if the plan has refusals.
    public func apply(_ plan: PublishPlan, desired: [DesiredProduct], snapshot: CatalogSnapshot) async throws -> [ProductResult] {
        guard plan.refusals.isEmpty else { throw PublishError.refused(plan.refusals) }
        guard snapshot.bucketExists else {
            throw PublishError.artifactBucketMissing(bucket: bucket, region: region)
        }
        // The portfolio and its TagOptions are made while the products upload and are created: a
        // product needs the portfolio's id only to join it, and waits for it there.
        let portfolio = Task { try await self.runPortfolioSteps(plan.portfolioSteps, snapshot: snapshot) }
        let byName = Dictionary(desired.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let runners = plan.products.compactMap { productPlan -> (ProductStepRunner, PublishPlan.ProductPlan)? in
            guard let product = byName[productPlan.product] else { return nil }
            return (ProductStepRunner(executor: self, product: product, live: snapshot.products[product.name], portfolio: portfolio,
                                      snapshot: snapshot), productPlan)
        }
        // Every product at once: the AWS client bounds the requests on the wire, and a product
        // whose new version is still CREATING holds none of them while it waits.
        let results: [ProductResult]
        do {
            results = try await runners.concurrentMap { runner, productPlan in
                try await runner.run(productPlan.steps)
            }.sorted { $0.product < $1.product }
        } catch {
            _ = try? await portfolio.value  // nothing of this run is left running when it fails
            throw error
        }
        try await applyShares(plan.shareSteps, portfolioId: try await portfolio.value.portfolioId)
        return results
    }

    /// The portfolio's id and the TagOptions' ids: from the snapshot, then from what this run creates.
    struct PortfolioIds: Sendable {
        var portfolioId: String
        var tagOptions: [TagOptionPair: String]
    }

    /// Runs the portfolio steps (the portfolio and each TagOption, all at once).
    func runPortfolioSteps(_ steps: [PublishStep], snapshot: CatalogSnapshot) async throws -> PortfolioIds {
        var portfolioId = snapshot.portfolioId
        var tagOptions = snapshot.tagOptionIds
        for made in try await steps.concurrentMap({ step in try await self.runPortfolioStep(step) }) {
            switch made {
            case let .portfolio(id): portfolioId = id
            case let .tagOption(pair, id): tagOptions[pair] = id
            }
        }
        guard let portfolioId else { throw PublishError.incompleteAnswer(operation: "CreatePortfolio", missing: "an id for the portfolio \"\(config.portfolio.name)\"", findsBy: "name") }
        return PortfolioIds(portfolioId: portfolioId, tagOptions: tagOptions)
    }

    func token(_ parts: String...) -> String { IdempotencyToken.make([account, region] + parts) }

    /// What a portfolio step made.
    enum PortfolioMade: Sendable {
        case portfolio(String?)
        case tagOption(TagOptionPair, String?)
    }

    private func runPortfolioStep(_ step: PublishStep) async throws -> PortfolioMade {
        environment.progress("portfolio: \(step.summary)")
        switch step {
        case let .createPortfolio(name):
            let output = try await environment.serviceCatalog.createPortfolio(.init(
                DisplayName: name, Description: config.portfolio.description, ProviderName: config.portfolio.providerName,
                Tags: [.init(Key: "vend:managed", Value: "true")], IdempotencyToken: token("portfolio", name)))
            return .portfolio(output.PortfolioDetail?.Id)
        case let .createTagOption(pair):
            do {
                let output = try await environment.serviceCatalog.createTagOption(.init(Key: pair.key, Value: pair.value))
                guard let id = output.TagOptionDetail?.Id else {
                    throw PublishError.incompleteAnswer(operation: "CreateTagOption", missing: "an id for \(pair)", findsBy: "key and value")
                }
                return .tagOption(pair, id)
            } catch where error.isAWS(.alreadyExists) {
                // Created by a run that died before reading the answer: look it up instead.
                let found = try await environment.serviceCatalog.allTagOptions(key: pair.key, value: pair.value)
                return .tagOption(pair, found.first { $0.Key == pair.key && $0.Value == pair.value }?.Id)
            }
        default:
            throw PublishError.internalInvariant("\(step.summary) is not a portfolio step")
        }
    }

    /// Runs share steps one at a time: Service Catalog refuses concurrent share actions on a portfolio.
    public func applyShares(_ steps: [PublishStep], portfolioId: String) async throws {
        for step in steps { try await runShareStep(step, portfolioId: portfolioId) }
    }

    private func runShareStep(_ step: PublishStep, portfolioId: String) async throws {
        environment.progress("shares: \(step.summary)")
        let shares = config.shares
        switch step {
        case let .share(type, principal), let .updateShare(type, principal):
            let isAccount = type == "ACCOUNT"
            let node = isAccount ? nil : ServiceCatalog.OrganizationNode(Type: type, Value: principal)
            // SharePrincipals applies to organization/OU shares only; AWS rejects it on account shares.
            let principals: Bool? = isAccount ? nil : shares.sharePrincipals
            let shareToken: String?
            if case .share = step {
                shareToken = try await environment.serviceCatalog.createPortfolioShare(.init(
                    PortfolioId: portfolioId, AccountId: isAccount ? principal : nil, OrganizationNode: node,
                    ShareTagOptions: shares.shareTagOptions, SharePrincipals: principals)).PortfolioShareToken
            } else {
                shareToken = try await environment.serviceCatalog.updatePortfolioShare(.init(
                    PortfolioId: portfolioId, AccountId: isAccount ? principal : nil, OrganizationNode: node,
                    ShareTagOptions: shares.shareTagOptions, SharePrincipals: principals)).PortfolioShareToken
            }
            if let shareToken, !shareToken.isEmpty { try await waitForShare(token: shareToken, target: "\(type) \(principal)") }
        case let .unshare(type, principal):
            let isAccount = type == "ACCOUNT"
            let shareToken = try await environment.serviceCatalog.deletePortfolioShare(.init(
                PortfolioId: portfolioId, AccountId: isAccount ? principal : nil,
                OrganizationNode: isAccount ? nil : ServiceCatalog.OrganizationNode(Type: type, Value: principal))).PortfolioShareToken
            if let shareToken, !shareToken.isEmpty { try await waitForShare(token: shareToken, target: "\(type) \(principal)") }
        default:
            throw PublishError.internalInvariant("\(step.summary) is not a share step")
        }
    }

    /// Organization and OU shares are asynchronous: poll until they complete, surfacing ShareErrors.
    func waitForShare(token: String, target: String) async throws {
        var delay = 1.0
        for _ in 0..<60 {
            let status = try await environment.serviceCatalog.describePortfolioShareStatus(.init(PortfolioShareToken: token))
            switch status.Status {
            case "COMPLETED": return
            case "COMPLETED_WITH_ERRORS", "ERROR":
                let errors = (status.ShareDetails?.ShareErrors ?? []).map { "\($0.Error ?? "error"): \($0.Message ?? "") (\(($0.Accounts ?? []).joined(separator: ", ")))" }
                throw PublishError.shareFailed(target: target, status: status.Status ?? "in error", errors: errors)
            default:
                try await environment.clock.sleep(seconds: delay)
                delay = min(delay * 1.5, 10)
            }
        }
        throw PublishError.shareTimedOut(target: target)
    }
}
