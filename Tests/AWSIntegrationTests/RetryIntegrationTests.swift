import AWSCore
import AWSServices
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Retries against the local cloud's fault injection (throttling, 5xx, dropped connections),
/// each rule scoped to the consumer account and an operation no other suite calls.
@Suite(.enabled(if: LocalCloudProfiles.isConfigured, LocalCloudProfiles.skipReason), .serialized)
struct RetryIntegrationTests {
    /// Counts requests on their way to the real transport.
    final class CountingHTTPClient: HTTPClient, @unchecked Sendable {
        let base = CurlHTTPClient()
        let lock = NSLock()
        var count = 0
        func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
            lock.withLock { count += 1 }
            return try await base.execute(request)
        }
    }

    /// Adds a fault rule through the control endpoint and returns its id.
    func addFault(_ rule: [String: Any]) async throws -> String {
        let endpoint = try LocalCloudProfiles.session("consumer").serviceClient(.sts).endpoint.url
        var request = URLRequest(url: try #require(URL(string: "\(endpoint)/_localcloud/faults")))
        request.httpMethod = "POST"
        request.httpBody = try JSONSerialization.data(withJSONObject: rule.merging(["account": "333333333333"]) { $1 })
        let (data, _) = try await URLSession.shared.data(for: request)
        let answer = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rules = try #require(answer["rules"] as? [[String: Any]])
        return try #require(rules.first?["id"] as? String)
    }

    func removeFault(_ id: String) async throws {
        let endpoint = try LocalCloudProfiles.session("consumer").serviceClient(.sts).endpoint.url
        var request = URLRequest(url: try #require(URL(string: "\(endpoint)/_localcloud/faults/\(id)")))
        request.httpMethod = "DELETE"
        _ = try await URLSession.shared.data(for: request)
    }

    func clients() throws -> (AWSServiceClients, CountingHTTPClient) {
        let http = CountingHTTPClient()
        return (try AWSServiceClients(session: LocalCloudProfiles.session("consumer", http: http, jitter: { 0.05 })), http)
    }

    @Test func throttlingIsRetriedUntilItPasses() async throws {
        let id = try await addFault(["service": "ssm", "operation": "ListDocuments", "kind": "throttle", "count": 2])
        defer { Task { try? await removeFault(id) } }
        let (aws, http) = try clients()
        _ = try await aws.ssm.listDocuments(SSM.ListDocumentsRequest())
        #expect(http.count == 3)
    }

    @Test func persistent503FailsAfterThreeAttempts() async throws {
        let id = try await addFault(["service": "glue", "operation": "GetDatabases", "kind": "error503", "count": 5])
        defer { Task { try? await removeFault(id) } }
        let (aws, http) = try clients()
        do {
            _ = try await aws.glue.getDatabases(Glue.GetDatabasesRequest())
            Issue.record("expected the 503 to win")
        } catch let error as AWSServiceError {
            #expect(error.status == 503)
            #expect(error.retryKind == .transient)
        }
        #expect(http.count == 3)
    }

    @Test func droppedConnectionIsRetried() async throws {
        let id = try await addFault(["service": "lakeformation", "operation": "ListLFTags", "kind": "drop", "count": 1])
        defer { Task { try? await removeFault(id) } }
        let (aws, http) = try clients()
        _ = try await aws.lakeFormation.listLFTags(LakeFormation.ListLFTagsRequest())
        #expect(http.count == 2)
    }

    @Test func s3SlowDownIsRetried() async throws {
        let (aws, http) = try clients()
        let bucket = LocalCloudProfiles.unique("vend-it-slowdown")
        try await aws.s3.createBucket(bucket)
        let id = try await addFault(["service": "s3", "operation": "GetBucketVersioning", "kind": "slowdown", "count": 1])
        defer { Task { try? await removeFault(id) } }
        let before = http.count
        _ = try await aws.s3.getBucketVersioning(bucket)
        #expect(http.count - before == 2)
    }
}
