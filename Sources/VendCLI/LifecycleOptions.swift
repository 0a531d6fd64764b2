import AWSCore
import AWSServices
import ArgumentParser
import Foundation
import VendEngine
import VendModel

/// Options of `upgrade` and `terminate`: which provisioned product, and where it lives.
public struct LifecycleOptions: ParsableArguments {
    /// The provisioned product's name.
    @Argument(help: "The provisioned product, e.g. producer-retail or producer-registration-retail.")
    public var name: String

    /// `--profile`.
    @Option(name: .long, help: "The profile of the account holding it (default: from the name and vend.yaml).")
    public var profile: String?

    /// `--region`.
    @Option(name: .long, help: "The region (default: the first of regions in vend.yaml).")
    public var region: String?

    /// `--endpoint-url`.
    @Option(name: .customLong("endpoint-url"), help: "Send every AWS call to this URL (e.g. a local cloud).")
    public var endpointURL: String?

    /// Creates the options (used by ArgumentParser).
    public init() {}

    /// The account vend names a provisioned product after: `producer-registration-D` and
    /// `consumer-registration-D` live in central, `producer-D` and `consumer-D` in D's account.
    public static func account(for name: String, config: MeshConfig) -> (MeshConfig.Account, String)? {
        if name.hasPrefix("producer-registration-") || name.hasPrefix("consumer-registration-") { return (config.central, "central") }
        for (prefix, accounts, role) in [("producer-", config.producers, "producer"), ("consumer-", config.consumers, "consumer")] where name.hasPrefix(prefix) {
            let domain = String(name.dropFirst(prefix.count))
            if let account = accounts.first(where: { $0.domain == domain }) { return (account, "\(role) \(domain)") }
        }
        return nil
    }

    /// The launch environment of the account holding the product.
    public func environment(_ config: MeshConfig, dependencies: AWSDependencies, console: Console, quiet: Bool) async throws -> LaunchEnvironment {
        guard let region = region ?? config.regions.first else { throw CommandFailure("no region: pass --region or list regions in vend.yaml") }
        let named = Self.account(for: name, config: config)
        guard let profile = profile ?? named?.0.profile else {
            throw CommandFailure("cannot tell which account holds \"\(name)\": vend names its products producer-<domain>, consumer-<domain>, producer-registration-<domain> and consumer-registration-<domain> — pass --profile")
        }
        let session = try AWSSession.resolve(.init(profile: profile, region: region, endpointURL: endpointURL), dependencies: dependencies)
        let identity = try await LiveSTSClient(session: session).getCallerIdentity()
        if self.profile == nil, let expected = named?.0.accountId, identity.Account != expected {
            throw CommandFailure("profile '\(profile)' belongs to account \(identity.Account), but vend.yaml names \(expected) for \(named?.1 ?? "it") — fix vend.yaml or pass --profile")
        }
        let role = named?.1 ?? "account"
        return LaunchEnvironment(accountId: identity.Account, region: region, serviceCatalog: try LiveServiceCatalogClient(session: session),
                                 iam: try LiveIAMClient(session: session), cloudFormation: try LiveCloudFormationClient(session: session),
                                 clock: session.client.clock, progress: { line in if !quiet { console.progress("[\(role) \(identity.Account)] \(line)") } })
    }
}
