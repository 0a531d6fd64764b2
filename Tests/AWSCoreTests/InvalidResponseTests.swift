@testable import AWSCore
import AWSSigV4
import Foundation
import Testing
import VendTestSupport

/// A 2xx answer vend cannot read says where and what, names the operation, says what to do,
/// and is not retried.
@Suite struct InvalidResponseTests {
    struct Output: Decodable { var Portfolio: Detail; struct Detail: Decodable { var Id: String; var Count: Int? } }

    static func call(_ response: HTTPResponse) async -> AWSServiceError? {
        let http = StubHTTPClient(responses: [response])
        let client = AWSClient(http: http, credentials: StaticCredentialProvider(AWSCredentials(
            signing: SigningCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret"), source: "test")), clock: ManualClock())
        let service = AWSServiceClient(client: client, service: .serviceCatalog, endpoint: ResolvedEndpoint(
            scheme: "https", host: "servicecatalog.us-east-1.amazonaws.com", signingRegion: "us-east-1", source: "standard"))
        do {
            let _: Output = try await service.json("DescribePortfolio", EmptyShape(), idempotent: true)
            return nil
        } catch {
            return error as? AWSServiceError
        }
    }

    @Test(arguments: [
        (#"{"Portfolio": {"Count": 1}}"#, "application/x-amz-json-1.1", #"lacks the required field "Portfolio.Id""#),
        (#"{"Portfolio": {"Id": "port-1", "Count": "many"}}"#, "application/x-amz-json-1.1", #"field "Portfolio.Count" has the wrong type"#),
        (#"{"Portfolio": {"Id": "port-"#, "application/x-amz-json-1.1", "not valid JSON (cut off, or not JSON at all) (application/x-amz-json-1.1, 27 bytes)"),
        ("<html><body>Sign in</body></html>", "text/html", "not valid JSON (cut off, or not JSON at all) (text/html, 33 bytes)"),
        ("", "application/x-amz-json-1.1", #"lacks the required field "Portfolio""#),
    ])
    func explained(body: String, contentType: String, says: String) async throws {
        let error = try #require(await Self.call(HTTPResponse(status: 200, headers: ["Content-Type": contentType], body: Data(body.utf8))))
        #expect(error.code == "InvalidResponse")
        #expect(error.retryKind == .client)
        #expect(error.description.hasPrefix("Service Catalog DescribePortfolio failed: InvalidResponse: the answer"), "\(error)")
        #expect(error.description.contains(says), "\(error)")
        #expect(error.description.contains("— the endpoint did not answer as AWS does: check the endpoint URL"), "\(error)")
    }
}
