import AWSCore
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// `vend bootstrap`: the central account's baseline, deployed once per region.
public struct BootstrapCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "bootstrap",
        abstract: "Deploy the central baseline: artifact bucket, Lake Formation settings and the mesh's LF tags.",
        discussion: """
            Creates or updates the CloudFormation stack vend-central-baseline from \
            baseline/central-baseline.yaml in every region, showing stack events as it goes: the \
            artifact bucket (versioned, encrypted, public access blocked, TLS-only), Lake Formation \
            settings (cross-account version 4, no IAM-only defaults) with the current admins merged \
            with the caller and the central launch roles (never dropping an admin), and the LF tags \
            of vend.yaml. Re-running with nothing changed changes nothing.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var accounts: AccountOptions

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        try await Self.perform(global: global, accounts: accounts, currentDirectory: Wiring.currentDirectory,
                               dependencies: Wiring.liveDependencies(verbose: global.verbose, console: console), console: console)
    }

    /// Bootstraps every region (the engine's `bootstrap`) and prints one row per region.
    @discardableResult
    public static func perform(global: GlobalOptions, accounts: AccountOptions, currentDirectory: URL, dependencies: AWSDependencies,
                               console: Console) async throws -> [Bootstrapper.Result] {
        let results = try await Wiring.central(global, accounts, currentDirectory: currentDirectory, dependencies: dependencies, console: console).bootstrap()
        if global.output == .json {
            console.print(try JSONOutput.render(results))
        } else {
            var table = TextTable(["REGION", "STACK", "ACTION", "STATUS", "ARTIFACT BUCKET", "LF ADMINS"])
            for result in results {
                table.add([result.region, Bootstrapper.stackName, result.action, result.status, result.outputs["ArtifactBucketName"] ?? "", "\(result.admins.count)"])
            }
            console.print(table.rendered)
        }
        return results
    }
}
