import AWSCore
import ArgumentParser
import Foundation
import VendBundle
import VendEngine
import VendModel

/// `vend verify BUNDLE…`: recomputes every hash and the digest of each bundle.
public struct VerifyCommand: AsyncParsableCommand {
    /// Help text.
    public static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute every hash of one or more bundles and check them against their manifests.",
        discussion: """
            Refuses absolute paths, '..', links, device files, duplicate names, entries or totals over the \
            size bounds, and any mismatch with manifest.json. An s3://bucket/key argument is downloaded \
            with the central profile and must also match the digest of the live version it names. Exits 1 \
            if any bundle fails.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var accounts: AccountOptions

    /// The bundle files.
    @Argument(help: "Bundle files or s3://bucket/key URLs to verify.")
    var bundles: [String]

    /// Creates the command (used by ArgumentParser).
    public init() {}

    /// Requires at least one bundle.
    public func validate() throws {
        if bundles.isEmpty { throw ValidationError("Name at least one bundle to verify, e.g. dist/producer-onboarding-1.0.0.tar.gz.") }
    }

    /// Runs against the current directory and console.
    public func run() async throws {
        let console = Console.live(color: global.color)
        let currentDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        var remote: (@Sendable (String) async throws -> BundleManifest)?
        if bundles.contains(where: { $0.hasPrefix("s3://") }) {
            let workspace = try Wiring.workspace(global, currentDirectory: currentDirectory)
            let dependencies = Wiring.liveDependencies(verbose: global.verbose, console: console)
            let workflows = CentralWorkflows(workspace: workspace, resolver: Wiring.resolver(accounts, dependencies: dependencies, console: console, quiet: true),
                                             profile: accounts.profile, regions: Array(accounts.region.prefix(1)))
            remote = { url in try await workflows.verifyRemote(url) }
        }
        try await Self.perform(global: global, bundles: bundles, currentDirectory: currentDirectory, console: console, remote: remote)
    }

    /// One bundle's result.
    struct Result: Encodable {
        var bundle: String, ok: Bool, product: String?, version: String?, digest: String?, error: String?
    }

    /// Verifies each bundle, printing one line per bundle; fails if any is refused.
    /// `remote` verifies an `s3://` URL (download, bundle checks, live digest); local paths are read directly.
    public static func perform(global: GlobalOptions, bundles: [String], currentDirectory: URL, console: Console,
                               remote: (@Sendable (String) async throws -> BundleManifest)? = nil) async throws {
        var results: [Result] = []
        for bundle in bundles {
            do {
                let manifest: BundleManifest
                if bundle.hasPrefix("s3://"), let remote {
                    manifest = try await remote(bundle)
                } else {
                    manifest = try BundleReader().read(URL(fileURLWithPath: bundle, relativeTo: currentDirectory).standardizedFileURL.path).manifest
                }
                results.append(Result(bundle: bundle, ok: true, product: manifest.product, version: manifest.version, digest: manifest.bundleDigest, error: nil))
            } catch let error as BundleError {
                results.append(Result(bundle: bundle, ok: false, product: nil, version: nil, digest: nil, error: error.description))
            } catch let error as any EngineFailure {
                results.append(Result(bundle: bundle, ok: false, product: nil, version: nil, digest: nil, error: ErrorReport.message(error)))
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
