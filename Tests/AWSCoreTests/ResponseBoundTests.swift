@testable import AWSCore
import AWSSigV4
import Foundation
import Testing
import VendTestSupport

/// The transport reads no more than `HTTPRequest.maxResponseBytes` of a body, whether the
/// server declares a larger length or streams without one; `AWSClient` reports it naming the
/// operation and does not retry it.
@Suite struct ResponseBoundTests {
    @Test func aDeclaredLengthOverTheBoundIsRefusedBeforeTheBody() async throws {
        let server = try OneShotServer(response: "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n" + String(repeating: "x", count: 5000))
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)/"
        await #expect(throws: HTTPTransportError.responseTooLarge(url: url, limit: 1000)) {
            _ = try await CurlHTTPClient().execute(HTTPRequest(method: "GET", url: url, timeout: 5, maxResponseBytes: 1000))
        }
    }

    @Test func aStreamWithoutLengthStopsAtTheBound() async throws {
        let server = try OneShotServer(response: "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + String(repeating: "y", count: 200_000))
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)/"
        await #expect(throws: HTTPTransportError.responseTooLarge(url: url, limit: 1000)) {
            _ = try await CurlHTTPClient().execute(HTTPRequest(method: "GET", url: url, timeout: 5, maxResponseBytes: 1000))
        }
    }

    @Test func aBodyWithinTheBoundArrivesWhole() async throws {
        let server = try OneShotServer(response: "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + String(repeating: "z", count: 1000))
        defer { server.stop() }
        let response = try await CurlHTTPClient().execute(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(server.port)/", timeout: 5, maxResponseBytes: 1000))
        #expect(response.body.count == 1000)
    }

    @Test func theClientNamesTheOperationAndDoesNotRetry() async throws {
        let calls = Counter()
        let http = StubHTTPClient { request, _ in
            calls.increment()
            throw HTTPTransportError.responseTooLarge(url: request.url, limit: HTTPRequest.defaultMaxResponseBytes)
        }
        let client = AWSClient(http: http, credentials: StaticCredentialProvider(AWSCredentials(
            signing: SigningCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret"), source: "test")), clock: ManualClock())
        let sts = AWSServiceClient(client: client, service: .sts,
                                   endpoint: ResolvedEndpoint(scheme: "https", host: "sts.us-east-1.amazonaws.com", signingRegion: "us-east-1", source: "standard"))
        do {
            _ = try await sts.query("GetCallerIdentity", idempotent: true)
            Issue.record("a flood was accepted")
        } catch let error as AWSServiceError {
            #expect(error.code == "ResponseTooLarge")
            #expect(error.description.hasPrefix("STS GetCallerIdentity failed: ResponseTooLarge: "))
            #expect(error.description.contains("passed 32 MiB"))
            #expect(error.description.contains("— the endpoint did not answer as AWS does: check the endpoint URL"))
        }
        #expect(calls.value == 1)
    }
}

/// Counts calls from any thread.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
