import AWSCore
import AWSServices
import Foundation
import Testing
import VendEngine
import VendModel
import VendTestSupport

/// CatalogReader, ShareManager and Bootstrapper on the fake cloud (the central account's reads and baseline).
@Suite("Central account on the fake cloud")
struct CentralFakeTests {
    let central = FakeMesh.central

    func read(_ mesh: FakeMesh, portfolio: String = "data-mesh") async throws -> CatalogSnapshot {
        try await CatalogReader.read(.init(mesh.workspace.products.map(\.definition)), portfolioName: portfolio, bucket: mesh.bucket,
                                     environment: mesh.publishEnvironment)
    }

    @Test("an empty account reads as an empty catalog whose bucket is missing")
    func readEmpty() async throws {
        let snapshot = try await read(try FakeMesh())
        #expect(snapshot.portfolioId == nil && snapshot.products.isEmpty && snapshot.actions.isEmpty && snapshot.documents.isEmpty && !snapshot.bucketExists)
    }

    @Test("a published catalog reads back: versions with digests, action, constraint, TagOptions, documents, shares")
    func readPublished() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        let snapshot = try await read(mesh)
        #expect(snapshot.portfolioId == mesh.cloud.portfolios(account: central)["data-mesh"] && snapshot.bucketExists)
        let registration = try #require(snapshot.products["producer-registration"])
        let desired = try mesh.publisher.desired().first { $0.name == "producer-registration" }
        #expect(registration.versions.map(\.digest) == [desired?.digest] && registration.versions.first?.actions == ["producer-registration-AddDataSource"])
        #expect(registration.inPortfolio && registration.launchConstraint?.roleName == "VendProducerRegistrationLaunchRole")
        #expect(registration.tagOptions == [TagOptionPair(key: "classification", value: "internal")])
        #expect(snapshot.documents["vend-producer-registration-AddDataSource"]?.sharedWith == [FakeMesh.producer, FakeMesh.consumer])
        #expect(Set(snapshot.shares.map(\.principal)) == [FakeMesh.producer, FakeMesh.consumer] && snapshot.shares.allSatisfy { !$0.accepted })
        #expect(mesh.cloud.mutatingCalls(account: central) == [], "reading changes nothing")
    }

    @Test("pagination: the portfolio on the last of several pages is found, and the reads follow every page")
    func readPaginated() async throws {
        let mesh = try FakeMesh(pageSize: 2)
        let sc = mesh.clients(central).serviceCatalog
        for index in 0..<5 { _ = try await sc.createPortfolio(.init(DisplayName: "other-\(index)", ProviderName: "p", IdempotencyToken: "t\(index)")) }
        try await mesh.published()
        let snapshot = try await read(mesh)
        #expect(snapshot.portfolioId == mesh.cloud.portfolios(account: central)["data-mesh"] && snapshot.products.count == 6)
        #expect(mesh.cloud.calls(account: central).filter { $0 == "ListPortfolios" }.count == 3)
        #expect(mesh.cloud.calls(account: central).filter { $0 == "SearchProductsAsAdmin" }.count >= 2 * 2)
    }

    @Test("two portfolios of the same name are refused, naming both ids")
    func duplicatePortfolio() async throws {
        let mesh = try FakeMesh()
        let sc = mesh.clients(central).serviceCatalog
        let first = try await sc.createPortfolio(.init(DisplayName: "data-mesh", ProviderName: "p", IdempotencyToken: "a")).PortfolioDetail?.Id ?? ""
        let second = try await sc.createPortfolio(.init(DisplayName: "data-mesh", ProviderName: "p", IdempotencyToken: "b")).PortfolioDetail?.Id ?? ""
        #expect(await throwsMentioning("data-mesh", first, second) { _ = try await read(mesh) })
    }

    @Test("two products of one name are refused, naming the product")
    func duplicateProduct() async throws {
        let mesh = try FakeMesh()
        let sc = mesh.clients(central).serviceCatalog
        for token in ["a", "b"] {
            _ = try await sc.createProduct(.init(Name: "producer-onboarding", Owner: "o", ProductType: "CLOUD_FORMATION_TEMPLATE",
                                                 ProvisioningArtifactParameters: .init(Name: "0.1.0", Info: [:]), IdempotencyToken: token))
        }
        #expect(await throwsMentioning("producer-onboarding", "two products") { _ = try await read(mesh) })
    }

    @Test("readObjects finds the keys already uploaded for unpublished versions")
    func readObjects() async throws {
        let mesh = try FakeMesh()
        mesh.bootstrapBucket()
        let desired = try mesh.publisher.desired()
        _ = try await mesh.clients(central).s3.putObject(bucket: mesh.bucket, key: desired[0].templateKey, body: desired[0].template, options: .init())
        var snapshot = try await read(mesh)
        try await CatalogReader.readObjects(for: desired, bucket: mesh.bucket, into: &snapshot, s3: mesh.clients(central).s3)
        #expect(snapshot.objects == [desired[0].templateKey])
    }

    // MARK: ShareManager

    @Test("share: missing account shares are created pending; a second run changes nothing")
    func share() async throws {
        let mesh = try FakeMesh()
        mesh.bootstrapBucket()
        try await mesh.publish(share: false)
        let shares = try await ShareManager.apply(config: mesh.config, shares: mesh.config.shares, unshare: false, region: FakeMesh.region, environment: mesh.publishEnvironment)
        #expect(shares.map(\.principal).sorted() == [FakeMesh.producer, FakeMesh.consumer] && shares.allSatisfy { !$0.accepted })
        mesh.cloud.clearLog()
        _ = try await ShareManager.apply(config: mesh.config, shares: mesh.config.shares, unshare: false, region: FakeMesh.region, environment: mesh.publishEnvironment)
        #expect(mesh.cloud.mutatingCalls(account: central) == [] && mesh.lines.text.contains("nothing to change"))
    }

    @Test("unshare removes the shares: the spoke no longer sees the portfolio")
    func unshare() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        let left = try await ShareManager.apply(config: mesh.config, shares: mesh.config.shares, unshare: true, region: FakeMesh.region, environment: mesh.publishEnvironment)
        #expect(left.isEmpty)
        #expect(try await mesh.clients(FakeMesh.producer).serviceCatalog.allAcceptedPortfolioShares().isEmpty)
        await #expect(throws: (any Error).self) {
            _ = try await mesh.clients(FakeMesh.producer).serviceCatalog.acceptPortfolioShare(.init(PortfolioId: try mesh.portfolio(owned: false).id))
        }
    }

    @Test("an OU share is asynchronous: its status is polled until COMPLETED")
    func organizationalUnitShare() async throws {
        let mesh = try FakeMesh(polls: 3)
        try await mesh.published()
        var shares = mesh.config.shares
        shares.organizationalUnits = ["ou-ab12-cdef3456"]
        let slept = mesh.clock.sleeps.count
        _ = try await ShareManager.apply(config: mesh.config, shares: shares, unshare: false, region: FakeMesh.region, environment: mesh.publishEnvironment)
        #expect(mesh.cloud.calls(account: central).filter { $0 == "DescribePortfolioShareStatus" }.count == 3 && mesh.clock.sleeps.count - slept == 2)
    }

    @Test("share with no portfolio names the portfolio")
    func shareWithoutPortfolio() async throws {
        let mesh = try FakeMesh()
        #expect(await throwsMentioning("data-mesh") {
            _ = try await ShareManager.apply(config: mesh.config, shares: mesh.config.shares, unshare: false, region: FakeMesh.region, environment: mesh.publishEnvironment)
        })
    }

    // MARK: Bootstrapper

    func bootstrap(_ mesh: FakeMesh, callerArn: String = "arn:aws:sts::111111111111:assumed-role/Admin/me") async throws -> Bootstrapper.Result {
        let clients = mesh.clients(central)
        let template = try Data(contentsOf: mesh.workspace.root.appendingPathComponent(Workspace.baselineTemplate))
        return try await Bootstrapper(cloudFormation: clients.cloudFormation, lakeFormation: clients.lakeFormation, clock: mesh.clock, progress: { mesh.lines.append($0) })
            .run(template: template, config: mesh.config, region: FakeMesh.region, callerArn: callerArn, centralLaunchRoles: ["VendProducerRegistrationLaunchRole"])
    }

    @Test("bootstrap creates the baseline stack, waits for CREATE_COMPLETE and merges the existing Lake Formation admins")
    func bootstrapCreates() async throws {
        let mesh = try FakeMesh()
        mesh.cloud.setDataLakeSettings(admins: ["arn:aws:iam::111111111111:role/Existing"], account: central)
        mesh.cloud.stackOutputs(Bootstrapper.stackName, ["ArtifactBucketName": mesh.bucket])
        let result = try await bootstrap(mesh)
        #expect(result.action == "created" && result.status == "CREATE_COMPLETE" && result.outputs["ArtifactBucketName"] == mesh.bucket)
        #expect(result.admins == ["arn:aws:iam::111111111111:role/Admin", "arn:aws:iam::111111111111:role/Existing", "arn:aws:iam::111111111111:role/VendProducerRegistrationLaunchRole"])
        let admins = mesh.cloud.stack(Bootstrapper.stackName, account: central)?.Parameters.first { $0.ParameterKey == "AdminRoleArns" }?.ParameterValue
        #expect(admins?.contains("role/Existing") == true)
        #expect(mesh.lines.text.contains("CREATE_COMPLETE"))
    }

    @Test("a bootstrap adding more than 50 domain values deploys in steps of at most 50 new ones (the fake, like Lake Formation's API, refuses more in one call)")
    func bootstrapInSteps() async throws {
        let mesh = try FakeMesh()
        var config = mesh.config
        let extra = (1...120).map { String(format: "d%03d", $0) }
        config.producers += extra.map { .init(domain: $0, profile: "producer", accountId: "222222222222", approval: .auto) }
        // The parser derives the domain tag's values from the declared domains; here they are added by hand.
        config.lakeFormationTags = config.lakeFormationTags.map { tag in
            var tag = tag
            if tag.key == "domain" { tag.values += extra }
            return tag
        }
        let clients = mesh.clients(central)
        let template = try Data(contentsOf: mesh.workspace.root.appendingPathComponent(Workspace.baselineTemplate))
        let bootstrapper = Bootstrapper(cloudFormation: clients.cloudFormation, lakeFormation: clients.lakeFormation, clock: mesh.clock, progress: { mesh.lines.append($0) })
        let result = try await bootstrapper.run(template: template, config: config, region: FakeMesh.region, callerArn: "arn:aws:iam::111111111111:role/Admin",
                                                centralLaunchRoles: [])
        #expect(result.action == "created")
        let calls = mesh.cloud.mutatingCalls(account: central).filter { $0.hasSuffix("Stack") }
        #expect(calls == ["CreateStack", "UpdateStack", "UpdateStack"], "\(calls)")
        let values = try await clients.lakeFormation.allLFTags().first { $0.TagKey == "domain" }?.TagValues ?? []
        #expect(Set(values) == Set(config.tagValues("domain") ?? []) && values.count > 120)
        #expect(mesh.lines.text.contains("step 3 of 3"))

        // Without steps, the same change fails the stack.
        let fresh = try FakeMesh()
        let oneStep = try Bootstrapper.parameters(config: config, region: FakeMesh.region, admins: ["arn:aws:iam::111111111111:role/Admin"])
        let input = CloudFormation.StackInput(StackName: Bootstrapper.stackName, TemplateBody: String(decoding: template, as: UTF8.self), Parameters: oneStep)
        _ = try await fresh.clients(central).cloudFormation.createStack(input)
        var status = ""
        for _ in 0..<5 { status = try await fresh.clients(central).cloudFormation.describeStack(name: Bootstrapper.stackName)?.StackStatus ?? "" }
        #expect(status == "ROLLBACK_COMPLETE")
    }

    @Test("bootstrap again with the same template and admins makes no call that changes anything")
    func bootstrapUnchanged() async throws {
        let mesh = try FakeMesh()
        _ = try await bootstrap(mesh)
        mesh.cloud.clearLog()
        let result = try await bootstrap(mesh)
        #expect(result.action == "unchanged" && mesh.cloud.mutatingCalls(account: central) == [])
    }

    @Test("CloudFormation's \"No updates are to be performed\" is read as unchanged")
    func bootstrapNoUpdates() async throws {
        let mesh = try FakeMesh()
        _ = try await bootstrap(mesh)
        mesh.cloud.fail(operation: "UpdateStack", with: FakeError.make("ValidationError", "No updates are to be performed."))
        let result = try await bootstrap(mesh, callerArn: "arn:aws:iam::111111111111:role/Other")
        #expect(result.action == "unchanged" && mesh.cloud.calls(account: central).contains("UpdateStack"))
    }

    @Test("a new admin updates the stack; a failed update is reported with the resource's reason")
    func bootstrapUpdateAndFailure() async throws {
        let mesh = try FakeMesh()
        _ = try await bootstrap(mesh)
        let updated = try await bootstrap(mesh, callerArn: "arn:aws:iam::111111111111:role/Second")
        #expect(updated.action == "updated" && updated.status == "UPDATE_COMPLETE")
        mesh.cloud.failStack(Bootstrapper.stackName, reason: "Bucket policy is malformed")
        #expect(await throwsMentioning("UPDATE_ROLLBACK_COMPLETE", "Bucket policy is malformed") { _ = try await bootstrap(mesh, callerArn: "arn:aws:iam::111111111111:role/Third") })
    }

    @Test("a first create that rolled back is deleted and created again")
    func bootstrapAfterRollback() async throws {
        let mesh = try FakeMesh()
        mesh.cloud.failStack(Bootstrapper.stackName, reason: "LF tag limit")
        #expect(await throwsMentioning("ROLLBACK_COMPLETE", "LF tag limit") { _ = try await bootstrap(mesh) })
        let result = try await bootstrap(mesh)
        #expect(result.action == "created" && result.status == "CREATE_COMPLETE")
        #expect(mesh.cloud.mutatingCalls(account: central).filter { $0 == "DeleteStack" }.count == 1)
    }
}
