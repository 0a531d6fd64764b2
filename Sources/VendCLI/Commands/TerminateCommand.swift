import AWSCore
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// `vend terminate NAME --yes`: removes a provisioned product.
public struct TerminateCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "terminate",
        abstract: "Terminate a provisioned product (its stack and the resources it made).",
        discussion: """
            Needs --yes. The products keep their data buckets (DeletionPolicy: Retain); a resource \
            that cannot be deleted fails the termination (the product becomes TAINTED) and re-running \
            tries again; --ignore-errors removes the product from Service Catalog anyway, leaving what \
            could not be deleted for you to clean up.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: LifecycleOptions

    /// Confirmation.
    @Flag(name: .long, help: "Confirm the termination.")
    var yes = false
    /// IgnoreErrors.
    @Flag(name: .customLong("ignore-errors"), help: "Remove it from Service Catalog even if its resources cannot all be deleted.")
    var ignoreErrors = false

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Requires --yes.
    public func validate() throws {
        if !yes { throw ValidationError("terminating \(target.name) deletes what it built: add --yes to confirm.") }
    }

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        try await perform(currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                          dependencies: AWSOptions.liveDependencies(verbose: global.verbose, console: console), console: console)
    }

    /// Terminates and prints the outcome.
    public func perform(currentDirectory: URL, dependencies: AWSDependencies, console: Console) async throws {
        let location = global.workspace(currentDirectory: currentDirectory)
        let workspace = try Workspace.load(root: location.root, configFile: location.configFile)
        let environment = try await target.environment(workspace.config, dependencies: dependencies, console: console, quiet: global.quiet)
        let record = try await ProvisionedLifecycle(environment: environment).terminate(name: target.name, ignoreErrors: ignoreErrors)
        if global.output == .json {
            struct Report: Encodable { var name: String, status: String, recordId: String }
            console.print(try JSONOutput.render(Report(name: target.name, status: "TERMINATED", recordId: record?.RecordDetail?.RecordId ?? "")))
        } else {
            console.print("\(target.name): terminated")
        }
    }
}
