import AWSSigV4
import Foundation

/// The JSON both the container endpoint and instance metadata answer with.
struct MetadataCredentialsJSON: Decodable {
    /// `AccessKeyId`.
    var AccessKeyId: String?
    /// `SecretAccessKey`.
    var SecretAccessKey: String?
    /// `Token`.
    var Token: String?
    /// `Expiration`.
    var Expiration: String?
    /// `Code` (instance metadata).
    var Code: String?
    /// `Message` (instance metadata).
    var Message: String?

    /// The credentials, or an error naming `source`.
    func credentials(source: String) throws -> AWSCredentials {
        guard let keyId = AccessKeyId, let secret = SecretAccessKey else {
            throw CredentialError(.notFound, "\(source) answered without credentials\(Message.map { ": \($0)" } ?? "") — check the task or instance role")
        }
        return AWSCredentials(signing: SigningCredentials(accessKeyId: keyId, secretAccessKey: secret, sessionToken: Token),
                              expiration: Expiration.flatMap(AWSTimestamp.parse), source: source)
    }
}

/// ECS / EKS Pod Identity container credentials: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`
/// (on 169.254.170.2) or `AWS_CONTAINER_CREDENTIALS_FULL_URI`, with
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE)`.
public struct ContainerCredentialProvider: CredentialProvider {
    /// The endpoint.
    public var url: String
    /// The token, read on every fetch from a file or given directly.
    public var authorization: (token: String?, file: String?)
    /// The transport.
    public var http: any HTTPClient
    /// Reads the token file.
    public var fileSystem: any AWSFileSystem

    /// The provider the environment describes, or nil when it describes none.
    public static func fromEnvironment(_ environment: [String: String], http: any HTTPClient, fileSystem: any AWSFileSystem) throws -> ContainerCredentialProvider? {
        let token = (environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"], environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"])
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
            return ContainerCredentialProvider(url: "http://169.254.170.2" + relative, authorization: token, http: http, fileSystem: fileSystem)
        }
        guard let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty else { return nil }
        guard let components = URLComponents(string: full), let host = components.host,
              components.scheme == "https" || ["127.0.0.1", "localhost", "::1", "169.254.170.2", "169.254.170.23", "fd00:ec2::23"].contains(host) else {
            throw CredentialError(.invalidConfig, "AWS_CONTAINER_CREDENTIALS_FULL_URI \(full) must use https or a loopback/container host — fix the variable")
        }
        return ContainerCredentialProvider(url: full, authorization: token, http: http, fileSystem: fileSystem)
    }

    /// GETs the credentials.
    public func credentials() async throws -> AWSCredentials {
        var headers: [(name: String, value: String)] = [("Accept", "application/json")]
        if let file = authorization.file {
            guard let data = fileSystem.contents(atPath: file) else {
                throw CredentialError(.tokenFileUnreadable, "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(file)")
            }
            headers.append(("Authorization", String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
        } else if let token = authorization.token {
            headers.append(("Authorization", token))
        }
        let response = try await http.execute(HTTPRequest(method: "GET", url: url, headers: headers, timeout: 2))
        guard response.status == 200, let json = try? JSONDecoder().decode(MetadataCredentialsJSON.self, from: response.body) else {
            throw CredentialError(.notFound, "the container credentials endpoint \(url) answered HTTP \(response.status) — check the task role")
        }
        return try json.credentials(source: "container credentials (\(url))")
    }
}

/// EC2 instance metadata (IMDSv2: a session token, then the role's credentials; IMDSv1 when
/// the token call is refused with 403/404/405), one
/// attempt with a one-second timeout as the AWS CLI does. `AWS_EC2_METADATA_DISABLED=true`
/// turns it off; `AWS_EC2_METADATA_SERVICE_ENDPOINT` moves it.
public struct InstanceMetadataCredentialProvider: CredentialProvider {
    /// `http://169.254.169.254` unless moved.
    public var endpoint: String
    /// The transport.
    public var http: any HTTPClient

    /// Creates the provider for an environment.
    public init(environment: [String: String], http: any HTTPClient) {
        var endpoint = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] ?? "http://169.254.169.254"
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        self.endpoint = endpoint
        self.http = http
    }

    /// Fetches the instance role's credentials.
    public func credentials() async throws -> AWSCredentials {
        let unreachable = CredentialError(.notFound, "no AWS credentials found: not in the environment, the profile, a container or EC2 instance metadata (\(endpoint)) — set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, pass --profile, or run `aws configure`")
        let tokenResponse: HTTPResponse
        do {
            tokenResponse = try await http.execute(HTTPRequest(method: "PUT", url: "\(endpoint)/latest/api/token",
                                                               headers: [("X-aws-ec2-metadata-token-ttl-seconds", "21600")], timeout: 1))
        } catch {
            throw unreachable
        }
        // 403/404/405: an IMDSv1-only endpoint, which botocore still reads without a token.
        let token: [(name: String, value: String)]
        switch tokenResponse.status {
        case 200: token = [(name: "X-aws-ec2-metadata-token", value: String(decoding: tokenResponse.body, as: UTF8.self))]
        case 403, 404, 405: token = []
        default: throw unreachable
        }
        let base = "\(endpoint)/latest/meta-data/iam/security-credentials/"
        let roles = try await http.execute(HTTPRequest(method: "GET", url: base, headers: token, timeout: 1))
        guard roles.status == 200, let role = String(decoding: roles.body, as: UTF8.self).split(separator: "\n").first.map(String.init) else {
            throw CredentialError(.notFound, "this EC2 instance has no instance profile role — attach one or configure credentials")
        }
        let response = try await http.execute(HTTPRequest(method: "GET", url: base + role, headers: token, timeout: 1))
        guard response.status == 200, let json = try? JSONDecoder().decode(MetadataCredentialsJSON.self, from: response.body) else {
            throw CredentialError(.notFound, "EC2 instance metadata answered HTTP \(response.status) for role \(role)")
        }
        return try json.credentials(source: "EC2 instance metadata (role \(role))")
    }
}
