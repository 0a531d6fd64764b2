import AWSCore
import Foundation
import Logging
import VendEngine
import VendModel

/// The one place VendCLI wires live dependencies: the process environment, files, libcurl, the
/// system clock, a log on stderr, and the account resolver every engine entry point takes.
public enum Wiring {
    /// The live dependencies; the log is silent unless `--verbose`.
    public static func liveDependencies(verbose: Bool, console: Console) -> AWSDependencies {
        AWSDependencies(environment: ProcessInfo.processInfo.environment, http: CurlHTTPClient(),
                        logger: logger(verbose: verbose, console: console), userAgent: "vend/\(VendVersion.semantic)")
    }

    /// A logger writing `--verbose` lines to the console's stderr.
    public static func logger(verbose: Bool, console: Console) -> Logger {
        ClosureLogHandler.logger(level: verbose ? .debug : .critical) { console.writeErr("verbose: \($0)\n") }
    }

    /// The resolver of the accounts a command acts in, with progress on stderr unless quiet.
    public static func resolver(_ options: AccountOptions, dependencies: AWSDependencies, console: Console, quiet: Bool) -> LiveAccountResolver {
        LiveAccountResolver(dependencies: dependencies, endpointURL: options.endpointURL, progress: { line in if !quiet { console.progress(line) } })
    }

    /// The central account's workflows in the regions `accounts` names (default: vend.yaml's).
    public static func central(_ global: GlobalOptions, _ accounts: AccountOptions, currentDirectory: URL, dependencies: AWSDependencies,
                               console: Console) throws -> CentralWorkflows {
        CentralWorkflows(workspace: try workspace(global, currentDirectory: currentDirectory),
                         resolver: resolver(accounts, dependencies: dependencies, console: console, quiet: global.quiet),
                         profile: accounts.profile, regions: accounts.region)
    }

    /// The mesh workflows (`plan`, `apply`) in the one region `accounts` names (default: vend.yaml's first).
    public static func mesh(_ global: GlobalOptions, _ accounts: AccountOptions, dist: String, currentDirectory: URL, dependencies: AWSDependencies,
                            console: Console) throws -> MeshWorkflows {
        let workspace = try workspace(global, currentDirectory: currentDirectory)
        let scope = try WorkflowScope(workspace: workspace, resolver: resolver(accounts, dependencies: dependencies, console: console, quiet: global.quiet),
                                      region: try accounts.oneRegion())
        return MeshWorkflows(scope: scope, centralProfile: accounts.profile,
                             build: try buildOptions(out: dist, currentDirectory: currentDirectory, dependencies: dependencies))
    }

    /// Where `plan` and `publish` write bundles, and how they stamp them.
    public static func buildOptions(out: String, currentDirectory: URL, dependencies: AWSDependencies) throws -> CentralWorkflows.BuildOptions {
        CentralWorkflows.BuildOptions(directory: URL(fileURLWithPath: out, relativeTo: currentDirectory).standardizedFileURL,
                                      toolVersion: VendVersion.semantic, mtime: try ProductBundler.mtime(environment: dependencies.environment))
    }

    /// The workspace the global options name, loaded and validated.
    public static func workspace(_ global: GlobalOptions, currentDirectory: URL) throws -> Workspace {
        let location = global.workspace(currentDirectory: currentDirectory)
        return try Workspace.load(root: location.root, configFile: location.configFile)
    }

    /// The process's current directory.
    public static var currentDirectory: URL { URL(fileURLWithPath: FileManager.default.currentDirectoryPath) }
}
