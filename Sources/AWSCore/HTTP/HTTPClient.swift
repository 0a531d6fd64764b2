import Foundation

/// One HTTP request, exactly as it goes on the wire (the URL holds the signer's encoded
/// path and query; nothing is re-encoded).
public struct HTTPRequest: Sendable {
    /// `GET`, `POST`, …
    public var method: String
    /// Full URL: scheme, host, port, encoded path and query.
    public var url: String
    /// Headers to send (already signed).
    public var headers: [(name: String, value: String)]
    /// The body (empty for none).
    public var body: Data
    /// Seconds before the request is abandoned.
    public var timeout: TimeInterval
    /// Most bytes of response body read before the request is abandoned.
    public var maxResponseBytes: Int

    /// The default bound on a response body: far above any answer vend expects (the largest is
    /// a bundle from S3, at most 16 MiB by `BundleReader.Limits.standard`), and low enough that a
    /// broken endpoint or proxy streaming without end cannot exhaust memory.
    public static let defaultMaxResponseBytes = 32 << 20

    /// Creates a request.
    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: Data = Data(), timeout: TimeInterval = 60,
                maxResponseBytes: Int = HTTPRequest.defaultMaxResponseBytes) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }
}

/// One HTTP response. Non-2xx statuses are responses, not errors.
public struct HTTPResponse: Sendable {
    /// The status code.
    public var status: Int
    /// Headers, names lower-cased.
    public var headers: [String: String]
    /// The body.
    public var body: Data

    /// Creates a response.
    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }

    /// The value of a header (case-insensitive).
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// The network, behind one call. The live implementation is `CurlHTTPClient`;
/// tests use `StubHTTPClient` from VendTestSupport.
public protocol HTTPClient: Sendable {
    /// Sends a request and returns the response; throws `HTTPTransportError` when no
    /// response arrived.
    func execute(_ request: HTTPRequest) async throws -> HTTPResponse
}

/// No HTTP response arrived.
public enum HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request timed out.
    case timedOut(url: String)
    /// The connection failed or was reset.
    case connectionFailed(url: String, reason: String)
    /// The URL could not be parsed.
    case invalidURL(String)
    /// The response body was larger than the request allows; reading stopped there.
    case responseTooLarge(url: String, limit: Int)

    /// What happened, for people.
    public var description: String {
        switch self {
        case .timedOut(let url): "no response from \(url): the request timed out — check the network or the endpoint"
        case .connectionFailed(let url, let reason): "could not reach \(url): \(reason) — check the network, proxy and endpoint URL"
        case .invalidURL(let url): "invalid URL \"\(url)\": check the endpoint URL"
        case .responseTooLarge(let url, let limit):
            "the response from \(url) is larger than \(limit / (1 << 20)) MiB, far more than an AWS answer to this call: reading stopped — check that the endpoint URL points at AWS (not a proxy or another server)"
        }
    }
}

/// A request vend refuses to send because it could not arrive as signed.
public struct AWSClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message: what happened, why, what to do.
    public var description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
