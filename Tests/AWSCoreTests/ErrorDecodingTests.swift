@testable import AWSCore
import Foundation
import Testing

/// Each wire protocol's error format decodes into one `AWSServiceError`.
@Suite struct ErrorDecodingTests {
    @Test func json11() {
        let error = ErrorDecoding.decode(HTTPResponse(status: 400, headers: ["x-amzn-RequestId": "r1"], body: Data(#"{"__type":"com.amazonaws.servicecatalog#ResourceNotFoundException","Message":"no such product"}"#.utf8)),
                                         protocol: .json(version: "1.1", targetPrefix: "X"), operation: "Service Catalog DescribeProduct")
        #expect(error.code == "ResourceNotFoundException")
        #expect(error.message == "no such product")
        #expect(error.requestId == "r1")
        #expect(error.retryKind == .client)
        #expect(error.description.hasPrefix("Service Catalog DescribeProduct failed: ResourceNotFoundException: no such product (HTTP 400, request id r1)"))
    }

    @Test func restJSONHeaderCode() {
        let error = ErrorDecoding.decode(HTTPResponse(status: 400, headers: ["X-Amzn-ErrorType": "EntityNotFoundException:http://internal.amazon.com/"], body: Data(#"{"message":"gone"}"#.utf8)),
                                         protocol: .restJSON, operation: "op")
        #expect(error.code == "EntityNotFoundException")
        #expect(error.message == "gone")
    }

    @Test func queryAndThrottling() {
        let error = ErrorDecoding.decode(AWSStubResponsesLocal.queryError("Throttling", "Rate exceeded"), protocol: .query(apiVersion: "x"), operation: "op")
        #expect(error.code == "Throttling")
        #expect(error.requestId == "req-q")
        #expect(error.retryKind == .throttling)
    }

    @Test func s3ErrorAndHeadWithoutBody() {
        let error = ErrorDecoding.decode(HTTPResponse(status: 404, headers: ["x-amz-request-id": "s3r"], body: Data("<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>s3r</RequestId></Error>".utf8)),
                                         protocol: .restXML, operation: "op")
        #expect(error.code == "NoSuchKey")
        #expect(ErrorDecoding.decode(HTTPResponse(status: 404), protocol: .restXML, operation: "op").code == "NotFound")
        #expect(ErrorDecoding.decode(HTTPResponse(status: 503, body: Data("<Error><Code>SlowDown</Code></Error>".utf8)), protocol: .restXML, operation: "op").retryKind == .throttling)
    }

    @Test func htmlAndTruncatedBodiesStillGiveAnError() {
        let html = ErrorDecoding.decode(HTTPResponse(status: 500, body: Data("<html><body>Internal Server Error".utf8)), protocol: .query(apiVersion: "x"), operation: "op")
        #expect(html.code == "HTTP500")
        #expect(html.retryKind == .transient)
        #expect(html.message.contains("unexpected response"))
        let redirect = ErrorDecoding.decode(HTTPResponse(status: 307, headers: ["Location": "https://elsewhere"]), protocol: .restXML, operation: "op")
        #expect(redirect.code == "TemporaryRedirect")
        #expect(redirect.message.contains("redirects are not followed"))
    }

    @Test func xmlParserRejectsTruncatedAndEmptyDocuments() {
        #expect(throws: XMLParseError.self) { try XMLTree.parse(Data()) }
        #expect(throws: XMLParseError.self) { try XMLTree.parse(Data("<a><b>text</b>".utf8)) }
        #expect(throws: XMLParseError.self) { try XMLTree.parse(Data("<a><b>text</a>".utf8)) }
        let tree = try? XMLTree.parse(Data("<a xmlns=\"urn:x\"><b>t &amp; u</b><c/><b>2</b></a>".utf8))
        #expect(tree?.string("b") == "t & u")
        #expect(tree?.all("b").count == 2)
    }

    @Test func classification() {
        #expect(AWSServiceError.classify(code: "X", status: 429) == .throttling)
        #expect(AWSServiceError.classify(code: "X", status: 502) == .transient)
        #expect(AWSServiceError.classify(code: "X", status: 501) == .server)
        #expect(AWSServiceError.classify(code: "RequestTimeout", status: 400) == .transient)
        #expect(AWSServiceError.classify(code: "ValidationException", status: 400) == .client)
    }
}

/// Local copy to keep this suite independent of VendTestSupport.
enum AWSStubResponsesLocal {
    static func queryError(_ code: String, _ message: String) -> HTTPResponse {
        HTTPResponse(status: 400, body: Data("<ErrorResponse><Error><Type>Sender</Type><Code>\(code)</Code><Message>\(message)</Message></Error><RequestId>req-q</RequestId></ErrorResponse>".utf8))
    }
}

/// Timestamps in every form AWS (and the local cloud) writes them.
@Suite struct TimestampTests {
    @Test(arguments: [
        "2026-01-02T03:04:05Z", "2026-01-02T03:04:05.000Z", "2026-01-02T03:04:05.000000Z", "2026-01-02T03:04:05+00:00",
        "2026-01-02T03:04:05.000000+00:00", "2026-01-02T03:04:05", "1767323045", "Fri, 02 Jan 2026 03:04:05 GMT",
    ])
    func parses(_ text: String) {
        #expect(AWSTimestamp.parse(text) == Date(timeIntervalSince1970: 1_767_323_045), "\(text)")
    }

    @Test func keepsMilliseconds() {
        #expect(AWSTimestamp.parse("2026-01-02T03:04:05.123456Z") == Date(timeIntervalSince1970: 1_767_323_045.123))
        #expect(AWSTimestamp.parse("not a date") == nil)
    }
}
