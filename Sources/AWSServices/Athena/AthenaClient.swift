import AWSCore
import Foundation

/// The Athena calls vend makes: `vend doctor` reads a consumer's workgroup, and `doctor --probe`
/// runs a count query in it as the analyst.
public protocol AthenaClient: Sendable {
    /// GetWorkGroup.
    func getWorkGroup(name: String) async throws -> Athena.WorkGroup?
    /// StartQueryExecution: the query's id. `clientRequestToken` (32–128 characters) makes a retry start no second query.
    func startQueryExecution(_ input: Athena.StartQueryExecutionInput) async throws -> String
    /// GetQueryExecution.
    func getQueryExecution(id: String) async throws -> Athena.QueryExecution
    /// GetQueryResults: one page (`MaxResults` ≤ 1000; the first page starts with the header row).
    func getQueryResults(id: String, nextToken: String?, maxResults: Int?) async throws -> Athena.QueryResultsPage
    /// StopQueryExecution.
    func stopQueryExecution(id: String) async throws
}

/// Athena over AWSCore.
public struct LiveAthenaClient: AthenaClient {
    /// The service client.
    public let service: AWSServiceClient

    /// Creates the client for a session.
    public init(session: AWSSession) throws { service = try session.serviceClient(.athena) }
    /// Creates the client over a service client.
    public init(service: AWSServiceClient) { self.service = service }

    struct GetWorkGroupInput: Encodable { var WorkGroup: String }
    struct GetWorkGroupOutput: Decodable { var WorkGroup: Athena.WorkGroup? }
    struct QueryIdInput: Encodable { var QueryExecutionId: String }
    struct StartOutput: Decodable { var QueryExecutionId: String? }
    struct GetQueryExecutionOutput: Decodable { var QueryExecution: Athena.QueryExecution? }
    struct GetQueryResultsInput: Encodable { var QueryExecutionId: String, NextToken: String?, MaxResults: Int? }
    struct Empty: Codable {}

    /// GetWorkGroup; nil when AWS answers that the work group does not exist (InvalidRequestException).
    public func getWorkGroup(name: String) async throws -> Athena.WorkGroup? {
        do {
            let output: GetWorkGroupOutput = try await service.json("GetWorkGroup", GetWorkGroupInput(WorkGroup: name), idempotent: true)
            return output.WorkGroup
        } catch where error.isAWS(.notFound) {
            return nil
        }
    }

    /// StartQueryExecution; retried only when the input carries a client request token.
    public func startQueryExecution(_ input: Athena.StartQueryExecutionInput) async throws -> String {
        let output: StartOutput = try await service.json("StartQueryExecution", input, idempotent: input.ClientRequestToken != nil)
        guard let id = output.QueryExecutionId, !id.isEmpty else { throw Self.invalid("StartQueryExecution", "the answer names no QueryExecutionId") }
        return id
    }

    /// GetQueryExecution.
    public func getQueryExecution(id: String) async throws -> Athena.QueryExecution {
        let output: GetQueryExecutionOutput = try await service.json("GetQueryExecution", QueryIdInput(QueryExecutionId: id), idempotent: true)
        guard let execution = output.QueryExecution else { throw Self.invalid("GetQueryExecution", "the answer holds no QueryExecution") }
        return execution
    }

    /// GetQueryResults (one page).
    public func getQueryResults(id: String, nextToken: String?, maxResults: Int?) async throws -> Athena.QueryResultsPage {
        try await service.json("GetQueryResults", GetQueryResultsInput(QueryExecutionId: id, NextToken: nextToken, MaxResults: maxResults), idempotent: true)
    }

    /// StopQueryExecution (stopping twice is harmless, so it is retried).
    public func stopQueryExecution(id: String) async throws {
        let _: Empty = try await service.json("StopQueryExecution", QueryIdInput(QueryExecutionId: id), idempotent: true)
    }

    static func invalid(_ operation: String, _ message: String) -> AWSServiceError {
        AWSServiceError(code: "InvalidResponse", message: message, status: 200, operation: "Athena \(operation)", retryKind: .client)
    }
}

extension AthenaClient {
    /// Every row of a succeeded query's results (the header row first), page by page.
    public func allQueryResults(id: String) async throws -> [Athena.Row] {
        try await Paginator.collect { token in
            let page = try await getQueryResults(id: id, nextToken: token, maxResults: 1000)
            return (page.ResultSet?.Rows ?? [], page.NextToken)
        }
    }
}
