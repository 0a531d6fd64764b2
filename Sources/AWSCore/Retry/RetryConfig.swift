/// Retry settings, resolved from `AWS_RETRY_MODE` / `retry_mode` and `AWS_MAX_ATTEMPTS` / `max_attempts`.
public struct RetryConfig: Sendable, Equatable {
    /// The SDKs' retry modes (`legacy` is read as `standard`).
    public enum Mode: String, Sendable {
        /// Exponential backoff with full jitter and a retry quota.
        case standard
        /// Standard plus a client-side rate limiter that slows down on throttling.
        case adaptive
    }

    /// The mode.
    public var mode: Mode
    /// Attempts in total, including the first (≥ 1).
    public var maxAttempts: Int
    /// The backoff cap in seconds.
    public var maxBackoff: Double

    /// Creates settings.
    public init(mode: Mode = .standard, maxAttempts: Int = 3, maxBackoff: Double = 20) {
        self.mode = mode
        self.maxAttempts = max(1, maxAttempts)
        self.maxBackoff = maxBackoff
    }

    /// Reads the environment first, then the profile; rejects values that are not numbers or modes.
    public static func resolve(environment: [String: String], profile: INISection) throws(EndpointError) -> RetryConfig {
        var config = RetryConfig()
        if let raw = environment["AWS_RETRY_MODE"] ?? profile.values["retry_mode"] {
            switch raw.lowercased() {
            case "standard", "legacy": config.mode = .standard
            case "adaptive": config.mode = .adaptive
            default: throw EndpointError("invalid retry mode \"\(raw)\": use standard or adaptive (AWS_RETRY_MODE / retry_mode)")
            }
        }
        if let raw = environment["AWS_MAX_ATTEMPTS"] ?? profile.values["max_attempts"] {
            guard let attempts = Int(raw), attempts >= 1 else {
                throw EndpointError("invalid max attempts \"\(raw)\": use a whole number ≥ 1 (AWS_MAX_ATTEMPTS / max_attempts)")
            }
            config.maxAttempts = attempts
        }
        return config
    }
}

/// The SDKs' retry quota: each retry spends tokens (more after a timeout), each success
/// returns some, so a dead endpoint stops being retried quickly.
public actor RetryQuota {
    /// Tokens at start and at most.
    public let capacity: Int
    /// Tokens left.
    public private(set) var available: Int
    /// Cost of a retry.
    public static let retryCost = 5
    /// Cost of a retry after a timeout or connection error.
    public static let timeoutRetryCost = 10

    /// Creates a full quota.
    public init(capacity: Int = 500) {
        self.capacity = capacity
        self.available = capacity
    }

    /// Takes the cost of one retry; nil (and nothing taken) when the quota is too low.
    public func acquire(timeout: Bool) -> Int? {
        let cost = timeout ? Self.timeoutRetryCost : Self.retryCost
        guard available >= cost else { return nil }
        available -= cost
        return cost
    }

    /// After a success: gives back what a retry took, or 1 for a first-attempt success.
    public func release(_ cost: Int?) {
        available = min(capacity, available + (cost ?? 1))
    }
}
