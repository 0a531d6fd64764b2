import Crypto
import Foundation

/// AWS Signature Version 4 for one credential, region and service, matching botocore's
/// `SigV4Auth` / `S3SigV4Auth` byte for byte. The signing date is always a parameter.
public struct SigV4Signer: Sendable {
    /// Headers never signed: hop-by-hop headers and ones proxies or libraries rewrite.
    public static let unsignedHeaderNames: Set<String> = [
        "authorization", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization",
        "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    /// The keys.
    public var credentials: SigningCredentials
    /// The signing region, e.g. `us-east-1`.
    public var region: String
    /// The signing name of the service, e.g. `s3`, `servicecatalog`, `sts`.
    public var service: String

    /// Creates a signer.
    public init(credentials: SigningCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Signs a request at `date` and returns the exact path, query and headers to send.
    public func sign(_ request: SigningRequest, date: Date) -> SignedRequest {
        let timestamp = AMZDate.timestamp(date)
        let day = String(timestamp.prefix(8))

        let rawPath = request.path.isEmpty ? "/" : request.path
        let encodedPath = URIEncoding.encode(rawPath, keepSlash: true)
        let canonicalPath = request.pathStyle == .s3
            ? encodedPath
            : URIEncoding.encode(URIEncoding.removeDotSegments(encodedPath), keepSlash: true)
        let encodedQuery = Self.canonicalQuery(request.query)

        let payloadHash: String
        switch request.payload {
        case .data(let body): payloadHash = Self.hexSHA256(body)
        case .precomputedHash(let hash): payloadHash = hash.lowercased()
        case .unsigned: payloadHash = "UNSIGNED-PAYLOAD"
        }

        // Later values for the same name replace earlier ones only for the headers the signer owns.
        let owned: Set<String> = ["host", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256", "authorization", "date"]
        var headers: [(name: String, value: String)] = request.headers
            .map { (name: $0.name.lowercased(), value: $0.value) }
            .filter { !owned.contains($0.name) }
        headers.append((name: "host", value: request.host))
        headers.append((name: "x-amz-date", value: timestamp))
        if let token = credentials.sessionToken { headers.append((name: "x-amz-security-token", value: token)) }
        if request.pathStyle == .s3 || request.payload == .unsigned {
            headers.append((name: "x-amz-content-sha256", value: payloadHash))
        }

        var grouped: [String: [String]] = [:]
        for header in headers where !Self.unsignedHeaderNames.contains(header.name) {
            grouped[header.name, default: []].append(Self.trimAll(header.value))
        }
        let names = grouped.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let canonicalHeaders = names.map { "\($0):\((grouped[$0] ?? []).joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")

        let canonicalRequest = [
            request.method.uppercased(), canonicalPath, encodedQuery, canonicalHeaders, signedHeaders, payloadHash,
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", timestamp, scope, Self.hexSHA256(Data(canonicalRequest.utf8)),
        ].joined(separator: "\n")
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(
            for: Data(stringToSign.utf8), using: signingKey(day: day)))
        headers.append((
            name: "authorization",
            value: "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        ))
        return SignedRequest(
            method: request.method.uppercased(), encodedPath: encodedPath, encodedQuery: encodedQuery,
            headers: headers, canonicalRequest: canonicalRequest, stringToSign: stringToSign,
            signature: signature, signedHeaders: signedHeaders
        )
    }

    /// The derived key `HMAC(HMAC(HMAC(HMAC("AWS4"+secret, day), region), service), "aws4_request")`.
    func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    /// Encodes names and values, then sorts by name and value (byte order), `&`-joined.
    public static func canonicalQuery(_ items: [(name: String, value: String)]) -> String {
        items
            .map { (URIEncoding.encode($0.name), URIEncoding.encode($0.value)) }
            .sorted { lhs, rhs in
                lhs.0 == rhs.0
                    ? Array(lhs.1.utf8).lexicographicallyPrecedes(Array(rhs.1.utf8))
                    : Array(lhs.0.utf8).lexicographicallyPrecedes(Array(rhs.0.utf8))
            }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// Lower-case hex SHA-256 of some bytes.
    public static func hexSHA256(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    /// Lower-case hex of a digest or MAC.
    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Trims and collapses whitespace the way Python's `str.split()` sees it, as botocore does.
    static func trimAll(_ value: String) -> String {
        value.unicodeScalars
            .split(whereSeparator: isPythonWhitespace)
            .map { String(String.UnicodeScalarView($0)) }
            .joined(separator: " ")
    }

    private static func isPythonWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }
}
