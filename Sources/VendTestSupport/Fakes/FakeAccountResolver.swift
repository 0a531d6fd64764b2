import AWSCore
import AWSServices
import Foundation
import VendEngine

/// The engine's account resolver on a `FakeCloud`: each profile names an account of the cloud,
/// the caller is the fake's tester role there, and STS answers that account — so the engine's
/// identity check against vend.yaml runs as it does live. A profile mapped to another account
/// than vend.yaml expects is refused by the engine, not by this resolver.
public struct FakeAccountResolver: AccountResolving {
    /// The cloud.
    public var cloud: FakeCloud
    /// Profile → account id.
    public var profiles: [String: String]
    /// Sleeps between polls (a manual clock: no test waits).
    public var clock: any AWSClock
    /// Where progress lines go.
    public var progress: @Sendable (String) -> Void

    /// The local cloud's three profiles (central, producer, consumer), as vend.yaml names them.
    public static let meshProfiles = ["central": "111111111111", "producer": "222222222222", "consumer": "333333333333"]

    /// Creates a resolver.
    public init(cloud: FakeCloud, profiles: [String: String] = Self.meshProfiles, clock: any AWSClock = ManualClock(),
                progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.cloud = cloud
        self.profiles = profiles
        self.clock = clock
        self.progress = progress
    }

    /// The account's clients acting as the role an earlier AssumeRole on the cloud handed out
    /// `credentials` for (its session token names it): the caller is that role's session.
    public func open(_ request: AccountRequest, signingWith credentials: STSCredentials) throws -> AccountContext {
        var context = try open(request)
        guard let role = cloud.assumedRole(session: credentials.SessionToken) else {
            throw CredentialError(.profileNotFound, "the fake cloud handed out no session \(credentials.SessionToken)")
        }
        let parts = role.split(separator: ":", omittingEmptySubsequences: false)
        let account = parts.count == 6 ? String(parts[4]) : context.accountId
        let name = role.split(separator: "/").last.map(String.init) ?? role
        context.clients = cloud.clients(account: account, region: request.region, caller: "arn:aws:sts::\(account):assumed-role/\(name)/vend")
        return context
    }

    /// The profile's account, its clients on the cloud; an unknown profile fails as the AWS CLI's would.
    public func open(_ request: AccountRequest) throws -> AccountContext {
        guard let account = profiles[request.profile] else {
            throw CredentialError(.profileNotFound, "the config profile (\(request.profile)) could not be found")
        }
        return AccountContext(label: request.label, profile: request.profile, accountId: request.expectedAccountId ?? account, region: request.region,
                              clients: cloud.clients(account: account, region: request.region), clock: clock,
                              objectURL: { FakeCloud.objectURL(bucket: $0, key: $1) }, progress: progress)
    }
}
