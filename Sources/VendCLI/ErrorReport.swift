import AWSCore
import ArgumentParser
import VendBundle
import VendEngine
import VendModel

/// vend's documented exit codes.
public enum ExitStatus: Int32, Sendable {
    /// Everything worked.
    case success = 0
    /// Something failed: bad input, an AWS error, a failed launch.
    case failure = 1
    /// Refused by policy, such as republishing an immutable version with other content.
    case refused = 2
    /// Refused by policy, as `plan --detailed-exitcode` reports it (2 there means "changes").
    case refusedByPolicy = 3
    /// The command line itself was wrong.
    case usage = 64
}

/// The one place that turns an error into the text a user reads and an exit code.
/// Errors read "what happened: why — what to do".
public struct ErrorReport: Sendable {
    /// What is printed after `error: `.
    public var text: String
    /// The process exit code.
    public var exitCode: ExitStatus

    /// Maps vend's own errors; returns nil for ArgumentParser's errors, which it reports itself.
    public init?(_ error: any Error) {
        switch error {
        case let error as CommandFailure:
            text = error.description
            exitCode = error.status
        case let error as any EngineFailure:
            text = Self.message(error)
            switch error {
            case PublishError.refused: exitCode = .refused
            case let subscription as SubscriptionError where subscription.isRefusal: exitCode = .refused
            case let mesh as MeshError where mesh.isRefusal: exitCode = .refused
            case let lock as ApplyLockError where lock.isRefusal: exitCode = .refused
            case let engine as EngineError: if case .unknownParameters = engine { exitCode = .usage } else { exitCode = .failure }
            default: exitCode = .failure
            }
        case let error as AWSServiceError:
            text = error.description
            // AWSCore's hint needs no command; the ones that point at whoami are added here.
            if [.unknownKey, .accessDenied, .invalidResponse].contains(error.meaning) { text += " (`vend whoami` shows the profile, endpoint and caller)" }
            exitCode = .failure
        case is ValidationFailure, is ModelError, is BundleError,
             is CredentialError, is EndpointError, is INIParseError, is HTTPTransportError, is AWSClientError:
            // Each of vend's error types carries its whole message (what happened: why — what to do) in its description.
            text = String(describing: error)
            exitCode = .failure
        default:
            return nil
        }
    }
}

extension ErrorReport {
    /// An engine error as users read it: what happened: why — the next step, as a command where it is one.
    public static func message(_ error: any EngineFailure) -> String {
        guard let next = error.nextStep else { return error.description }
        return error.description + " — " + render(next)
    }

    /// The text of a next step.
    public static func render(_ next: NextStep) -> String {
        switch next {
        case let .advice(text): return text
        case let .command(before, workflow, after): return "\(before) `\(command(workflow))`\(after)"
        }
    }

    /// The command line that runs a workflow.
    public static func command(_ workflow: Workflow) -> String {
        switch workflow {
        case .validate: return "vend validate"
        case .build: return "vend build"
        case .bootstrap: return "vend bootstrap"
        case .publish: return "vend publish"
        case .share: return "vend share"
        case .status: return "vend status"
        case let .launch(product): return "vend launch \(product)"
        case let .launchProducer(domain): return "vend launch-producer" + (domain.map { " --domain \($0)" } ?? "")
        case let .launchConsumer(domain, analystRole):
            return "vend launch-consumer" + (domain.map { " --domain \($0)" } ?? "") + (analystRole.map { " --analyst-role \($0)" } ?? "")
        case let .addSource(domain): return "vend add-source" + (domain.map { " --domain \($0)" } ?? "")
        case let .whoami(profile): return "vend whoami" + (profile.map { " --profile \($0)" } ?? "")
        case .doctorFix: return "vend doctor --fix"
        case let .plan(saving): return saving ? "vend plan --out FILE" : "vend plan"
        case .apply: return "vend apply"
        }
    }
}

/// A failure a command reports directly, with its exit code.
public struct CommandFailure: Error, CustomStringConvertible, Sendable {
    /// The full message: what happened, why, what to do.
    public var description: String
    /// The exit code.
    public var status: ExitStatus

    /// Creates a failure with a message and an exit code (default 1).
    public init(_ description: String, status: ExitStatus = .failure) {
        self.description = description
        self.status = status
    }
}
