import AWSCore
import AWSServices
import Foundation

/// One account vend acts in, in one region: who it is, its clients, and where progress goes.
/// Every workflow reaches AWS through one of these; `AccountResolving` makes them.
public struct AccountContext: Sendable {
    /// How progress lines name the account, e.g. `central` or `producer retail`.
    public var label: String
    /// The profile it was resolved from.
    public var profile: String
    /// The account id (from vend.yaml, checked against STS by the resolver).
    public var accountId: String
    /// The region.
    public var region: String
    /// The caller's ARN (STS GetCallerIdentity); empty until the account is verified.
    public var callerArn: String
    /// The service clients (the one client bag).
    public var clients: AWSServiceClients
    /// Sleeps between polls.
    public var clock: any AWSClock
    /// The URL Service Catalog reads a template from (`LoadTemplateFromURL`), for an S3 object.
    public var objectURL: @Sendable (_ bucket: String, _ key: String) -> String
    /// Progress lines (unprefixed; the environments add the account or region).
    public var progress: @Sendable (String) -> Void

    /// Creates a context.
    public init(label: String, profile: String, accountId: String, region: String, callerArn: String = "", clients: AWSServiceClients,
                clock: any AWSClock, objectURL: @escaping @Sendable (String, String) -> String, progress: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.profile = profile
        self.accountId = accountId
        self.region = region
        self.callerArn = callerArn
        self.clients = clients
        self.clock = clock
        self.objectURL = objectURL
        self.progress = progress
    }

    /// The IAM principal to associate with a portfolio: the caller's role for an assumed-role session.
    public var principal: String { Bootstrapper.principal(fromCallerArn: callerArn) }

    /// What launches, upgrades, terminations and service actions need; progress names the account.
    public var launchEnvironment: LaunchEnvironment {
        let prefix = "[\(label) \(accountId)] "
        let progress = self.progress
        return LaunchEnvironment(accountId: accountId, region: region, clients: clients, clock: clock, progress: { progress(prefix + $0) })
    }

    /// What publish and share need; progress names the region.
    public var publishEnvironment: PublishEnvironment {
        let prefix = "[\(region)] "
        let progress = self.progress
        return PublishEnvironment(clients: clients, objectURL: objectURL, clock: clock, progress: { progress(prefix + $0) })
    }
}
