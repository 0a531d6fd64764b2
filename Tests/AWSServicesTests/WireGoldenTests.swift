import AWSCore
import AWSServices
import AWSSigV4
import Foundation
import Testing
import VendTestSupport

/// The exact bytes vend sends for one call of each wire protocol (URL, headers including the
/// signature, body), at a fixed time with AWS's example keys. Any change to signing,
/// encoding or serialisation shows up as a diff. Re-record with `VEND_RECORD_GOLDENS=1`.
@Suite struct WireGoldenTests {
    static let goldenURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens/wire-requests.txt")

    static func render(_ request: HTTPRequest) -> String {
        var lines = ["\(request.method) \(request.url)"]
        for header in request.headers.sorted(by: { $0.name.lowercased() < $1.name.lowercased() }) {
            lines.append("\(header.name.lowercased()): \(header.value)")
        }
        lines.append("")
        lines.append(String(decoding: request.body, as: UTF8.self))
        return lines.joined(separator: "\n")
    }

    @Test func wireRequestsMatchTheGolden() async throws {
        let http = StubHTTPClient { request, _ in
            request.url.contains("servicecatalog") || request.url.contains("lakeformation")
                ? AWSStubResponses.json("{}")
                : AWSStubResponses.xml("<R><GetCallerIdentityResult><Account>1</Account></GetCallerIdentityResult></R>")
        }
        let keys = StaticCredentialProvider(AWSCredentials(signing: SigningCredentials(
            accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "session/token+="), source: "test"))
        let client = AWSClient(http: http, credentials: keys, clock: ManualClock(), userAgent: "vend/golden", jitter: { 0 })
        func service(_ info: AWSServiceInfo) -> AWSServiceClient {
            AWSServiceClient(client: client, service: info, endpoint: EndpointResolver.standard(info, region: "eu-west-1"))
        }
        _ = try await LiveServiceCatalogClient(service: service(.serviceCatalog)).createPortfolio(ServiceCatalog.CreatePortfolioInput(
            DisplayName: "Data mesh ሴ", ProviderName: "platform", Tags: [ServiceCatalog.Tag(Key: "vend:mesh", Value: "a+b=c")], IdempotencyToken: "tok/1"))
        _ = try await LiveSTSClient(service: service(.sts)).getCallerIdentity()
        _ = try await LiveCloudFormationClient(service: service(.cloudFormation)).validateTemplate(body: "{\"Resources\":{}}", url: nil)
        _ = try await LiveLakeFormationClient(service: service(.lakeFormation)).listPermissions(LakeFormation.ListPermissionsRequest(MaxResults: 5))
        _ = try await LiveS3Client(service: service(.s3)).putObject(bucket: "vend-artifacts", key: "bundles/mesh producer/1.0.0+build.tar.gz",
                                                                    body: Data("bundle".utf8), options: S3PutOptions(ContentType: "application/gzip", Metadata: ["digest": "sha256:ab"]))
        let actual = http.requests.map(Self.render).joined(separator: "\n\n----\n\n") + "\n"
        if ProcessInfo.processInfo.environment["VEND_RECORD_GOLDENS"] == "1" {
            try Data(actual.utf8).write(to: Self.goldenURL)
            return
        }
        let expected = try String(contentsOf: Self.goldenURL, encoding: .utf8)
        #expect(actual == expected, "wire requests differ from Tests/AWSServicesTests/Goldens/wire-requests.txt (re-record with VEND_RECORD_GOLDENS=1 if intended)")
    }
}
