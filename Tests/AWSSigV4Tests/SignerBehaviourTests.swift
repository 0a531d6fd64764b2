import AWSSigV4
import Foundation
import Testing

/// Behaviour the known answers do not pin down: encoding, tokens, unsigned payloads, secrets.
@Suite struct SignerBehaviourTests {
    let keys = SigningCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "SECRETSECRET", sessionToken: "TOKEN/+=")
    let date = Date(timeIntervalSince1970: 1_440_938_160)

    @Test func nonS3PathIsEncodedTwiceInTheCanonicalRequestOnly() {
        let signed = SigV4Signer(credentials: keys, region: "us-east-1", service: "lakeformation").sign(
            SigningRequest(method: "GET", host: "h", path: "/a b/ሴ+"), date: date)
        #expect(signed.encodedPath == "/a%20b/%E1%88%B4%2B")
        #expect(signed.canonicalRequest.split(separator: "\n")[1] == "/a%2520b/%25E1%2588%25B4%252B")
    }

    @Test func s3PathIsEncodedOnceAndKeepsDotSegments() {
        let signed = SigV4Signer(credentials: keys, region: "us-east-1", service: "s3").sign(
            SigningRequest(method: "PUT", host: "h", path: "/b/x/../a+b c", payload: .unsigned, pathStyle: .s3), date: date)
        #expect(signed.encodedPath == "/b/x/../a%2Bb%20c")
        #expect(signed.canonicalRequest.split(separator: "\n")[1] == "/b/x/../a%2Bb%20c")
        #expect(signed.header("x-amz-content-sha256") == "UNSIGNED-PAYLOAD")
    }

    @Test func queryIsEncodedPerRFC3986AndSortedWithRepeatedKeys() {
        let signed = SigV4Signer(credentials: keys, region: "r", service: "s").sign(
            SigningRequest(method: "GET", host: "h", path: "/", query: [("k", "b c"), ("k", "a+b"), ("a=", "~*")]), date: date)
        #expect(signed.encodedQuery == "a%3D=~%2A&k=a%2Bb&k=b%20c")
    }

    @Test func sessionTokenIsSentAndSigned() {
        let signed = SigV4Signer(credentials: keys, region: "r", service: "s").sign(
            SigningRequest(method: "GET", host: "h", path: "/"), date: date)
        #expect(signed.header("x-amz-security-token") == "TOKEN/+=")
        #expect(signed.signedHeaders == "host;x-amz-date;x-amz-security-token")
    }

    @Test func userAgentIsSentButNotSigned() {
        let signed = SigV4Signer(credentials: keys, region: "r", service: "s").sign(
            SigningRequest(method: "GET", host: "h", path: "/", headers: [("User-Agent", "vend")]), date: date)
        #expect(signed.header("user-agent") == "vend")
        #expect(!signed.signedHeaders.contains("user-agent"))
    }

    @Test func descriptionsNeverContainTheSecretOrToken() {
        let text = "\(keys)"
        #expect(!text.contains("SECRETSECRET"))
        #expect(!text.contains("TOKEN/+="))
        let signed = SigV4Signer(credentials: keys, region: "r", service: "s").sign(
            SigningRequest(method: "GET", host: "h", path: "/"), date: date)
        #expect(!signed.stringToSign.contains("SECRETSECRET"))
    }
}
