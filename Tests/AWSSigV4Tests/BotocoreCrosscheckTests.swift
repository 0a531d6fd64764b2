import AWSSigV4
import Foundation
import Testing

/// Signs every request in the fixture written by `scripts/sigv4-crosscheck/generate.py`
/// (botocore, pinned) and requires the same wire path, query, signed headers and signature.
@Suite struct BotocoreCrosscheckTests {
    struct Fixture: Decodable {
        var botocore: String
        var cases: [Case]
    }

    struct Case: Decodable {
        var id: Int
        var service, region, method, host, path, bodySeed, payload, pathStyle: String
        var query, headers: [[String]]
        var bodyLength: Int
        var accessKeyId, secretAccessKey: String
        var sessionToken: String?
        var date: Int
        var expected: Expected
    }

    struct Expected: Decodable {
        var encodedPath, encodedQuery, host, signedHeaders, signature: String
    }

    static let fixtureURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("Fixtures/botocore-crosscheck.json")

    static func body(seed: String, length: Int) -> Data {
        guard !seed.isEmpty, length > 0 else { return Data() }
        let unit = Data(seed.utf8)
        var data = Data(capacity: length + unit.count)
        while data.count < length { data.append(unit) }
        return data.prefix(length)
    }

    @Test func everyGeneratedRequestSignsLikeBotocore() throws {
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: Self.fixtureURL))
        #expect(fixture.cases.count >= 2000)
        var bodies: [String: Data] = [:]
        var mismatches: [String] = []
        for item in fixture.cases {
            let bodyKey = "\(item.bodySeed)#\(item.bodyLength)"
            let body = bodies[bodyKey] ?? Self.body(seed: item.bodySeed, length: item.bodyLength)
            bodies[bodyKey] = body
            let signer = SigV4Signer(
                credentials: SigningCredentials(accessKeyId: item.accessKeyId, secretAccessKey: item.secretAccessKey, sessionToken: item.sessionToken),
                region: item.region, service: item.service)
            let request = SigningRequest(
                method: item.method, host: item.expected.host, path: item.path,
                query: item.query.map { (name: $0[0], value: $0[1]) },
                headers: item.headers.map { (name: $0[0], value: $0[1]) },
                payload: item.payload == "unsigned" ? .unsigned : .data(body),
                pathStyle: item.pathStyle == "s3" ? .s3 : .standard)
            let signed = signer.sign(request, date: Date(timeIntervalSince1970: TimeInterval(item.date)))
            let got = [signed.encodedPath, signed.encodedQuery, signed.signedHeaders, signed.signature]
            let want = [item.expected.encodedPath, item.expected.encodedQuery, item.expected.signedHeaders, item.expected.signature]
            if got != want {
                mismatches.append("case \(item.id) (\(item.service) \(item.method) \(item.path)): got \(got), want \(want)\n\(signed.canonicalRequest)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(fixture.cases.count) differ from botocore \(fixture.botocore); first: \(mismatches.first ?? "")")
    }
}
