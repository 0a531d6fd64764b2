import ArgumentParser
import Foundation
import VendBundle

/// `vend inspect BUNDLE`: the listing and manifest of a verified bundle.
public struct InspectCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a bundle's files and manifest (after verifying it).",
        discussion: "The bundle is read in memory and verified first; an unsafe or altered bundle is refused with exit code 1."
    )

    @OptionGroup var global: GlobalOptions

    /// The bundle file.
    @Argument(help: "A bundle file (<product>-<version>.tar.gz).")
    var bundle: String

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Runs against the current directory and console.
    public func run() async throws {
        try Self.perform(global: global, bundle: bundle, currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath), console: .live(color: global.color))
    }

    /// Reads, verifies and prints the bundle.
    public static func perform(global: GlobalOptions, bundle: String, currentDirectory: URL, console: Console) throws {
        let path = URL(fileURLWithPath: bundle, relativeTo: currentDirectory).standardizedFileURL.path
        let read = try BundleReader().read(path)
        if global.output == .json {
            console.print(try JSONOutput.render(read.manifest))
            return
        }
        let manifest = read.manifest
        console.print("product:      \(manifest.product)")
        console.print("version:      \(manifest.version)")
        console.print("digest:       \(manifest.bundleDigest)")
        console.print("tool version: \(manifest.toolVersion)")
        console.print("")
        var table = TextTable(["PATH", "SIZE", "SHA-256"])
        for file in manifest.files { table.add([file.path, "\(file.size)", file.sha256]) }
        console.print(table.rendered)
    }
}
