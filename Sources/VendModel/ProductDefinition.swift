/// `products/<name>/product.yaml`: one Service Catalog product and how it is launched.
public struct ProductDefinition: Sendable, Equatable, Codable {
    /// Whose onboarding the product is.
    public enum Audience: String, Sendable, Codable, CaseIterable {
        case producer, consumer
    }

    /// Where the product is launched.
    public enum LaunchSite: String, Sendable, Codable, CaseIterable {
        /// In a producer or consumer account.
        case spoke
        /// In the central account (central-side registration of a spoke).
        case central
    }

    /// One launch parameter and the values it may take.
    public struct Parameter: Sendable, Equatable, Codable {
        /// The template parameter's name.
        public var name: String
        /// What it is for.
        public var description: String
        /// A regular expression every value must match.
        public var allowedPattern: String?
        /// The only values allowed.
        public var allowedValues: [String]?
        /// The value used when none is given.
        public var defaultValue: String?
    }

    /// The LAUNCH constraint: a role with this name must exist in every launching account.
    public struct LaunchRole: Sendable, Equatable, Codable {
        /// `LocalRoleName` of the constraint.
        public var name: String
        /// The role's IAM policy document, relative to the product folder; `../<product>/<file>`
        /// names another product's, for products that share one launch role.
        public var policy: String

        /// For a policy in a sibling product's folder (`../<product>/<file>`): that folder's
        /// name and the file's path inside it; nil for the product's own file.
        public var sharedFrom: (product: String, path: String)? {
            guard policy.hasPrefix("../") else { return nil }
            let rest = policy.dropFirst(3)
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            return (String(rest[..<slash]), String(rest[rest.index(after: slash)...]))
        }

        /// Where the policy is among the product's files and in its bundle: `policy`, or
        /// `<product>/<file>` for a sibling's (a bundle holds no `..`).
        public var bundlePath: String {
            sharedFrom.map { "\($0.product)/\($0.path)" } ?? policy
        }
    }

    /// A TagOption key and its values.
    public struct TagOption: Sendable, Equatable, Codable {
        /// The key; one of the mesh's LF tag keys.
        public var key: String
        /// The values.
        public var values: [String]
    }

    /// A self-service action: an SSM Automation document run against a provisioned product.
    public struct ServiceAction: Sendable, Equatable, Codable {
        /// The action's name.
        public var name: String
        /// What it does.
        public var description: String
        /// The SSM Automation document, relative to the product folder.
        public var document: String
        /// The SSM document's TargetType (`/` or `/AWS::…`).
        public var targetType: String
        /// The role the automation assumes; `LAUNCH_ROLE` means the launch constraint's role.
        public var assumeRole: String
    }

    /// Product name; equals its folder name.
    public var name: String
    /// The product version.
    public var version: SemanticVersion
    /// Owner shown in Service Catalog.
    public var owner: String
    /// Description shown in Service Catalog.
    public var description: String
    /// Distributor shown in Service Catalog.
    public var distributor: String?
    /// Support e-mail.
    public var supportEmail: String?
    /// Support URL.
    public var supportUrl: String?
    /// Whose onboarding this is.
    public var audience: Audience
    /// Where it is launched.
    public var launchedIn: LaunchSite
    /// The CloudFormation template, relative to the product folder.
    public var template: String
    /// Launch parameters, in template order.
    public var parameters: [Parameter]
    /// The launch constraint's role.
    public var launchRole: LaunchRole
    /// TagOptions associated with the product.
    public var tagOptions: [TagOption]
    /// Service actions associated with every active version.
    public var serviceActions: [ServiceAction]
    /// The product's changelog, relative to the product folder.
    public var changelog: String?

    /// Every file of the product that goes into its bundle, relative to the product folder,
    /// `product.yaml` included.
    public var bundledFiles: [String] {
        var files = ["product.yaml", template, launchRole.bundlePath]
        files.append(contentsOf: serviceActions.map(\.document))
        if let changelog { files.append(changelog) }
        return Array(Set(files)).sorted()
    }
}
