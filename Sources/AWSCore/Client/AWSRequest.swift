import Foundation

/// One call to an AWS service before signing: raw path and query, protocol headers, body.
public struct AWSRequest: Sendable {
    /// The operation name (`DescribeProduct`), for logs and errors.
    public var operation: String
    /// HTTP method.
    public var method: String
    /// Raw (unencoded) path after the endpoint's base path, starting with `/`.
    public var path: String
    /// Raw query parameters.
    public var query: [(name: String, value: String)]
    /// Protocol headers (`Content-Type`, `X-Amz-Target`, S3 options), all signed.
    public var headers: [(name: String, value: String)]
    /// The body.
    public var body: Data
    /// Whether sending it twice is harmless: safe reads, PUTs, and calls carrying an
    /// idempotency token. Only such calls are retried.
    public var idempotent: Bool
    /// Prepended to the endpoint's host (S3 virtual-hosted buckets: `bucket.`).
    public var hostPrefix: String
    /// False for the few calls AWS takes unsigned (AssumeRoleWithWebIdentity, SSO portal).
    public var signed: Bool

    /// Creates a request.
    public init(operation: String, method: String = "POST", path: String = "/", query: [(name: String, value: String)] = [],
                headers: [(name: String, value: String)] = [], body: Data = Data(), idempotent: Bool, hostPrefix: String = "", signed: Bool = true) {
        self.operation = operation
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.idempotent = idempotent
        self.hostPrefix = hostPrefix
        self.signed = signed
    }
}
