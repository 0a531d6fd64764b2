/// How a failed call may be retried.
public enum RetryKind: String, Sendable, Equatable {
    /// The network or the service hiccuped (500/502/503/504, timeouts, resets): retry.
    case transient
    /// The caller was throttled (429, `Throttling`, `SlowDown`, …): retry more slowly.
    case throttling
    /// Another server error: not retried.
    case server
    /// The request itself was wrong or refused: never retried.
    case client
}

/// Every error an AWS service answers, whatever its wire protocol.
public struct AWSServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The error code, e.g. `ValidationException`, `NoSuchBucket`, `AccessDenied`.
    public var code: String
    /// The service's message.
    public var message: String
    /// The request id, for AWS support.
    public var requestId: String?
    /// The HTTP status.
    public var status: Int
    /// How it may be retried.
    public var retryKind: RetryKind
    /// The service and operation, e.g. `Service Catalog DescribeProduct`.
    public var operation: String
    /// S3 only: the bucket's real region, when S3 says the request went to the wrong one.
    public var bucketRegion: String?

    /// Creates an error; the retry kind is derived from code and status unless given.
    public init(code: String, message: String, requestId: String? = nil, status: Int, operation: String = "", retryKind: RetryKind? = nil) {
        self.code = code
        self.message = message
        self.requestId = requestId
        self.status = status
        self.operation = operation
        self.retryKind = retryKind ?? Self.classify(code: code, status: status)
    }

    /// Codes the SDKs treat as throttling.
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    ]
    /// Codes the SDKs treat as transient.
    public static let transientCodes: Set<String> = ["RequestTimeout", "RequestTimeoutException", "InternalError", "IDPCommunicationError"]

    /// Standard-mode classification of a code and status.
    public static func classify(code: String, status: Int) -> RetryKind {
        if throttlingCodes.contains(code) || status == 429 { return .throttling }
        if transientCodes.contains(code) || [500, 502, 503, 504].contains(status) { return .transient }
        if status >= 500 { return .server }
        return .client
    }

    /// "Service Catalog DescribeProduct failed: ResourceNotFoundException: … (HTTP 400, request id …) — next step".
    public var description: String {
        var text = "\(operation.isEmpty ? "AWS call" : operation) failed: \(code)"
        if !message.isEmpty { text += ": \(message)" }
        // Status 0: no status line was read to the end (the answer was cut off by vend's bound).
        if status > 0 || requestId != nil {
            text += " (" + [status > 0 ? "HTTP \(status)" : nil, requestId.map { "request id \($0)" }].compactMap { $0 }.joined(separator: ", ") + ")"
        }
        if let hint = hint { text += " — \(hint)" }
        return text
    }

    /// The next step that needs no knowledge of the command that called (AWSCore names no vend
    /// command; VendCLI's ErrorReport adds the ones that do).
    private var hint: String? {
        switch meaning {
        case .expiredCredentials: "the credentials have expired: refresh them (e.g. `aws sso login`) and run again"
        case .unknownKey: "the access key is not known to this endpoint: check the profile"
        case .badSignature: "the request signature was rejected: check the secret key and the system clock"
        case .accessDenied: "the caller lacks permission: check the role's policies"
        case .invalidResponse:
            "the endpoint did not answer as AWS does: check the endpoint URL and any proxy, then run again; vend re-reads what exists, so a re-run finishes the work"
        default:
            retryKind == .throttling || retryKind == .transient ? "retries were exhausted: try again later" : nil
        }
    }
}
