import Foundation
import VendModel

/// A consumer's request to read a producer domain, as RequestAccess left it in the consumer's own
/// account: SSM parameter `/vend/requests/<consumer>/<domain>` (design note §2).
public struct SubscriptionRequest: Sendable, Equatable, Codable {
    /// The pair asked for.
    public var subscription: Subscription
    /// The account that holds the parameter: the one AWS vouches for (read with its profile after
    /// the caller-identity check), whatever the value says.
    public var account: String
    /// The parameter's version; a new request after a rejection or revocation is a new version.
    public var version: Int
    /// Why, as the requester wrote it.
    public var reason: String
    /// The last day of access (UTC end of day), when the requester set one.
    public var until: Date?
    /// Free text the requester typed; AWS does not vouch for it.
    public var requestedByUnverified: String
    /// The principal that wrote the parameter (`LastModifiedUser`): the launch role's session for a
    /// request made through the service action.
    public var writer: String
    /// When it was written (`LastModifiedDate`).
    public var requestedAt: Date?
    /// The Service Catalog record of the RequestAccess run, when one was found.
    public var recordId: String?

    /// Creates a request.
    public init(subscription: Subscription, account: String, version: Int, reason: String = "", until: Date? = nil,
                requestedByUnverified: String = "", writer: String = "", requestedAt: Date? = nil, recordId: String? = nil) {
        self.subscription = subscription
        self.account = account
        self.version = version
        self.reason = reason
        self.until = until
        self.requestedByUnverified = requestedByUnverified
        self.writer = writer
        self.requestedAt = requestedAt
        self.recordId = recordId
    }

    /// The id users see: the record id when known, else `<consumer>/<domain>@v<version>`.
    public var id: String { recordId ?? "\(subscription.consumer)/\(subscription.domain)@v\(version)" }
}

/// A decision on a request, kept in the decider's account (the producer domain's or central's):
/// SSM parameter `/vend/decisions/<consumer account>/<consumer>/<domain>`.
public struct SubscriptionDecision: Sendable, Equatable, Codable {
    /// What was decided.
    public enum Verdict: String, Sendable, Codable, CaseIterable {
        /// Access granted.
        case approved
        /// Access refused.
        case rejected
        /// Access taken back (unsubscribe, or an expiry swept).
        case revoked
    }

    /// The pair decided on.
    public var subscription: Subscription
    /// The request version the decision answers.
    public var requestVersion: Int
    /// The verdict.
    public var verdict: Verdict
    /// Why.
    public var reason: String
    /// The principal that wrote it (`LastModifiedUser`), checked against the domain's owners on
    /// every read.
    public var decidedBy: String
    /// When (`LastModifiedDate`).
    public var decidedAt: Date?

    /// Creates a decision.
    public init(subscription: Subscription, requestVersion: Int, verdict: Verdict, reason: String = "", decidedBy: String, decidedAt: Date? = nil) {
        self.subscription = subscription
        self.requestVersion = requestVersion
        self.verdict = verdict
        self.reason = reason
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
    }
}

/// Where a subscription stands. Derived on every read from the request, the decision, the
/// domain's approval policy, the keys that exist and the clock; never stored.
public enum SubscriptionState: String, Sendable, Codable, CaseIterable {
    /// Asked for; waits for an owner.
    case pending
    /// Approved (or the domain approves automatically); some of its grants are not made yet.
    case approved
    /// Approved and every grant it needs is made.
    case active
    /// An owner said no to this request.
    case rejected
    /// Taken back.
    case revoked
    /// Past its `until` day and not revoked yet.
    case expired

    /// Whether the subscription's keys are wanted: approved or active, and neither expired nor revoked.
    public var wantsAccess: Bool { self == .approved || self == .active }
}

/// The derived state of one subscription, with what a reader needs to explain it.
public struct DerivedSubscription: Sendable, Equatable, Codable {
    /// The state.
    public var state: SubscriptionState
    /// Revoked or expired, but some keys only it needed still exist.
    public var revocationPending: Bool
    /// A decision was found that was not written by an owner; it was ignored.
    public var ignoredDecisionBy: String?
    /// No request exists: the keys were made another way (a launch before subscriptions, or vend.yaml).
    public var withoutRequest: Bool

    /// The state as a reader shows it: "expired, revocation pending", "approved, not yet active".
    public var label: String {
        switch state {
        case .approved: return "approved, not yet active"
        case .revoked, .expired: return revocationPending ? "\(state.rawValue), revocation pending" : state.rawValue
        default: return state.rawValue
        }
    }

    /// Derives the state (the table of design note §3, written out in the README).
    /// - Parameters:
    ///   - request: the current request of the pair, if any.
    ///   - decision: the latest decision on the pair, if any.
    ///   - approval: the producer domain's policy.
    ///   - isOwner: whether a principal may decide for the domain.
    ///   - keysComplete: every key the pair needs exists and is available.
    ///   - keysPresent: some key that shows this very pair was subscribed exists (its principals'
    ///     grants, or its legacy consumer-onboarding's link and grants).
    ///   - keysRemaining: some key that only this pair needs still exists.
    ///   - now: the clock.
    /// - Returns: nil when the pair was never subscribed (no request, no decision, no keys).
    public static func derive(request: SubscriptionRequest?, decision: SubscriptionDecision?, approval: MeshConfig.Approval,
                              isOwner: (String) -> Bool, keysComplete: Bool, keysPresent: Bool, keysRemaining: Bool, now: Date) -> DerivedSubscription? {
        var ignored: String?
        var decision = decision
        if let found = decision, !isOwner(found.decidedBy) {
            ignored = found.decidedBy
            decision = nil
        }
        func result(_ state: SubscriptionState, pending: Bool = false) -> DerivedSubscription {
            DerivedSubscription(state: state, revocationPending: pending, ignoredDecisionBy: ignored, withoutRequest: request == nil)
        }
        guard let request else {
            // No request: a subscription made before requests existed (or declared in vend.yaml) is
            // what its keys say; a revocation still ends it.
            if let decision, decision.verdict == .revoked { return result(.revoked, pending: keysRemaining) }
            guard keysPresent else { return nil }
            return result(keysComplete ? .active : .approved)
        }
        let answers = decision.map { $0.requestVersion >= request.version } ?? false
        if let decision, answers, decision.verdict == .revoked { return result(.revoked, pending: keysRemaining) }
        if let decision, answers, decision.verdict == .rejected { return result(.rejected) }
        if let until = request.until, now > until { return result(.expired, pending: keysRemaining) }
        let approved = approval == .auto || (answers && decision?.verdict == .approved)
        guard approved else { return result(.pending) }
        return result(keysComplete ? .active : .approved)
    }
}
