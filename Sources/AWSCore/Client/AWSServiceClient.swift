import AWSSigV4
import Foundation

/// One service at one endpoint, over a shared `AWSClient`: the protocol-specific calls
/// the service modules use.
public struct AWSServiceClient: Sendable {
    /// The shared client (credentials, retries, transport).
    public let client: AWSClient
    /// The service.
    public let service: AWSServiceInfo
    /// Where it is called.
    public let endpoint: ResolvedEndpoint

    /// Creates a service client.
    public init(client: AWSClient, service: AWSServiceInfo, endpoint: ResolvedEndpoint) {
        self.client = client
        self.service = service
        self.endpoint = endpoint
    }

    /// The region requests are signed for.
    public var region: String { endpoint.signingRegion }

    /// JSON for request bodies: nil members are left out.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.timeIntervalSince1970)
        }
        return encoder
    }

    /// JSON for responses: timestamps as epoch seconds or ISO 8601 strings.
    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            if let seconds = try? container.decode(Double.self) { return Date(timeIntervalSince1970: seconds) }
            let text = try container.decode(String.self)
            if let date = AWSTimestamp.parse(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a timestamp: \(text)")
        }
        return decoder
    }

    /// Decodes a 2xx body; a body that does not match is an `InvalidResponse` error.
    func decode<Output: Decodable>(_ type: Output.Type, from response: HTTPResponse, operation: String) throws -> Output {
        let body = response.body.isEmpty ? Data("{}".utf8) : response.body
        do {
            return try Self.decoder().decode(type, from: body)
        } catch {
            throw AWSServiceError(code: "InvalidResponse", message: Self.explain(error, response: response),
                                  status: response.status, operation: "\(service.sdkId) \(operation)", retryKind: .client)
        }
    }

    /// A decoding failure in a sentence: where in the answer and what was wrong, not Swift's dump.
    static func explain(_ error: any Error, response: HTTPResponse) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        let type = response.header("content-type").map { " (\($0), \(response.body.count) bytes)" } ?? " (\(response.body.count) bytes)"
        switch error as? DecodingError {
        case let .keyNotFound(key, context)?:
            let place = path(context.codingPath + [key])
            return "the answer lacks the required field \"\(place)\""
        case let .typeMismatch(_, context)?, let .valueNotFound(_, context)?:
            return "the answer's field \"\(path(context.codingPath))\" has the wrong type"
        case let .dataCorrupted(context)? where !context.codingPath.isEmpty:
            return "the answer's field \"\(path(context.codingPath))\" is unreadable: \(context.debugDescription)"
        default:
            return "the answer is not valid JSON (cut off, or not JSON at all)\(type)"
        }
    }

    // MARK: JSON 1.1

    /// A JSON 1.1 call: `POST /`, `X-Amz-Target`, JSON in and out.
    public func json<Input: Encodable, Output: Decodable>(_ operation: String, _ input: Input, idempotent: Bool, as output: Output.Type = Output.self) async throws -> Output {
        guard case .json(let version, let prefix) = service.wireProtocol else {
            throw AWSServiceError(code: "ProtocolMismatch", message: "\(service.sdkId) does not speak JSON 1.x", status: 0, operation: operation, retryKind: .client)
        }
        let request = AWSRequest(
            operation: operation, method: "POST", path: "/",
            headers: [("Content-Type", "application/x-amz-json-\(version)"), ("X-Amz-Target", "\(prefix).\(operation)")],
            body: try Self.encoder().encode(input), idempotent: idempotent)
        let response = try await client.send(request, service: service, endpoint: endpoint)
        return try decode(output, from: response, operation: operation)
    }

    // MARK: REST-JSON

    /// A REST-JSON call: method, raw path and query, optional JSON body.
    public func restJSON<Output: Decodable>(_ operation: String, method: String, path: String, query: [(name: String, value: String)] = [],
                                            body: (some Encodable)? = nil as EmptyShape?, idempotent: Bool, as output: Output.Type = Output.self,
                                            extraHeaders: [(name: String, value: String)] = [], signed: Bool = true) async throws -> Output {
        var headers = extraHeaders
        var data = Data()
        if let body {
            data = try Self.encoder().encode(body)
            headers.append(("Content-Type", "application/json"))
        }
        let request = AWSRequest(operation: operation, method: method, path: path, query: query, headers: headers,
                                 body: data, idempotent: idempotent, signed: signed)
        let response = try await client.send(request, service: service, endpoint: endpoint)
        return try decode(output, from: response, operation: operation)
    }

    // MARK: Query

    /// A Query call: form-encoded `Action`, `Version` and parameters; returns the
    /// `<OperationResult>` element (or the root when there is none).
    public func query(_ action: String, _ parameters: [String: String] = [:], idempotent: Bool, signed: Bool = true) async throws -> XMLElementNode {
        guard case .query(let version) = service.wireProtocol else {
            throw AWSServiceError(code: "ProtocolMismatch", message: "\(service.sdkId) does not speak Query", status: 0, operation: action, retryKind: .client)
        }
        var form = parameters
        form["Action"] = action
        form["Version"] = version
        let body = SigV4FormEncoding.encode(form)
        let request = AWSRequest(operation: action, method: "POST", path: "/",
                                 headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                                 body: Data(body.utf8), idempotent: idempotent, signed: signed)
        let response = try await client.send(request, service: service, endpoint: endpoint)
        let root = try parseXML(response, operation: action)
        return root["\(action)Result"] ?? root
    }

    // MARK: REST-XML

    /// A REST-XML call; returns the raw 2xx response (headers matter for S3).
    public func restXML(_ operation: String, method: String, path: String, query: [(name: String, value: String)] = [],
                        headers: [(name: String, value: String)] = [], body: Data = Data(), idempotent: Bool, hostPrefix: String = "") async throws -> HTTPResponse {
        let request = AWSRequest(operation: operation, method: method, path: path, query: query, headers: headers,
                                 body: body, idempotent: idempotent, hostPrefix: hostPrefix)
        return try await client.send(request, service: service, endpoint: endpoint)
    }

    /// Parses an XML 2xx body, mapping failures to `InvalidResponse`.
    /// An HTML page that happens to be well-formed XML (a proxy's or captive portal's) is refused
    /// too: read as an answer, its missing fields would look like "nothing exists".
    public func parseXML(_ response: HTTPResponse, operation: String) throws -> XMLElementNode {
        let type = response.header("content-type").map { " (\($0), \(response.body.count) bytes)" } ?? " (\(response.body.count) bytes)"
        let root: XMLElementNode
        do {
            root = try XMLTree.parse(response.body)
        } catch {
            throw AWSServiceError(code: "InvalidResponse", message: "\(error)\(type)", status: response.status,
                                  operation: "\(service.sdkId) \(operation)", retryKind: .client)
        }
        guard root.name.lowercased() != "html" else {
            throw AWSServiceError(code: "InvalidResponse", message: "the answer is an HTML page\(type), not XML from AWS", status: response.status,
                                  operation: "\(service.sdkId) \(operation)", retryKind: .client)
        }
        return root
    }
}

/// An empty JSON object, for calls without input or output members.
public struct EmptyShape: Codable, Sendable, Equatable {
    /// Creates an empty shape.
    public init() {}
}

/// `application/x-www-form-urlencoded` the way botocore writes Query bodies.
public enum SigV4FormEncoding {
    /// Sorted `name=value` pairs, RFC 3986 encoded (space as `%20`).
    public static func encode(_ form: [String: String]) -> String {
        form.keys.sorted().map { "\(URIEncoding.encode($0))=\(URIEncoding.encode(form[$0] ?? ""))" }.joined(separator: "&")
    }
}
