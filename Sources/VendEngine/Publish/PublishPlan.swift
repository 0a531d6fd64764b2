/// One change `publish` would make. Steps name things, not ids: the executor resolves ids as it goes.
public enum PublishStep: Sendable, Equatable, Hashable {
    /// Upload an object to the artifact bucket (template or bundle).
    case upload(key: String, kind: String)
    /// Create the portfolio.
    case createPortfolio(name: String)
    /// Create the product with its first version.
    case createProduct(version: String)
    /// Add a version (provisioning artifact).
    case createVersion(version: String)
    /// Associate the product with the portfolio.
    case associateProduct
    /// Create the LAUNCH constraint with a LocalRoleName.
    case createLaunchConstraint(roleName: String)
    /// Change the LAUNCH constraint's LocalRoleName.
    case updateLaunchConstraint(from: String, to: String)
    /// Create a TagOption (region-wide).
    case createTagOption(TagOptionPair)
    /// Associate a TagOption with the product.
    case associateTagOption(TagOptionPair)
    /// Create the SSM Automation document.
    case createDocument(name: String)
    /// Update the document to new content (a new document version, made the default).
    case updateDocument(name: String)
    /// Share the document with accounts.
    case shareDocument(name: String, accounts: [String])
    /// Create the service action.
    case createServiceAction(name: String)
    /// Point the service action at the current document version.
    case updateServiceAction(name: String)
    /// Associate a service action with a version.
    case associateAction(name: String, version: String)
    /// Set Guidance=DEPRECATED on a version.
    case deprecateVersion(version: String)
    /// Share the portfolio (ACCOUNT, ORGANIZATIONAL_UNIT or ORGANIZATION).
    case share(type: String, principal: String)
    /// Update an existing share's TagOption/principal sharing.
    case updateShare(type: String, principal: String)
    /// Remove a share (`vend share --unshare`).
    case unshare(type: String, principal: String)

    /// Whether the step changes something in AWS (all do; kept for the request-count checks).
    public var summary: String {
        switch self {
        case let .upload(key, kind): return "upload \(kind) to \(key)"
        case let .createPortfolio(name): return "create portfolio \"\(name)\""
        case let .createProduct(version): return "create product with version \(version)"
        case let .createVersion(version): return "add version \(version)"
        case .associateProduct: return "associate with the portfolio"
        case let .createLaunchConstraint(role): return "add LAUNCH constraint (LocalRoleName \(role))"
        case let .updateLaunchConstraint(from, to): return "change LAUNCH constraint LocalRoleName \(from) → \(to)"
        case let .createTagOption(pair): return "create TagOption \(pair)"
        case let .associateTagOption(pair): return "associate TagOption \(pair)"
        case let .createDocument(name): return "create SSM document \(name)"
        case let .updateDocument(name): return "update SSM document \(name) to a new version"
        case let .shareDocument(name, accounts): return "share SSM document \(name) with \(accounts.joined(separator: ", "))"
        case let .createServiceAction(name): return "create service action \(name)"
        case let .updateServiceAction(name): return "point service action \(name) at the new document version"
        case let .associateAction(name, version): return "associate action \(name) with version \(version)"
        case let .deprecateVersion(version): return "deprecate version \(version) (Guidance=DEPRECATED)"
        case let .share(type, principal): return "share portfolio with \(type.lowercased().replacingOccurrences(of: "_", with: " ")) \(principal)"
        case let .updateShare(type, principal): return "update share with \(type.lowercased().replacingOccurrences(of: "_", with: " ")) \(principal)"
        case let .unshare(type, principal): return "stop sharing with \(type.lowercased().replacingOccurrences(of: "_", with: " ")) \(principal)"
        }
    }
}

/// A version `publish` will not touch, and why.
public struct PublishRefusal: Sendable, Equatable, Codable {
    /// The product.
    public var product: String
    /// The version.
    public var version: String
    /// What is live, and what the bundle holds.
    public var liveDigest: String?
    /// The bundle's digest.
    public var localDigest: String
    /// The full message: what, why, what to do.
    public var message: String
}

/// Everything `publish` would do in one region, grouped: the portfolio, each product, the shares.
public struct PublishPlan: Sendable, Equatable {
    /// Steps for one product, in the order they run.
    public struct ProductPlan: Sendable, Equatable {
        /// Product name.
        public var product: String
        /// The bundle's version.
        public var version: String
        /// The bundle's digest.
        public var digest: String
        /// Steps, in order.
        public var steps: [PublishStep]
        /// Notes that change nothing (e.g. "1.0.0 already published with the same digest").
        public var notes: [String]
    }

    /// The region.
    public var region: String
    /// The central account.
    public var account: String
    /// The artifact bucket.
    public var bucket: String
    /// Portfolio-level steps (run first).
    public var portfolioSteps: [PublishStep]
    /// Per-product plans, by name.
    public var products: [ProductPlan]
    /// Share steps (run last, one at a time).
    public var shareSteps: [PublishStep]
    /// Versions refused; a plan with refusals is not applied.
    public var refusals: [PublishRefusal]
    /// Whether the artifact bucket exists (publish needs `vend bootstrap` first when it does not).
    public var bucketExists: Bool = true

    /// Every step of the plan.
    public var allSteps: [PublishStep] { portfolioSteps + products.flatMap(\.steps) + shareSteps }

    /// Whether the plan changes nothing.
    public var isEmpty: Bool { allSteps.isEmpty }
}
