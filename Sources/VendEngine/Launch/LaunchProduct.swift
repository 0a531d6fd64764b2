import Foundation
import VendModel

/// What a launch needs to know about one product of the workspace: its name, the version to
/// launch, its local launch role and that role's policy.
public struct LaunchProduct: Sendable, Equatable {
    /// The product's name in the catalog.
    public var name: String
    /// The version (provisioning artifact name) to launch.
    public var version: String
    /// The LAUNCH constraint's `LocalRoleName`.
    public var roleName: String
    /// The role's policy document, from the bundle.
    public var rolePolicy: String
    /// Whether a product using this launch role has service actions (they run as LAUNCH_ROLE, so
    /// SSM must assume the role).
    public var hasActions: Bool
    /// The template's parameter names.
    public var parameterNames: [String]

    /// Creates a description of a product.
    public init(name: String, version: String, roleName: String, rolePolicy: String, hasActions: Bool, parameterNames: [String]) {
        self.name = name
        self.version = version
        self.roleName = roleName
        self.rolePolicy = rolePolicy
        self.hasActions = hasActions
        self.parameterNames = parameterNames
    }

    /// The product named `name` in the workspace, at `version` (default: the workspace's version).
    public init(workspace: Workspace, name: String, version: String?) throws {
        guard let product = workspace.products.first(where: { $0.definition.name == name }) else {
            throw EngineError.productNotInWorkspace(name: name, known: workspace.products.map(\.definition.name).sorted())
        }
        let definition = product.definition
        guard let policy = product.files[definition.launchRole.bundlePath] else {
            throw LaunchError.noLaunchRolePolicy(product: name, policy: definition.launchRole.policy)
        }
        // Products that share the role (validated to share its policy) share its trust too: SSM
        // may assume it when any of them has actions, or launching one would take that away.
        let roleHasActions = workspace.products.contains {
            $0.definition.launchRole.name == definition.launchRole.name && !$0.definition.serviceActions.isEmpty
        }
        self.init(name: name, version: version ?? definition.version.description, roleName: definition.launchRole.name,
                  rolePolicy: String(decoding: policy, as: UTF8.self), hasActions: roleHasActions,
                  parameterNames: definition.parameters.map(\.name))
    }
}
