import AWSCore
import AWSServices
import Foundation
import Testing
@testable import VendEngine
import VendTestSupport

/// How publish learns which content-addressed objects are already in the artifact bucket, and
/// which action documents exist: many by listing, few by asking for each — the same answer
/// either way.
@Suite("artifact objects and documents already made, against the local cloud", .serialized)
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

    @Test("many documents are found with one ListDocuments and described only where they exist; few with a DescribeDocument each")
    func documentsListedOrDescribed() async throws {
        let cloud = try LocalCloud.start()
        defer { cloud.stop() }
        let session = try AWSSession.resolve(AWSSessionOptions(profile: "central", region: "eu-west-1"),
                                             dependencies: AWSDependencies(environment: cloud.environment, http: CurlHTTPClient()))
        let ssm = try LiveSSMClient(session: session)
        let content = "schemaVersion: '0.3'\nmainSteps:\n  - name: Pause\n    action: aws:sleep\n    inputs: {Duration: PT1S}\n"
        let made = (0..<22).map { "vend-product\($0)-AddDataSource" }
        for name in made {
            _ = try await ssm.createDocument(.init(Content: content, Name: name, DocumentType: "Automation", DocumentFormat: "YAML"))
        }
        // Another account's document of a wanted name is not the central account's.
        let producer = try LiveSSMClient(session: try AWSSession.resolve(AWSSessionOptions(profile: "producer", region: "eu-west-1"),
                                                                           dependencies: AWSDependencies(environment: cloud.environment, http: CurlHTTPClient())))
        _ = try await producer.createDocument(.init(Content: content, Name: "vend-product30-AddDataSource", DocumentType: "Automation", DocumentFormat: "YAML"))
        let missing = (22..<31).map { "vend-product\($0)-AddDataSource" }

        try await cloud.clearLog()
        let many = try await CatalogReader.readDocuments(made + missing, ssm: ssm)
        #expect(Set(many.keys) == Set(made))
        #expect(many.values.allSatisfy { !$0.hash.isEmpty && $0.latestVersion == "1" })
        var log = try await cloud.requests()
        #expect(log.filter { $0.operation == "ListDocuments" }.count == 1)
        #expect(log.filter { $0.operation == "DescribeDocument" }.count == made.count, "only documents the listing showed are described")
        #expect(log.allSatisfy { $0.status == 200 }, "no DescribeDocument of a document that does not exist")

        try await cloud.clearLog()
        let few = try await CatalogReader.readDocuments([made[0], missing[0]], ssm: ssm)
        #expect(Set(few.keys) == [made[0]])
        log = try await cloud.requests()
        #expect(log.filter { $0.operation == "ListDocuments" }.isEmpty)
        #expect(log.filter { $0.operation == "DescribeDocument" }.count == 2)
    }
}
