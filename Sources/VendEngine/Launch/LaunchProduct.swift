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
    /// Whether the product has service actions (they run as LAUNCH_ROLE, so SSM must assume the role).
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
        guard let policy = product.files[definition.launchRole.policy] else {
            throw LaunchError.noLaunchRolePolicy(product: name, policy: definition.launchRole.policy)
        }
        self.init(name: name, version: version ?? definition.version.description, roleName: definition.launchRole.name,
                  rolePolicy: String(decoding: policy, as: UTF8.self), hasActions: !definition.serviceActions.isEmpty,
                  parameterNames: definition.parameters.map(\.name))
    }
}
