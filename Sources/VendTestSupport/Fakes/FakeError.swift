import AWSCore

/// The errors the fakes throw, built as `AWSServiceError` values with the code and HTTP status
/// AWS answers, so the engine's error handling meets what it meets on the wire.
public enum FakeError {
    /// Any AWS error.
    public static func make(_ code: String, _ message: String, status: Int = 400) -> AWSServiceError {
        AWSServiceError(code: code, message: message, requestId: "fake-request", status: status)
    }

    /// Service Catalog's (and Lake Formation's) "not found".
    public static func notFound(_ message: String) -> AWSServiceError { make("ResourceNotFoundException", message) }

    /// Service Catalog's refusal of a parameter.
    public static func invalidParameters(_ message: String) -> AWSServiceError { make("InvalidParametersException", message) }

    /// Service Catalog's "already exists".
    public static func duplicate(_ message: String) -> AWSServiceError { make("DuplicateResourceException", message) }

    /// Service Catalog's "not in a state that allows this".
    public static func invalidState(_ message: String) -> AWSServiceError { make("InvalidStateException", message) }

    /// A quota reached.
    public static func limitExceeded(_ message: String) -> AWSServiceError { make("LimitExceededException", message) }

    /// Throttling, as the JSON services answer it.
    public static func throttling(_ message: String = "Rate exceeded") -> AWSServiceError { make("ThrottlingException", message) }

    /// A server error (retried by the transport as transient).
    public static func internalError(_ message: String = "We encountered an internal error. Please try again.") -> AWSServiceError {
        make("InternalFailure", message, status: 500)
    }

    /// An operation the protocol declares but the engine never calls.
    static func notModelled(_ operation: String) -> AWSServiceError {
        make("NotModelledByFake", "\(operation) is not modelled by the fake (the engine does not call it)", status: 501)
    }
}
