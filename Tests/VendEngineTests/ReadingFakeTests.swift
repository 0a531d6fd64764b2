import AWSCore
import AWSServices
import Foundation
import Testing
import VendEngine
import VendModel
import VendTestSupport

/// StatusReader, Doctor and SampleDataUploader on seeded fake state.
@Suite("Status, doctor and sample data on the fake cloud")
struct ReadingFakeTests {
    let central = FakeMesh.central, producer = FakeMesh.producer, consumer = FakeMesh.consumer

    func base(_ account: String) -> StatusReader.Account { .init(role: "r", profile: "p", accountId: account, region: FakeMesh.region) }

    @Test("central status: products with versions newest first and their state, shares pending then accepted")
    func centralStatus() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        // 1.9.0 then 1.10.0: as text, 1.9.0 would come first.
        try await mesh.publish(with: try FakeMesh.bumped("producer-onboarding", to: "1.9.0"))
        try await mesh.publish(with: try FakeMesh.bumped("producer-onboarding", to: "1.10.0"))
        var status = try await StatusReader.central(portfolioName: "data-mesh", catalog: mesh.clients(central).serviceCatalog, base: base(central))
        #expect(status.products.map(\.name) == ["analyst-access", "consumer-link", "consumer-onboarding", "consumer-registration", "producer-onboarding", "producer-registration"])
        #expect(status.products.first { $0.name == "producer-onboarding" }?.versions.map(\.name) == ["1.10.0", "1.9.0", try FakeMesh.released("producer-onboarding")], "semantic order")
        #expect(status.shares.map(\.state) == ["pending", "pending"])
        try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: FakeMesh.onboardingParameters, version: "1.10.0")
        status = try await StatusReader.central(portfolioName: "data-mesh", catalog: mesh.clients(central).serviceCatalog, base: base(central))
        #expect(status.shares.first { $0.principal == producer }?.state == "accepted")
    }

    @Test("spoke status: the imported portfolio, provisioned products with outputs, records newest first")
    func spokeStatus() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        mesh.cloud.outputs(product: "producer-onboarding") { _ in ["BucketName": "b1"] }
        try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: FakeMesh.onboardingParameters)
        try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: ["DomainName": "retail2", "CentralAccountId": central])
        let status = try await StatusReader.spoke(portfolioName: "data-mesh", catalog: mesh.clients(producer).serviceCatalog, base: base(producer))
        #expect(status.portfolioId == (try mesh.portfolio(owned: false)).id)
        #expect(status.provisioned.map(\.name) == ["producer-retail"] && status.provisioned.first?.outputs == ["BucketName": "b1"])
        #expect(status.records.map(\.type) == ["UPDATE_PROVISIONED_PRODUCT", "PROVISION_PRODUCT"] && status.records.allSatisfy { $0.status == "SUCCEEDED" })
    }

    @Test("a spoke that has not accepted the share shows no portfolio")
    func spokeNotAccepted() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        let status = try await StatusReader.spoke(portfolioName: "data-mesh", catalog: mesh.clients(consumer).serviceCatalog, base: base(consumer))
        #expect(status.portfolioId == nil && status.provisioned.isEmpty)
    }

    // MARK: Doctor

    func doctorClients(_ mesh: FakeMesh, _ account: String) -> AWSServiceClients { mesh.clients(account) }

    func status(_ checks: [DoctorCheck], _ prefix: String) -> DoctorCheck.Status? { checks.first { $0.name.hasPrefix(prefix) }?.status }

    /// A central account as bootstrap, publish and both launches leave it.
    func healthyCentral() async throws -> FakeMesh {
        let mesh = try FakeMesh()
        try await mesh.published()
        let roles = ["VendConsumerRegistrationLaunchRole", "VendProducerRegistrationLaunchRole"]
        mesh.cloud.setDataLakeSettings(admins: roles.map { "arn:aws:iam::\(central):role/\($0)" }, account: central)
        for role in roles { _ = try await mesh.clients(central).iam.createRole(name: role, path: nil, trustPolicy: LaunchPreparer.trustPolicy(withSSM: false), description: nil, tags: [:]) }
        for account in [producer, consumer] { _ = try await mesh.clients(account).serviceCatalog.acceptPortfolioShare(.init(PortfolioId: try mesh.portfolio(owned: false).id)) }
        mesh.cloud.addRegisteredLocation("arn:aws:s3:::vend-retail-data", role: "arn:aws:iam::\(central):role/vend-lf-registration-retail", account: central)
        return mesh
    }

    func centralChecks(_ mesh: FakeMesh) async -> [DoctorCheck] {
        await Doctor.central(config: mesh.config, workspace: mesh.workspace.products.map(\.definition), region: FakeMesh.region,
                             clients: doctorClients(mesh, central), producerBuckets: ["retail": "vend-retail-data"])
    }

    @Test("doctor passes every central check on a healthy central account")
    func doctorCentralHealthy() async throws {
        let checks = await centralChecks(try await healthyCentral())
        #expect(checks.count >= 7 && checks.allSatisfy { $0.status == .pass }, "\(checks.filter { $0.status != .pass })")
    }

    @Test("doctor fails the IAM-only defaults, a low cross-account version, a pending share and an unhardened bucket, each on its own line")
    func doctorCentralBroken() async throws {
        let mesh = try await healthyCentral()
        mesh.cloud.setDataLakeSettings(admins: [], iamOnlyDefaults: true, crossAccountVersion: 1, account: central)
        mesh.cloud.setBucketPolicy(mesh.bucket, nil)
        try mesh.cloud.makeSharePending(portfolioId: try mesh.portfolio(owned: false).id, account: consumer)
        let checks = await centralChecks(mesh)
        #expect(status(checks, "no IAM-only") == .fail && status(checks, "cross-account version") == .fail)
        #expect(status(checks, "launch role VendProducerRegistrationLaunchRole is a Lake Formation admin") == .fail)
        #expect(checks.first { $0.name == "portfolio shares accepted" }?.detail.contains(consumer) == true)
        #expect(checks.first { $0.name.hasPrefix("artifact bucket") }?.detail.contains("non-TLS") == true)
        #expect(status(checks, "launch role VendProducerRegistrationLaunchRole present") == .pass)
    }

    @Test("doctor fails a producer location registered with the service-linked role")
    func doctorServiceLinkedRegistration() async throws {
        let mesh = try await healthyCentral()
        mesh.cloud.addRegisteredLocation("arn:aws:s3:::other-bucket", role: nil, account: central)
        let fresh = try FakeMesh()
        try await fresh.published()
        fresh.cloud.addRegisteredLocation("arn:aws:s3:::vend-retail-data", role: "arn:aws:iam::\(central):role/aws-service-role/AWSServiceRoleForLakeFormationDataAccess", account: central)
        #expect(status(await centralChecks(fresh), "producer retail location") == .fail)
        #expect(status(await centralChecks(mesh), "producer retail location") == .pass)
    }

    @Test("doctor reads every page of Lake Formation's registered locations")
    func doctorPagesLocations() async throws {
        let fresh = try FakeMesh()
        try await fresh.published()
        for index in 0..<3 { fresh.cloud.addRegisteredLocation("arn:aws:s3:::other-\(index)", role: "arn:aws:iam::\(central):role/r", account: central) }
        fresh.cloud.addRegisteredLocation("arn:aws:s3:::vend-retail-data", role: "arn:aws:iam::\(central):role/vend-lf-registration-retail", account: central)
        // Engine bug: Doctor.central reads only the first page of ListResources (and Doctor.consumer
        // only the first page of ListPermissions), so a registration on a later page reads as missing.
        let checks = await centralChecks(fresh)
        #expect(status(checks, "producer retail location") == .pass)
    }

    @Test("doctor on a producer: role present, bucket policy naming both central roles with TLS passes; without it fails")
    func doctorProducer() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        mesh.cloud.outputs(product: "producer-onboarding") { _ in ["BucketName": "vend-retail-data"] }
        try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: FakeMesh.onboardingParameters)
        mesh.cloud.addBucket("vend-retail-data", account: producer)
        let definitions = mesh.workspace.products.map(\.definition)
        var (checks, bucket) = await Doctor.producer(domain: "retail", config: mesh.config, workspace: definitions, clients: doctorClients(mesh, producer))
        #expect(bucket == "vend-retail-data" && status(checks, "launch role VendProducerOnboardingLaunchRole present") == .pass && status(checks, "bucket") == .fail)
        mesh.cloud.setBucketPolicy("vend-retail-data", #"{"Statement":[{"Principal":{"AWS":["arn:aws:iam::\#(central):role/vend-lf-registration-retail","arn:aws:iam::\#(central):role/vend-crawler-retail"]}},{"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#)
        (checks, _) = await Doctor.producer(domain: "retail", config: mesh.config, workspace: definitions, clients: doctorClients(mesh, producer))
        #expect(checks.allSatisfy { $0.status == .pass })
    }

    @Test("doctor on a consumer: the analyst needs DESCRIBE on the link and SELECT on the target with the central catalog id")
    func doctorConsumer() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        mesh.cloud.outputs(product: "consumer-onboarding") { _ in ["ResourceLinkName": "retail_link", "WorkGroupName": "analytics"] }
        let analyst = "arn:aws:iam::\(consumer):role/Analyst"
        try await mesh.launch("consumer-onboarding", in: consumer, name: "consumer-analytics", parameters: [
            "DomainName": "analytics", "CentralAccountId": central, "SharedDatabaseName": "retail", "DomainTagValue": "retail", "AnalystRoleArn": analyst,
        ])
        mesh.cloud.setDataLakeSettings(admins: ["arn:aws:iam::\(consumer):role/VendConsumerOnboardingLaunchRole"], crossAccountVersion: nil, account: consumer)
        mesh.cloud.addWorkGroup("analytics", outputLocation: "s3://results/", enforced: true, account: consumer)
        mesh.cloud.addGrant(.init(Principal: .init(DataLakePrincipalIdentifier: analyst), Resource: .init(Database: .init(Name: "retail_link")), Permissions: ["DESCRIBE"]), account: consumer)
        let definitions = mesh.workspace.products.map(\.definition)
        var checks = await Doctor.consumer(domain: "analytics", config: mesh.config, workspace: definitions, clients: doctorClients(mesh, consumer))
        #expect(status(checks, "analyst has DESCRIBE") == .fail, "the seed's known issue: a grant on the link alone")
        #expect(status(checks, "Athena workgroup") == .pass && status(checks, "no IAM-only") == .pass)
        mesh.cloud.addGrant(.init(Principal: .init(DataLakePrincipalIdentifier: analyst),
                                  Resource: .init(LFTagPolicy: .init(CatalogId: central, ResourceType: "TABLE", Expression: [.init(TagKey: "domain", TagValues: ["retail"])])),
                                  Permissions: ["SELECT", "DESCRIBE"]), account: consumer)
        checks = await Doctor.consumer(domain: "analytics", config: mesh.config, workspace: definitions, clients: doctorClients(mesh, consumer))
        #expect(checks.allSatisfy { $0.status == .pass }, "\(checks.filter { $0.status != .pass })")
    }

    @Test("doctor skips consumer checks before the onboarding is launched, and fails a missing launch role")
    func doctorConsumerNotLaunched() async throws {
        let mesh = try FakeMesh()
        let checks = await Doctor.consumer(domain: "analytics", config: mesh.config, workspace: mesh.workspace.products.map(\.definition), clients: doctorClients(mesh, consumer))
        #expect(status(checks, "consumer onboarding launched") == .skip && status(checks, "launch role VendConsumerOnboardingLaunchRole present") == .fail)
    }

    // MARK: Sample data

    @Test("sample data is uploaded once; a second run finds every object unchanged and puts nothing")
    func sampleData() async throws {
        let mesh = try FakeMesh()
        mesh.cloud.addBucket("vend-retail-data", account: producer)
        let uploader = SampleDataUploader(s3: mesh.clients(producer).s3, progress: { mesh.lines.append($0) })
        let folder = Golden.repositoryRoot().appendingPathComponent("sample-data")
        let first = try await uploader.upload(folder: folder, bucket: "vend-retail-data")
        #expect(!first.isEmpty && first.allSatisfy { $0.action == "uploaded" })
        #expect(mesh.cloud.keys(bucket: "vend-retail-data") == first.map(\.key).sorted())
        mesh.cloud.clearLog()
        let second = try await uploader.upload(folder: folder, bucket: "vend-retail-data")
        #expect(second.allSatisfy { $0.action == "unchanged" } && mesh.cloud.mutatingCalls(account: producer) == [])
    }

    @Test("a changed file is uploaded again, the others are left; a folder without CSV files is an error naming it")
    func sampleDataChanged() async throws {
        let mesh = try FakeMesh()
        mesh.cloud.addBucket("data", account: producer)
        let folder = try TemporaryDirectory()
        _ = try folder.write("id\n1\n", to: "a.csv")
        _ = try folder.write("id\n2\n", to: "b.csv")
        let uploader = SampleDataUploader(s3: mesh.clients(producer).s3, progress: { _ in })
        _ = try await uploader.upload(folder: folder.url, bucket: "data")
        _ = try folder.write("id\n3\n", to: "b.csv")
        let again = try await uploader.upload(folder: folder.url, bucket: "data")
        #expect(again.map(\.action) == ["unchanged", "uploaded"] && mesh.cloud.object(bucket: "data", key: "b/b.csv") == Data("id\n3\n".utf8))
        let empty = try TemporaryDirectory()
        #expect(await throwsMentioning(empty.url.path) { _ = try await uploader.upload(folder: empty.url, bucket: "data") })
    }
}
