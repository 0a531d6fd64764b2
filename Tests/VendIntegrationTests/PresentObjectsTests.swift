import AWSCore
import AWSServices
import Foundation
import Testing
@testable import VendEngine
import VendTestSupport

/// How publish learns which content-addressed objects are already in the artifact bucket, and
/// which action documents exist and which TagOptions products carry: many by listing, few by
/// asking for each — the same answer either way.
@Suite("artifact objects, documents and TagOptions already made, against the local cloud", .serialized)
struct PresentObjectsTests {
    static func session(_ cloud: LocalCloud, profile: String = "central") throws -> AWSSession {
        try AWSSession.resolve(AWSSessionOptions(profile: profile, region: "eu-west-1"),
                               dependencies: AWSDependencies(environment: cloud.environment, http: CurlHTTPClient()))
    }

    @Test("many keys are found with one ListObjectsV2 and no HeadObject; few keys with a HeadObject each")
    func listingOrHeads() async throws {
        let cloud = try LocalCloud.start()
        defer { cloud.stop() }
        let session = try Self.session(cloud)
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
        let session = try Self.session(cloud)
        let ssm = try LiveSSMClient(session: session)
        let content = "schemaVersion: '0.3'\nmainSteps:\n  - name: Pause\n    action: aws:sleep\n    inputs: {Duration: PT1S}\n"
        let made = (0..<22).map { "vend-product\($0)-AddDataSource" }
        for name in made {
            _ = try await ssm.createDocument(.init(Content: content, Name: name, DocumentType: "Automation", DocumentFormat: "YAML"))
        }
        // Another account's document of a wanted name is not the central account's.
        let producer = try LiveSSMClient(session: try Self.session(cloud, profile: "producer"))
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

    @Test("many products' TagOptions come from a listing per TagOption, the same as describing each; a TagOption on too many products, or few products, are described")
    func tagOptionsListedOrDescribed() async throws {
        let cloud = try LocalCloud.start()
        defer { cloud.stop() }
        let session = try Self.session(cloud)
        let s3 = try LiveS3Client(session: session)
        let sc = try LiveServiceCatalogClient(session: session)
        let endpoint = cloud.endpoint
        let environment = PublishEnvironment(clients: try AWSServiceClients(session: session),
                                             objectURL: { bucket, key in "\(endpoint)/\(bucket)/\(key)" }, clock: SystemClock(), progress: { _ in })
        let bucket = "vend-tag-options"
        try await s3.createBucket(bucket)
        _ = try await s3.putObject(bucket: bucket, key: "t.yaml", body: Data("Resources:\n  B:\n    Type: AWS::S3::Bucket\n".utf8), options: S3PutOptions())
        func makeProduct(_ name: String) async throws -> String {
            let out = try await sc.createProduct(.init(
                Name: name, Owner: "o", ProductType: "CLOUD_FORMATION_TEMPLATE",
                ProvisioningArtifactParameters: .init(Name: "1.0.0", Info: ["LoadTemplateFromURL": "\(cloud.endpoint)/\(bucket)/t.yaml"], Type: "CLOUD_FORMATION_TEMPLATE"),
                IdempotencyToken: name))
            return try #require(out.ProductViewDetail?.ProductViewSummary?.ProductId)
        }
        func tagOption(_ key: String, _ value: String) async throws -> String {
            try #require(try await sc.createTagOption(.init(Key: key, Value: value)).TagOptionDetail?.Id)
        }
        let names = (0..<22).map { "tagged-\($0)" }
        var ids: [String: String] = [:]
        for name in names { ids[name] = try await makeProduct(name) }
        let team = TagOptionPair(key: "team", value: "data"), tier = TagOptionPair(key: "tier", value: "gold")
        let teamId = try await tagOption(team.key, team.value), tierId = try await tagOption(tier.key, tier.value)
        let unwanted = try await tagOption("cost-centre", "42")
        // team on every product but the second, tier on every third, an unwanted TagOption on the first; a
        // product vend does not manage carries team too, and a portfolio carries tier.
        for (index, name) in names.enumerated() {
            let id = try #require(ids[name])
            if index != 1 { _ = try await sc.associateTagOptionWithResource(.init(ResourceId: id, TagOptionId: teamId)) }
            if index % 3 == 0 { _ = try await sc.associateTagOptionWithResource(.init(ResourceId: id, TagOptionId: tierId)) }
        }
        _ = try await sc.associateTagOptionWithResource(.init(ResourceId: try #require(ids[names[0]]), TagOptionId: unwanted))
        _ = try await sc.associateTagOptionWithResource(.init(ResourceId: try await makeProduct("not-vends"), TagOptionId: teamId))
        let portfolio = try #require(try await sc.createPortfolio(.init(DisplayName: "other", ProviderName: "p", IdempotencyToken: "other")).PortfolioDetail?.Id)
        _ = try await sc.associateTagOptionWithResource(.init(ResourceId: portfolio, TagOptionId: tierId))
        let wanted: Set<TagOptionPair> = [team, tier, TagOptionPair(key: "team", value: "not-made-yet")]
        func expected(_ index: Int) -> Set<TagOptionPair> {
            Set((index != 1 ? [team] : []) + (index % 3 == 0 ? [tier] : []))
        }

        try await cloud.clearLog()
        let many = try await CatalogReader.read(.init(products: Set(names), tagOptions: wanted), portfolioName: "mesh", bucket: bucket, environment: environment)
        for (index, name) in names.enumerated() { #expect(many.products[name]?.tagOptions == expected(index), "\(name)") }
        var operations = try await cloud.requests().compactMap(\.operation)
        #expect(operations.filter { $0 == "ListResourcesForTagOption" }.count == 3, "team: 22 products (two pages of 20), tier: 8 (one)")
        #expect(!operations.contains("DescribeProductAsAdmin"))

        // A TagOption on more products than the listing's page budget (two pages for 22
        // products): each product is described instead, and the answer is the same.
        for index in 0..<30 { _ = try await sc.associateTagOptionWithResource(.init(ResourceId: try await makeProduct("busy-\(index)"), TagOptionId: teamId)) }
        try await cloud.clearLog()
        let described = try await CatalogReader.read(.init(products: Set(names), tagOptions: wanted), portfolioName: "mesh", bucket: bucket, environment: environment)
        for (index, name) in names.enumerated() {
            #expect(described.products[name]?.tagOptions.intersection(wanted) == expected(index), "\(name)")
        }
        #expect(described.products[names[0]]?.tagOptions.contains(TagOptionPair(key: "cost-centre", value: "42")) == true)
        operations = try await cloud.requests().compactMap(\.operation)
        #expect(operations.filter { $0 == "DescribeProductAsAdmin" }.count == names.count)

        // Few products: described, never listed.
        try await cloud.clearLog()
        let few = try await CatalogReader.read(.init(products: Set(names.prefix(3)), tagOptions: wanted), portfolioName: "mesh", bucket: bucket, environment: environment)
        #expect(few.products[names[0]]?.tagOptions == expected(0).union([TagOptionPair(key: "cost-centre", value: "42")]))
        #expect(few.products[names[1]]?.tagOptions == expected(1))
        operations = try await cloud.requests().compactMap(\.operation)
        #expect(!operations.contains("ListResourcesForTagOption"))
        #expect(operations.filter { $0 == "DescribeProductAsAdmin" }.count == 3)
    }
}
