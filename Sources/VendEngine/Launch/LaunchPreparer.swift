import AWSCore
import AWSServices
import Foundation

/// Makes an account ready to launch a product, looking before it acts so a re-run changes
/// nothing: accepts the portfolio share (spokes), associates the caller's principal with the
/// portfolio, creates or updates the product's local launch role, then waits for a launch path.
public struct LaunchPreparer: Sendable {
    /// Where the product is launched.
    public var environment: LaunchEnvironment
    /// How long to wait for a launch path (seconds).
    public var pathTimeout: Double

    /// Creates a preparer.
    public init(environment: LaunchEnvironment, pathTimeout: Double = 120) {
        self.environment = environment
        self.pathTimeout = pathTimeout
    }

    /// The portfolio the launch goes through.
    public struct Portfolio: Sendable, Equatable {
        /// The central portfolio's id (an imported portfolio keeps the owner's id).
        public var id: String
        /// Its display name (the launch path's name).
        public var name: String
        /// Whether the launching account is the owner (central) rather than a share recipient.
        public var owned: Bool

        /// Creates a portfolio reference.
        public init(id: String, name: String, owned: Bool) {
            self.id = id
            self.name = name
            self.owned = owned
        }
    }

    /// Everything ProvisionProduct needs.
    public struct Target: Sendable, Equatable {
        /// The product id.
        public var productId: String
        /// The launch path id (`lpv3-…`).
        public var pathId: String
        /// The provisioning artifact id of the version.
        public var artifactId: String
        /// Whether the launch role was created by this run (IAM is eventually consistent).
        public var roleCreated: Bool
    }

    /// The trust policy of a launch role: Service Catalog, and SSM when the product's service
    /// actions run as LAUNCH_ROLE (the automation assumes the same role).
    public static func trustPolicy(withSSM: Bool) -> String {
        let services = withSSM ? #"["servicecatalog.amazonaws.com","ssm.amazonaws.com"]"# : #""servicecatalog.amazonaws.com""#
        return #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"# + services + #"},"Action":"sts:AssumeRole"}]}"#
    }

    /// The name of the launch role's inline policy.
    public static let policyName = "vend-launch-role-policy"

    /// Prepares the account for `product` and returns the launch target.
    public func prepare(portfolio: Portfolio, principal: String, product: LaunchProduct) async throws -> Target {
        if !portfolio.owned { try await acceptShare(portfolio) }
        try await associate(principal: principal, portfolio: portfolio)
        let created = try await ensureRole(product)
        return try await waitForPath(portfolio: portfolio, product: product, roleCreated: created)
    }

    /// Accepts the IMPORTED share when it is pending.
    func acceptShare(_ portfolio: Portfolio) async throws {
        let sc = environment.serviceCatalog
        // Assumption (AWS and the local cloud): a pending share is not listed by the recipient;
        // ListAcceptedPortfolioShares(IMPORTED) lists only accepted ones, and AcceptPortfolioShare
        // takes the owner's portfolio id.
        if try await sc.allAcceptedPortfolioShares(type: "IMPORTED").contains(where: { $0.Id == portfolio.id }) { return }
        environment.progress("portfolio \(portfolio.name) (\(portfolio.id)): accepting the share in account \(environment.accountId)")
        do {
            _ = try await sc.acceptPortfolioShare(.init(PortfolioId: portfolio.id, PortfolioShareType: "IMPORTED"))
        } catch where error.isAWS(.notFound) {
            throw LaunchError.notShared(portfolio: portfolio.name, portfolioId: portfolio.id, accountId: environment.accountId)
        }
    }

    /// Associates the principal with the portfolio unless it already is.
    func associate(principal: String, portfolio: Portfolio) async throws {
        let sc = environment.serviceCatalog
        // Assumption (AWS): principal associations are per account and not inherited by an imported
        // portfolio; end-user calls (DescribeProduct, ListLaunchPaths, ProvisionProduct) need one.
        if try await sc.allPrincipals(portfolioId: portfolio.id).contains(where: { $0.PrincipalARN == principal }) { return }
        environment.progress("portfolio \(portfolio.name): associating \(principal)")
        _ = try await sc.associatePrincipalWithPortfolio(.init(PortfolioId: portfolio.id, PrincipalARN: principal, PrincipalType: "IAM"))
    }

    /// Creates the launch role, or brings its trust and policy up to date; returns whether it created it.
    func ensureRole(_ product: LaunchProduct) async throws -> Bool {
        let iam = environment.iam
        let trust = Self.trustPolicy(withSSM: product.hasActions)
        var created = false
        if let role = try await iam.getRole(name: product.roleName) {
            if !Self.sameJSON(role.AssumeRolePolicyDocument, trust) {
                environment.progress("launch role \(product.roleName): updating its trust policy")
                try await iam.updateAssumeRolePolicy(roleName: product.roleName, policy: trust)
            }
        } else {
            environment.progress("launch role \(product.roleName): creating it in account \(environment.accountId)")
            do {
                _ = try await iam.createRole(name: product.roleName, path: nil, trustPolicy: trust,
                                             description: "vend: launch role of \(product.name)", tags: ["vend:managed": "true"])
                created = true
            } catch where error.isAWS(.alreadyExists) {
                // A concurrent run (or an answer lost on the wire) created it: compare again next run.
            }
        }
        let current = try await iam.getRolePolicy(roleName: product.roleName, policyName: Self.policyName)
        if !Self.sameJSON(current, product.rolePolicy) {
            environment.progress("launch role \(product.roleName): \(current == nil ? "putting" : "updating") its policy")
            try await iam.putRolePolicy(roleName: product.roleName, policyName: Self.policyName, policy: product.rolePolicy)
        }
        return created
    }

    /// Polls DescribeProduct and ListLaunchPaths until the product and a path through the portfolio show.
    func waitForPath(portfolio: Portfolio, product: LaunchProduct, roleCreated: Bool) async throws -> Target {
        let sc = environment.serviceCatalog
        let clock = environment.clock
        let started = clock.now()
        var delay = 0.5
        var why = ""
        while true {
            // Assumption (AWS): right after a share is accepted or a principal associated, end-user
            // calls may still answer ResourceNotFound or return no path: that is eventual consistency.
            do {
                let described = try await sc.describeProduct(.init(Name: product.name))
                guard let productId = described.ProductViewSummary?.ProductId else { throw LaunchError.productUnreadable(product: product.name) }
                guard let artifact = (described.ProvisioningArtifacts ?? []).first(where: { $0.Name == product.version }), let artifactId = artifact.Id else {
                    let versions = (described.ProvisioningArtifacts ?? []).compactMap(\.Name).sorted()
                    throw LaunchError.versionNotInAccount(product: product.name, version: product.version, accountId: environment.accountId, available: versions)
                }
                let paths = try await sc.allLaunchPaths(productId: productId)
                if let path = paths.first(where: { $0.Name == portfolio.name }) ?? paths.first, let pathId = path.Id {
                    return Target(productId: productId, pathId: pathId, artifactId: artifactId, roleCreated: roleCreated)
                }
                why = "no launch path yet"
            } catch let error as LaunchError {
                throw error
            } catch where error.isAWS(.notFound) {
                why = "product not visible yet"
            }
            let elapsed = clock.now().timeIntervalSince(started)
            if elapsed > pathTimeout {
                throw LaunchError.noLaunchPath(product: product.name, accountId: environment.accountId, seconds: Int(pathTimeout), why: why, portfolio: portfolio.name)
            }
            environment.progress("\(product.name): waiting for a launch path (\(why), \(Int(elapsed))s)")
            try await clock.sleep(seconds: delay)
            delay = min(delay * 1.5, 5)
        }
    }

    /// Whether two JSON documents are equal as values (IAM reformats what it stores).
    static func sameJSON(_ lhs: String?, _ rhs: String) -> Bool {
        guard let lhs, let left = canonical(lhs), let right = canonical(rhs) else { return false }
        return left == right
    }

    /// A JSON document re-serialised with sorted keys.
    private static func canonical(_ text: String) -> Data? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else { return nil }
        return try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}
