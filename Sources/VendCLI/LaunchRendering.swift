import AWSCore
import Foundation
import VendEngine

/// How launch reports print: a table of provisioned products, their outputs and sample objects, or JSON.
enum LaunchRendering {
    /// Prints `report` on stdout.
    static func print(_ report: Launching.Report, global: GlobalOptions, console: Console) throws {
        if global.output == .json {
            console.print(try JSONOutput.render(report))
            return
        }
        let results = report.provisionedProducts
        var table = TextTable(["ACCOUNT", "PROVISIONED PRODUCT", "PRODUCT", "VERSION", "ACTION", "STATUS"])
        for result in results { table.add([result.account, result.name, result.product, result.version, result.action, result.status]) }
        console.print(table.rendered)
        var outputs = TextTable(["PROVISIONED PRODUCT", "OUTPUT", "VALUE"])
        for result in results { for (key, value) in result.outputs.sorted(by: { $0.key < $1.key }) { outputs.add([result.name, key, value]) } }
        console.print("")
        console.print(outputs.rendered)
        if let subscription = report.subscription {
            console.print("")
            console.print("\(subscription.consumer) → \(subscription.domain): \(subscription.label)" + (subscription.id.map { " (request \($0))" } ?? ""))
            for item in subscription.pending { console.print("  left: \(item)") }
        }
        if let sampleData = report.sampleData, !sampleData.isEmpty {
            var objects = TextTable(["SAMPLE OBJECT", "ACTION"])
            for object in sampleData { objects.add([object.key, object.action]) }
            console.print("")
            console.print(objects.rendered)
        }
    }
}

extension LaunchOptions {
    /// The engine's launch workflow for a launch command: the workspace, the one region, the resolver.
    func launching(global: GlobalOptions, accounts: AccountOptions, currentDirectory: URL, dependencies: AWSDependencies,
                   console: Console) throws -> Launching {
        let workspace = try Wiring.workspace(global, currentDirectory: currentDirectory)
        guard let region = try accounts.oneRegion() ?? workspace.config.regions.first else { throw EngineError.noRegion }
        return Launching(workspace: workspace, resolver: Wiring.resolver(accounts, dependencies: dependencies, console: console, quiet: global.quiet),
                         region: region, centralProfile: centralProfile, principal: principal, clock: dependencies.clock)
    }

    /// A launch command's `run`: live dependencies, the command's `perform`, the report printed.
    static func run(global: GlobalOptions,
                    perform: (URL, AWSDependencies, Console) async throws -> Launching.Report) async throws {
        let console = Console.live(color: global.color)
        let report = try await perform(Wiring.currentDirectory, Wiring.liveDependencies(verbose: global.verbose, console: console), console)
        try LaunchRendering.print(report, global: global, console: console)
    }
}
