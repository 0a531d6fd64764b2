import AWSCore
import AWSServices
import Foundation
import Testing
@testable import VendEngine
import VendTestSupport

/// How publish learns which content-addressed objects are already in the artifact bucket:
/// many keys by listing their folder, few by a HeadObject each — the same answer either way.
@Suite("artifact objects already uploaded, against the local cloud", .serialized)
struct PresentObjectsTests {
    @Test("many keys are found with one ListObjectsV2 and no HeadObject; few keys with a HeadObject each")
    func listingOrHeads() async throws {
        let cloud = try LocalCloud.start()
        defer { cloud.stop() }
        let session = try AWSSession.resolve(AWSSessionOptions(profile: "central", region: "eu-west-1"),
                                             dependencies: AWSDependencies(environment: cloud.environment, http: CurlHTTPClient()))
        let s3 = try LiveS3Client(session: session)
        let bucket = "vend-present-objects"
        try await s3.createBucket(bucket)
        let uploaded = (0..<25).map { "bundles/p\($0)/sha256-\($0).tar.gz" }
        for key in uploaded { _ = try await s3.putObject(bucket: bucket, key: key, body: Data(key.utf8), options: S3PutOptions()) }
        // An object outside the keys' folder is not mistaken for one of them.
        _ = try await s3.putObject(bucket: bucket, key: "elsewhere/bundles/p99/sha256-99.tar.gz", body: Data(), options: S3PutOptions())
        let missing = (25..<31).map { "bundles/p\($0)/sha256-\($0).tar.gz" }

        try await cloud.clearLog()
        let many = try await CatalogReader.presentObjects(uploaded + missing, bucket: bucket, s3: s3)
        #expect(many == Set(uploaded))
        var operations = try await cloud.requests().compactMap(\.operation)
        #expect(operations == ["ListObjectsV2"])

        try await cloud.clearLog()
        let few = Array(uploaded.prefix(3)) + Array(missing.prefix(2))
        #expect(try await CatalogReader.presentObjects(few, bucket: bucket, s3: s3) == Set(uploaded.prefix(3)))
        operations = try await cloud.requests().compactMap(\.operation)
        #expect(operations.sorted() == Array(repeating: "HeadObject", count: 5))
    }
}
