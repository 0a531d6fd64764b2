import ArgumentParser
import Foundation
import VendModel

/// `vend validate`: checks vend.yaml and every product, reporting every problem at once.
public struct ValidateCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check vend.yaml and every product, reporting every problem at once.",
        discussion: """
            Checks the schema of vend.yaml and each product.yaml, that referenced files exist, that \
            template parameters match the product's, versions are semantic, TagOption keys are the \
            mesh's, action documents are valid SSM Automation documents, and the security gate: no \
            public or unencrypted buckets, TLS-only bucket policies, no wildcard principals, no \
            over-wide IAM grants. Exits 1 if anything is wrong.
            """
    )

    @OptionGroup var global: GlobalOptions

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Runs against the current directory and the process's console.
    public func run() async throws {
        try Self.perform(global: global, currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath), console: .live(color: global.color))
    }

    /// One product line of the report.
    struct ProductSummary: Encodable {
        var name: String, version: String, audience: String, launchedIn: String, actions: Int
    }

    /// The JSON report.
    struct Report: Encodable {
        var valid: Bool
        var products: [ProductSummary]
        var diagnostics: [Diagnostic]
    }

    /// Validates the workspace the options name; prints the report; throws if invalid.
    public static func perform(global: GlobalOptions, currentDirectory: URL, console: Console) throws {
        let location = global.workspace(currentDirectory: currentDirectory)
        let (workspace, diagnostics) = Workspace.inspect(root: location.root, configFile: location.configFile)
        let valid = workspace != nil && !diagnostics.contains { $0.severity == .error }
        let summaries = (workspace?.products ?? []).map {
            ProductSummary(name: $0.definition.name, version: $0.definition.version.description, audience: $0.definition.audience.rawValue,
                           launchedIn: $0.definition.launchedIn.rawValue, actions: $0.definition.serviceActions.count)
        }
        if global.output == .json {
            console.print(try JSONOutput.render(Report(valid: valid, products: valid ? summaries : [], diagnostics: diagnostics)))
            if !valid { throw ExitCode(ExitStatus.failure.rawValue) }
            return
        }
        guard valid else { throw ValidationFailure(diagnostics: diagnostics) }
        for warning in diagnostics where !global.quiet { console.progress(warning.description) }
        var table = TextTable(["PRODUCT", "VERSION", "AUDIENCE", "LAUNCHED IN", "ACTIONS"])
        for summary in summaries { table.add([summary.name, summary.version, summary.audience, summary.launchedIn, String(summary.actions)]) }
        console.print(table.rendered)
        if !global.quiet { console.progress("valid: \(summaries.count) product(s) and \(location.configFile)") }
    }
}
