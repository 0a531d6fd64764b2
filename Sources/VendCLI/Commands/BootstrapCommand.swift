import AWSCore
import AWSServices
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
    @OptionGroup var central: CentralOptions

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Wires live dependencies.
    public func run() async throws {
        let console = Console.live(color: global.color)
        try await Self.perform(global: global, central: central, currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                               dependencies: AWSOptions.liveDependencies(verbose: global.verbose, console: console), console: console)
    }

    /// Bootstraps every region and prints one row per region.
    @discardableResult
    public static func perform(global: GlobalOptions, central: CentralOptions, currentDirectory: URL, dependencies: AWSDependencies,
                               console: Console) async throws -> [Bootstrapper.Result] {
        let location = global.workspace(currentDirectory: currentDirectory)
        let workspace = try Workspace.load(root: location.root, configFile: location.configFile)
        let templateURL = location.root.appendingPathComponent(Workspace.baselineTemplate)
        guard let template = try? Data(contentsOf: templateURL) else {
            throw CommandFailure("cannot read \(Workspace.baselineTemplate): the central baseline template is missing — restore it from the repository")
        }
        let sessions = try await central.sessions(workspace.config, dependencies: dependencies)
        let callerArn = try await central.callerArn(sessions)
        let launchRoles = workspace.products.filter { $0.definition.launchedIn == .central }.map(\.definition.launchRole.name).sorted()
        let quiet = global.quiet
        var results: [Bootstrapper.Result] = []
        for region in central.regions(workspace.config) {
            guard let session = sessions[region] else { continue }
            let bootstrapper = Bootstrapper(
                cloudFormation: try LiveCloudFormationClient(session: session), lakeFormation: try LiveLakeFormationClient(session: session),
                clock: session.client.clock, progress: { line in if !quiet { console.progress("[\(region)] \(line)") } })
            results.append(try await bootstrapper.run(template: template, config: workspace.config, region: region, callerArn: callerArn,
                                                      centralLaunchRoles: launchRoles))
        }
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
