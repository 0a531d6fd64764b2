import VendModel

/// What the one-region workflows (`AccountWorkflows`, `ReadWorkflows`) act on: the validated
/// workspace, the resolver every account is reached through, and the region.
public struct WorkflowScope: Sendable {
    /// The validated workspace.
    public var workspace: Workspace
    /// How accounts are reached.
    public var resolver: any AccountResolving
    /// The region.
    public var region: String

    /// Creates the scope; `region` nil means vend.yaml's first.
    public init(workspace: Workspace, resolver: any AccountResolving, region: String?) throws {
        guard let region = region ?? workspace.config.regions.first else { throw EngineError.noRegion }
        self.workspace = workspace
        self.resolver = resolver
        self.region = region
    }
}

/// Workflows over one `WorkflowScope`.
public protocol ScopedWorkflows: Sendable {
    /// The workspace, resolver and region.
    var scope: WorkflowScope { get }
}

extension ScopedWorkflows {
    /// The validated workspace.
    var workspace: Workspace { scope.workspace }
    /// How accounts are reached.
    var resolver: any AccountResolving { scope.resolver }
    /// The region.
    var region: String { scope.region }
}
