import AWSCore
import Foundation
import FuzzSupport

// Input: an HTTP answer (status and headers, `%%%`, body). It goes through the real client
// path of a JSON 1.1 and a REST-JSON call (status check, `ErrorDecoding` into
// `AWSServiceError`, or the body decoded with vend's response decoder and its timestamp
// rules), and straight into `ErrorDecoding` for both protocols.

/// Answers every request with the fuzz input.
private struct Answer: HTTPClient {
    var response: HTTPResponse
    func execute(_ request: HTTPRequest) async throws -> HTTPResponse { response }
}

/// Shapes like the generated outputs: optional members, nested lists and maps, timestamps.
private struct Output: Decodable, Sendable {
    struct Detail: Decodable, Sendable {
        var Id: String?
        var Name: String?
        var CreatedTime: Date?
        var Status: String?
        var Tags: [[String: String]]?
    }
    var ProductViewDetail: Detail?
    var Details: [Detail]?
    var NextPageToken: String?
    var Count: Int?
    var Enabled: Bool?
    var Outputs: [String: String]?
    var LastUpdated: Date?
}

private let keys = AWSCredentials(signing: .init(accessKeyId: "AKIDFUZZ", secretAccessKey: "fuzz"), source: "fuzz")
private let endpoint = ResolvedEndpoint(scheme: "https", host: "fuzz.invalid", signingRegion: "us-east-1", source: "fuzz")

/// libFuzzer's callback for one input: errors are expected, a crash or hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ pointer: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let pointer else { return 0 }
    let answer = FuzzAnswer(FuzzInput.data(pointer, size))
    let response = HTTPResponse(status: answer.status, headers: answer.headers, body: answer.body)
    for wire in [AWSWireProtocol.json(version: "1.1", targetPrefix: "AWS242ServiceCatalogService"), .restJSON] {
        _ = ErrorDecoding.decode(response, protocol: wire, operation: "Fuzz").description
    }
    // One attempt: the retry loop is not what is fuzzed, and backoff would sleep.
    let client = AWSClient(http: Answer(response: response), credentials: StaticCredentialProvider(keys),
                           retry: RetryConfig(maxAttempts: 1))
    _ = runBlocking {
        let catalog = AWSServiceClient(client: client, service: .serviceCatalog, endpoint: endpoint)
        _ = try? await catalog.json("DescribeProduct", EmptyShape(), idempotent: true, as: Output.self)
        let lakeFormation = AWSServiceClient(client: client, service: .lakeFormation, endpoint: endpoint)
        _ = try? await lakeFormation.restJSON("GetDataLakeSettings", method: "POST", path: "/GetDataLakeSettings",
                                              idempotent: true, as: Output.self, signed: false)
        return true
    }
    return 0
}

/// Hands the process to libFuzzer (see `runFuzzer`).
@main
struct Main {
    static func main() { runFuzzer(fuzzOne) }
}
