import AWSServices
import Foundation

/// Read-only views of the fake cloud's state for assertions (no call is logged, nothing moves on).
extension FakeCloud {
    /// A product version as the owner's catalog holds it.
    public struct VersionView: Sendable, Equatable {
        /// `pa-…`, the version name, CREATING/AVAILABLE/FAILED, DEFAULT/DEPRECATED.
        public var id, name, status, guidance: String
        /// The description (vend writes the digest there).
        public var description: String
        /// Names of the service actions associated with it.
        public var actions: [String]
    }

    /// A product as the owner's catalog holds it.
    public struct ProductView: Sendable, Equatable {
        /// `prod-…` and the name.
        public var id, name: String
        /// Its versions, in creation order.
        public var versions: [VersionView]
        /// Its TagOptions as `key=value`.
        public var tagOptions: [String]
        /// Names of the portfolios it is in.
        public var portfolios: [String]
        /// The LocalRoleName of each LAUNCH constraint on it.
        public var launchRoles: [String]
    }

    /// A share of a portfolio.
    public struct ShareView: Sendable, Equatable {
        /// ACCOUNT/ORGANIZATIONAL_UNIT/ORGANIZATION and the principal.
        public var type, principal: String
        /// Whether the recipient accepted it.
        public var accepted: Bool
    }

    /// A provisioned product.
    public struct ProvisionedView: Sendable, Equatable {
        /// `pp-…`, its name, its product's name, the version's name, its status.
        public var id, name, product, version, status: String
        /// Its parameters and outputs.
        public var parameters, outputs: [String: String]
    }

    /// A record.
    public struct RecordView: Sendable, Equatable {
        /// `rec-…`, its type, its status, the provisioned product's name.
        public var id, type, status, provisionedProduct: String
    }

    func catalog(_ account: String, _ region: String) -> FakeCatalog { withState { $0[catalog: .init(account: account, region: region)] } }

    /// The portfolios of `account`, by display name, with their ids.
    public func portfolios(account: String, region: String = "us-east-1") -> [String: String] {
        Dictionary(catalog(account, region).portfolios.values.map { ($0.name, $0.id) }, uniquingKeysWith: { first, _ in first })
    }

    /// The products of `account`, in creation order.
    public func products(account: String, region: String = "us-east-1") -> [ProductView] {
        let catalog = catalog(account, region)
        return catalog.products.values.sorted { $0.id < $1.id }.map { product in
            ProductView(
                id: product.id, name: product.name,
                versions: product.artifacts.map { artifact in
                    VersionView(id: artifact.id, name: artifact.name, status: artifact.status, guidance: artifact.guidance, description: artifact.description,
                                actions: artifact.actions.compactMap { catalog.actions[$0]?.name })
                },
                tagOptions: product.tagOptions.compactMap { catalog.tagOptions[$0] }.map { "\($0.key)=\($0.value)" },
                portfolios: catalog.portfolios.values.filter { $0.products.contains(product.id) }.map(\.name).sorted(),
                launchRoles: catalog.constraints.values.filter { $0.productId == product.id && $0.type == "LAUNCH" }.compactMap { constraint in
                    (try? JSONSerialization.jsonObject(with: Data(constraint.parameters.utf8)) as? [String: Any])?["LocalRoleName"] as? String
                })
        }
    }

    /// The product named `name` in `account`, if exactly one.
    public func product(_ name: String, account: String, region: String = "us-east-1") -> ProductView? {
        let matches = products(account: account, region: region).filter { $0.name == name }
        return matches.count == 1 ? matches[0] : nil
    }

    /// The shares of `account`'s portfolio `portfolioId`.
    public func shares(of portfolioId: String, account: String, region: String = "us-east-1") -> [ShareView] {
        (catalog(account, region).portfolios[portfolioId]?.shares.values ?? [:].values).sorted { $0.principal < $1.principal }
            .map { ShareView(type: $0.type, principal: $0.principal, accepted: $0.accepted) }
    }

    /// The principals `account` associated with `portfolioId`.
    public func principals(of portfolioId: String, account: String, region: String = "us-east-1") -> [String] {
        catalog(account, region).principals[portfolioId] ?? []
    }

    /// Names of `account`'s service actions, and of its TagOptions as `key=value`.
    public func catalogNames(account: String, region: String = "us-east-1") -> (actions: [String], tagOptions: [String]) {
        let catalog = catalog(account, region)
        return (catalog.actions.values.map(\.name).sorted(), catalog.tagOptions.values.map { "\($0.key)=\($0.value)" }.sorted())
    }

    /// The provisioned products of `account` that are not terminated.
    public func provisioned(account: String, region: String = "us-east-1") -> [ProvisionedView] {
        catalog(account, region).provisioned.values.filter { !$0.terminated }.sorted { $0.id < $1.id }.map {
            ProvisionedView(id: $0.id, name: $0.name, product: $0.productName, version: $0.artifactName, status: $0.status, parameters: $0.parameters, outputs: $0.outputs)
        }
    }

    /// The records of `account`, oldest first.
    public func records(account: String, region: String = "us-east-1") -> [RecordView] {
        catalog(account, region).records.values.sorted { $0.id < $1.id }.map {
            RecordView(id: $0.id, type: $0.type, status: $0.status, provisionedProduct: $0.provisionedProductName)
        }
    }

    /// The idempotency tokens `operation` (e.g. ProvisionProduct) was called with in `account`
    /// and the records they answer, by token.
    public func tokens(_ operation: String, account: String, region: String = "us-east-1") -> [String: String] {
        let prefix = "\(operation)/"
        return Dictionary(catalog(account, region).tokens.filter { $0.key.hasPrefix(prefix) }.map { (String($0.key.dropFirst(prefix.count)), $0.value) },
                          uniquingKeysWith: { first, _ in first })
    }

    /// A stack as DescribeStacks would show it (without moving it on).
    public func stack(_ name: String, account: String, region: String = "us-east-1") -> CloudFormation.Stack? {
        withState { $0.stacks[.init(account: account, region: region)]?[name].map(FakeShapes.stack) }
    }

    /// An object's body.
    public func object(bucket: String, key: String) -> Data? { withState { $0.buckets[bucket]?.objects[key]?.body } }

    /// The keys of a bucket, sorted.
    public func keys(bucket: String) -> [String] { withState { ($0.buckets[bucket]?.objects.keys).map { Array($0).sorted() } ?? [] } }

    /// A role's trust policy and inline policies, as IAM stores them.
    public func role(_ name: String, account: String) -> (trust: String, policies: [String: String])? {
        withState { $0.roles[account]?[name].map { ($0.role.AssumeRolePolicyDocument ?? "", $0.policies) } }
    }

    /// An SSM document's version count, default version and the accounts it is shared with.
    public func document(_ name: String, account: String, region: String = "us-east-1") -> (versions: Int, defaultVersion: Int, sharedWith: Set<String>)? {
        withState { $0.ssm[.init(account: account, region: region)]?.documents[name].map { ($0.versions.count, $0.defaultVersion, $0.sharedWith) } }
    }
}
