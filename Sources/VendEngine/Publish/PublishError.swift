/// Why a publish did not complete.
public enum PublishError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Something failed: an AWS error, a resource in a state vend cannot use.
    case failed(String)
    /// Refused by policy (immutable versions, quotas): nothing was changed.
    case refused([PublishRefusal])

    /// The message: what happened, why, what to do.
    public var description: String {
        switch self {
        case let .failed(message): return message
        case let .refused(refusals):
            return "publish refused, nothing was changed:\n" + refusals.map { "  " + $0.message }.joined(separator: "\n")
        }
    }
}
