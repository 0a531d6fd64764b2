import Foundation

/// What is signed in place of the body.
public enum SigningPayload: Sendable, Equatable {
    /// The body itself; its SHA-256 is signed.
    case data(Data)
    /// A body whose SHA-256 (lower-case hex) is already known, e.g. a streamed file.
    case precomputedHash(String)
    /// `UNSIGNED-PAYLOAD`: S3 only, over TLS, when the body carries its own checksum.
    case unsigned

    /// SHA-256 of the empty string, the payload hash of a request without a body.
    public static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
}

/// How the path is put into the canonical request.
public enum SigningPathStyle: Sendable, Equatable {
    /// Every service but S3: the sent (encoded) path is normalised and encoded again.
    case standard
    /// S3: the sent path is used as is, and `x-amz-content-sha256` is always sent.
    case s3
}

/// A request before signing. Path and query are raw (not encoded): the signer encodes them
/// and returns the exact bytes the request must use.
public struct SigningRequest: Sendable {
    /// HTTP method, upper case.
    public var method: String
    /// The Host header value: host name, plus `:port` when the port is not the scheme's default.
    public var host: String
    /// The raw path, starting with `/` (e.g. `/my bucket/a+b.txt`).
    public var path: String
    /// Raw query parameters in any order; repeated names are allowed.
    public var query: [(name: String, value: String)]
    /// Headers to send and sign (names in any case). `host`, `x-amz-date`,
    /// `x-amz-security-token` and (S3) `x-amz-content-sha256` are set by the signer.
    public var headers: [(name: String, value: String)]
    /// The body, or its hash.
    public var payload: SigningPayload
    /// S3 or every other service.
    public var pathStyle: SigningPathStyle

    /// Creates a request to sign.
    public init(
        method: String, host: String, path: String,
        query: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = [],
        payload: SigningPayload = .data(Data()), pathStyle: SigningPathStyle = .standard
    ) {
        self.method = method
        self.host = host
        self.path = path
        self.query = query
        self.headers = headers
        self.payload = payload
        self.pathStyle = pathStyle
    }
}

/// The result of signing: what to send, and the intermediate strings for diagnostics.
public struct SignedRequest: Sendable {
    /// HTTP method.
    public var method: String
    /// The encoded path to put on the wire, byte for byte.
    public var encodedPath: String
    /// The encoded query (without `?`, empty when none), byte for byte.
    public var encodedQuery: String
    /// Every header to send, lower-case names, including `authorization`.
    public var headers: [(name: String, value: String)]
    /// The canonical request (contains no secret).
    public var canonicalRequest: String
    /// The string to sign (contains no secret).
    public var stringToSign: String
    /// The hex signature.
    public var signature: String
    /// The `;`-joined signed header names.
    public var signedHeaders: String

    /// `encodedPath` plus `?encodedQuery` when there is a query.
    public var pathAndQuery: String { encodedQuery.isEmpty ? encodedPath : encodedPath + "?" + encodedQuery }

    /// The value of one header (case-insensitive name), if sent.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name == lower }?.value
    }
}
