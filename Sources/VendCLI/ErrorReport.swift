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
        case let error as PublishError:
            text = error.description
            if case .refused = error { exitCode = .refused } else { exitCode = .failure }
        case let error as CommandFailure:
            text = error.description
            exitCode = error.status
        case is ValidationFailure, is ModelError, is BundleError, is LaunchError,
             is AWSServiceError, is CredentialError, is EndpointError, is INIParseError, is HTTPTransportError, is AWSClientError:
            // Each of vend's error types carries its whole message (what happened: why — what to do) in its description.
            text = String(describing: error)
            exitCode = .failure
        default:
            return nil
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
