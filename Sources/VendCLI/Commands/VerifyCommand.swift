import ArgumentParser
import Foundation
import VendBundle

/// `vend verify BUNDLE…`: recomputes every hash and the digest of each bundle.
public struct VerifyCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute every hash of one or more bundles and check them against their manifests.",
        discussion: "Refuses absolute paths, '..', links, device files, duplicate names, entries or totals over the size bounds, and any mismatch with manifest.json. Exits 1 if any bundle fails."
    )

    @OptionGroup var global: GlobalOptions

    /// The bundle files.
    @Argument(help: "Bundle files to verify.")
    var bundles: [String]

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Requires at least one bundle.
    public func validate() throws {
        if bundles.isEmpty { throw ValidationError("Name at least one bundle to verify, e.g. dist/producer-onboarding-1.0.0.tar.gz.") }
    }

    /// Runs against the current directory and console.
    public func run() async throws {
        try Self.perform(global: global, bundles: bundles, currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath), console: .live)
    }

    /// One bundle's result.
    struct Result: Encodable {
        var bundle: String, ok: Bool, product: String?, version: String?, digest: String?, error: String?
    }

    /// Verifies each bundle, printing one line per bundle; fails if any is refused.
    public static func perform(global: GlobalOptions, bundles: [String], currentDirectory: URL, console: Console) throws {
        var results: [Result] = []
        for bundle in bundles {
            let path = URL(fileURLWithPath: bundle, relativeTo: currentDirectory).standardizedFileURL.path
            do {
                let manifest = try BundleReader().read(path).manifest
                results.append(Result(bundle: bundle, ok: true, product: manifest.product, version: manifest.version, digest: manifest.bundleDigest, error: nil))
            } catch let error as BundleError {
                results.append(Result(bundle: bundle, ok: false, product: nil, version: nil, digest: nil, error: error.description))
            }
        }
        let failed = results.filter { !$0.ok }
        if global.output == .json {
            console.print(try JSONOutput.render(results))
        } else {
            for result in results where result.ok {
                console.print("ok  \(result.bundle)  \(result.product ?? "") \(result.version ?? "")  \(result.digest ?? "")")
            }
        }
        if failed.count == 1, global.output == .text, let message = failed[0].error {
            throw CommandFailure(message)
        }
        if !failed.isEmpty {
            if global.output == .text { for result in failed { console.error(result.error ?? "") } }
            throw CommandFailure("\(failed.count) of \(results.count) bundle(s) failed verification — rebuild them with `vend build`")
        }
    }
}
