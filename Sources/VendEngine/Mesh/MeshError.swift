import Foundation

/// Why `plan` or `apply` of the mesh stopped. `isRefusal` marks a refusal by policy (exit 3 with
/// `--detailed-exitcode`, 2 without, as other refusals).
public enum MeshError: EngineFailure, Equatable {
    /// Central could not be opened: the plan needs the catalog and the registrations.
    case centralNotRead(reason: String)
    /// `--target` was given while central changes (baseline or catalog) are pending.
    case targetWithCentralChanges(changes: [String])
    /// `--target` names no declared domain.
    case unknownTarget(domain: String, known: [String])
    /// A saved plan is not for this vend.yaml, these products or this vend.
    case planInputsChanged(what: String, file: String)
    /// The live state of an account moved since the plan was saved.
    case liveStateMoved(account: String, label: String, file: String)
    /// The saved plan cannot be read.
    case unreadablePlan(file: String, why: String)
    /// Some actions failed (the others finished); the summary lists each.
    case actionsFailed(failed: Int, blocked: Int)
    /// A declared consumer names no analyst role, which consumer-onboarding requires.
    case consumerWithoutAnalystRole(consumer: String)

    /// Refusals by policy.
    public var isRefusal: Bool {
        switch self {
        case .targetWithCentralChanges, .liveStateMoved, .planInputsChanged: return true
        default: return false
        }
    }

    /// What happened: why.
    public var description: String {
        switch self {
        case let .centralNotRead(reason):
            return "the central account could not be read (\(reason)): the mesh plan needs its catalog and registrations"
        case let .targetWithCentralChanges(changes):
            return "--target runs only a domain's own changes, but central changes are pending: \(changes.joined(separator: "; "))"
        case let .unknownTarget(domain, known):
            return "--target domain=\(domain) names no domain of vend.yaml (declared: \(known.joined(separator: ", ")))"
        case let .planInputsChanged(what, file):
            return "\(file) was planned with another \(what)"
        case let .liveStateMoved(account, label, file):
            return "the live state moved since \(file) was planned: account \(account) (\(label)) reads differently now"
        case let .unreadablePlan(file, why):
            return "\(file) is not a plan vend can apply: \(why)"
        case let .actionsFailed(failed, blocked):
            return "\(failed) action(s) failed and \(blocked) were blocked by them; the others finished"
        case let .consumerWithoutAnalystRole(consumer):
            return "consumer \"\(consumer)\" declares no analystRoles, and consumer-onboarding needs its analyst's role"
        }
    }

    /// What to do next.
    public var nextStep: NextStep? {
        switch self {
        case .centralNotRead: return .advice("check central's profile (whoami) and run again")
        case .targetWithCentralChanges: return .run(.apply, " without --target first, then the targeted runs")
        case .unknownTarget: return .advice("name a declared domain")
        case .planInputsChanged, .liveStateMoved: return .run(.plan(saving: true), " again, review it, and apply that")
        case .unreadablePlan: return .run(.plan(saving: true), " to save one")
        case .actionsFailed: return .command("fix the failures shown and", .apply, " again: what finished is kept and is not redone")
        case .consumerWithoutAnalystRole: return .advice("add `analystRoles: [arn:aws:iam::<account>:role/<Analyst>]` to that consumer in vend.yaml")
        }
    }
}
