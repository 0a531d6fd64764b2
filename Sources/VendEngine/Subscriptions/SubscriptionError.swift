import Foundation

/// Why a subscription command stopped. `isRefusal` marks a refusal by policy (exit 2): the
/// caller may not do this, or the input asks for something that cannot be.
public enum SubscriptionError: EngineFailure, Equatable {
    /// The caller is not an owner of the producer domain.
    case notAnOwner(caller: String, domain: String, owners: [String], domainAccount: String, central: String)
    /// `--until` names a day already over.
    case expiryInPast(day: String, today: String)
    /// `--until` is not a calendar day.
    case badDay(text: String)
    /// Unsubscribing a pair that was never subscribed.
    case neverSubscribed(consumer: String, domain: String)
    /// No request matches the id.
    case noSuchRequest(id: String, known: [String])
    /// Deciding the other way on a request already decided.
    case alreadyDecided(id: String, state: String, asked: String)
    /// The account a step needs could not be opened.
    case accountNotOpened(account: String, reason: String, needed: String)
    /// The RequestAccess action failed.
    case requestFailed(consumer: String, domain: String, recordId: String, failure: String)
    /// The deciding profile's account is neither the domain's nor central's.
    case decisionAccount(profile: String, account: String, domainAccount: String, central: String)
    /// The consumer domain has no consumer-onboarding to run RequestAccess on.
    case consumerNotOnboarded(consumer: String, provisionedProduct: String)

    /// Refusals by policy exit 2; the rest 1.
    public var isRefusal: Bool {
        switch self {
        case .notAnOwner, .expiryInPast, .alreadyDecided, .decisionAccount: return true
        default: return false
        }
    }

    /// What happened: why.
    public var description: String {
        switch self {
        case let .notAnOwner(caller, domain, owners, domainAccount, central):
            let who = owners.isEmpty ? "any principal of account \(domainAccount)" : owners.joined(separator: ", ")
            return "\(caller) may not decide for producer domain \"\(domain)\": its owners are \(who), and central (\(central))"
        case let .expiryInPast(day, today):
            return "--until \(day) is already over (today is \(today), UTC)"
        case let .badDay(text):
            return "--until \"\(text)\" is not a calendar day"
        case let .neverSubscribed(consumer, domain):
            return "consumer \"\(consumer)\" never subscribed to \"\(domain)\": there is no request, decision or grant to revoke"
        case let .noSuchRequest(id, known):
            return "no request has id \"\(id)\": \(known.isEmpty ? "there are no requests" : "known ids are \(known.joined(separator: ", "))")"
        case let .alreadyDecided(id, state, asked):
            return "request \(id) is \(state): it cannot be \(asked) now"
        case let .accountNotOpened(account, reason, needed):
            return "account \(account) could not be opened (\(reason)), and \(needed) needs it"
        case let .requestFailed(consumer, domain, recordId, failure):
            return "RequestAccess for \(consumer) reading \(domain) failed (record \(recordId)): \(failure)"
        case let .decisionAccount(profile, account, domainAccount, central):
            return "profile '\(profile)' is in account \(account): decisions are kept in the domain's account (\(domainAccount)) or central's (\(central))"
        case let .consumerNotOnboarded(consumer, provisionedProduct):
            return "consumer \"\(consumer)\" has no \(provisionedProduct) to request access through"
        }
    }

    /// What to do next.
    public var nextStep: NextStep? {
        switch self {
        case .notAnOwner: return .advice("ask an owner to decide, or run it with an owner's profile (--profile)")
        case .expiryInPast, .badDay: return .advice("give a day from today on, as YYYY-MM-DD")
        case .neverSubscribed: return .advice("check the names with `requests`; nothing was changed")
        case .noSuchRequest: return .advice("copy an id from the requests listing")
        case .alreadyDecided(_, let state, _):
            return .advice(state == "rejected" ? "the consumer can ask again (subscribe); that is a new request" : "to take access back, unsubscribe the pair")
        case .accountNotOpened: return .advice("check that account's profile (whoami), then re-run: what was done is kept")
        case .requestFailed: return .advice("look at the record in the consumer account's Service Catalog console, fix the cause and re-run")
        case .decisionAccount: return .advice("use the profile of the domain's account or of central")
        case let .consumerNotOnboarded(consumer, _): return .run(.launchConsumer(domain: consumer), " first")
        }
    }
}
