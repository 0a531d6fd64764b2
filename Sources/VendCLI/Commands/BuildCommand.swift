import ArgumentParser
import Foundation
import VendBundle
import VendEngine
import VendModel

/// `vend build`: one deterministic bundle per product version.
public struct BuildCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Validate the products and write one bundle per product version.",
        discussion: """
            Writes <product>-<version>.tar.gz with a manifest.json (product, version, tool version, \
            SHA-256 of every file, the bundle digest). Rebuilding the same inputs gives the same \
            bytes; set SOURCE_DATE_EPOCH to choose the entries' timestamp (default 0). Nothing is \
            written unless every product validates.
            """
    )

    @OptionGroup var global: GlobalOptions

    /// Products to build; all when none is named.
    @Argument(help: "Products to build (default: all).")
    var products: [String] = []

    /// Output folder.
    @Option(name: .long, help: "Folder for the bundles.")
    var out: String = "dist"

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Runs against the current directory, environment and console.
    public func run() async throws {
        try Self.perform(global: global, products: products, out: out,
                         currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                         environment: ProcessInfo.processInfo.environment, console: .live(color: global.color))
    }

    /// One built bundle, as printed.
    struct Built: Encodable {
        var product: String, version: String, digest: String, size: Int, path: String, archiveSHA256: String
    }

    /// Validates, builds into `out` (relative to the current directory) and prints the result table.
    public static func perform(global: GlobalOptions, products: [String], out: String, currentDirectory: URL,
                               environment: [String: String], console: Console) throws {
        let location = global.workspace(currentDirectory: currentDirectory)
        let mtime = try ProductBundler.mtime(environment: environment)
        let workspace = try Workspace.load(root: location.root, configFile: location.configFile, only: products)
        let outURL = URL(fileURLWithPath: out, relativeTo: currentDirectory).standardizedFileURL
        let results = try ProductBundler.build(workspace, into: outURL, toolVersion: VendVersion.semantic, mtime: mtime) { line in
            if !global.quiet { console.progress(line) }
        }
        let built = results.map {
            Built(product: $0.manifest.product, version: $0.manifest.version, digest: $0.manifest.bundleDigest, size: $0.size,
                  path: $0.path, archiveSHA256: $0.archiveSHA256)
        }
        if global.output == .json {
            console.print(try JSONOutput.render(built))
            return
        }
        var table = TextTable(["PRODUCT", "VERSION", "DIGEST", "SIZE", "BUNDLE"])
        for item in built {
            table.add([item.product, item.version, item.digest, "\(item.size)", relative(item.path, to: currentDirectory)])
        }
        console.print(table.rendered)
    }

    /// A path relative to `base` when it lies inside it.
    static func relative(_ path: String, to base: URL) -> String {
        let prefix = base.standardizedFileURL.path + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
