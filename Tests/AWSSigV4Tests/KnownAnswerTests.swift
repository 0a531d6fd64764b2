import AWSSigV4
import Foundation
import Testing

/// AWS's published SigV4 examples: the `aws-sig-v4-test-suite` cases whose paths need no
/// encoding (for the others AWS's suite encodes once where services encode twice) and the
/// S3 examples from "Authenticating Requests: Using the Authorization Header".
@Suite struct KnownAnswerTests {
    static let suiteKeys = SigningCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let suiteDate = Date(timeIntervalSince1970: 1_440_938_160)  // 20150830T123600Z
    static let s3Keys = SigningCredentials(accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    static let s3Date = Date(timeIntervalSince1970: 1_369_353_600)  // 20130524T000000Z

    func suite(_ method: String, _ path: String, query: [(name: String, value: String)] = [],
               headers: [(name: String, value: String)] = [], body: String = "") -> SignedRequest {
        SigV4Signer(credentials: Self.suiteKeys, region: "us-east-1", service: "service").sign(
            SigningRequest(method: method, host: "example.amazonaws.com", path: path, query: query,
                           headers: headers, payload: .data(Data(body.utf8))),
            date: Self.suiteDate)
    }

    @Test func getVanilla() {
        let signed = suite("GET", "/")
        #expect(signed.canonicalRequest == """
            GET
            /

            host:example.amazonaws.com
            x-amz-date:20150830T123600Z

            host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(signed.stringToSign == """
            AWS4-HMAC-SHA256
            20150830T123600Z
            20150830/us-east-1/service/aws4_request
            bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63
            """)
        #expect(signed.signature == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        #expect(signed.header("Authorization") == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test func getVanillaQueryOrderKeyCase() {
        let signed = suite("GET", "/", query: [("Param2", "value2"), ("Param1", "value1")])
        #expect(signed.encodedQuery == "Param1=value1&Param2=value2")
        #expect(signed.signature == "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
    }

    @Test func getVanillaQueryUnreserved() {
        let unreserved = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        #expect(suite("GET", "/", query: [(unreserved, unreserved)]).signature == "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197")
    }

    @Test func getRelativeRelativeNormalises() {
        let signed = suite("GET", "/example1/example2/../..")
        #expect(signed.encodedPath == "/example1/example2/../..")
        #expect(signed.signature == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test func postVanilla() {
        #expect(suite("POST", "/").signature == "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")
        #expect(suite("POST", "/", query: [("Param1", "value1")]).signature == "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11")
    }

    @Test func postHeaderKeySort() {
        #expect(suite("POST", "/", headers: [("My-Header1", "value1")]).signature == "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c")
    }

    @Test func postXWWWFormURLEncoded() {
        let signed = suite("POST", "/", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "Param1=value1")
        #expect(signed.signature == "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a")
    }

    func s3(_ path: String, query: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = []) -> SignedRequest {
        SigV4Signer(credentials: Self.s3Keys, region: "us-east-1", service: "s3").sign(
            SigningRequest(method: "GET", host: "examplebucket.s3.amazonaws.com", path: path, query: query,
                           headers: headers, payload: .data(Data()), pathStyle: .s3),
            date: Self.s3Date)
    }

    @Test func s3GetObject() {
        let signed = s3("/test.txt", headers: [("Range", "bytes=0-9")])
        #expect(signed.signedHeaders == "host;range;x-amz-content-sha256;x-amz-date")
        #expect(signed.header("x-amz-content-sha256") == SigningPayload.emptyHash)
        #expect(signed.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func s3GetBucketLifecycle() {
        let signed = s3("/", query: [("lifecycle", "")])
        #expect(signed.pathAndQuery == "/?lifecycle=")
        #expect(signed.signature == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    @Test func s3ListObjects() {
        #expect(s3("/", query: [("prefix", "J"), ("max-keys", "2")]).signature == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }
}
