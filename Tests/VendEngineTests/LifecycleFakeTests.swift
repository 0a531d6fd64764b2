import AWSCore
import AWSServices
import Foundation
import Testing
import VendEngine
import VendModel
import VendTestSupport

/// ProvisionedLifecycle (upgrade, terminate) and DataSourceAdder on the fake cloud.
@Suite("Lifecycle and service actions on the fake cloud")
struct LifecycleFakeTests {
    let producer = FakeMesh.producer, central = FakeMesh.central

    func launched() async throws -> FakeMesh {
        let mesh = try FakeMesh()
        try await mesh.published()
        try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: FakeMesh.onboardingParameters)
        return mesh
    }

    @Test("upgrade plans the newest version that is not deprecated and applies it keeping every parameter")
    func upgrade() async throws {
        let mesh = try await launched()
        let bumped = try FakeMesh.bumped("producer-onboarding", to: "1.2.0")
        try await mesh.publish(with: bumped)
        let lifecycle = ProvisionedLifecycle(environment: mesh.launchEnvironment(producer))
        let plan = try await lifecycle.planUpgrade(name: "producer-retail", version: nil)
        #expect(plan.from == (try FakeMesh.released("producer-onboarding")) && plan.to == "1.2.0" && plan.parameters == ["CentralAccountId", "DomainName"] && !plan.upToDate)
        let record = try await lifecycle.upgrade(plan)
        #expect(record?.RecordDetail?.Status == "SUCCEEDED")
        let launched = try #require(mesh.cloud.provisioned(account: producer).first)
        #expect(launched.version == "1.2.0" && launched.parameters == FakeMesh.onboardingParameters, "UsePreviousValue kept the parameters")
    }

    @Test("an up-to-date product plans nothing and upgrade makes no call")
    func upToDate() async throws {
        let mesh = try await launched()
        let lifecycle = ProvisionedLifecycle(environment: mesh.launchEnvironment(producer))
        let plan = try await lifecycle.planUpgrade(name: "producer-retail", version: nil)
        mesh.cloud.clearLog()
        let record = try await lifecycle.upgrade(plan)
        #expect(plan.upToDate && record == nil)
        #expect(mesh.cloud.mutatingCalls(account: producer) == [])
    }

    @Test("upgrading to a version that does not exist names the versions there are")
    func upgradeUnknownVersion() async throws {
        let mesh = try await launched()
        let lifecycle = ProvisionedLifecycle(environment: mesh.launchEnvironment(producer))
        let released = try FakeMesh.released("producer-onboarding")
        #expect(await throwsMentioning("2.0.0", released) { _ = try await lifecycle.planUpgrade(name: "producer-retail", version: "2.0.0") })
    }

    @Test("terminate removes the provisioned product and its stack")
    func terminate() async throws {
        let mesh = try await launched()
        let id = try #require(mesh.cloud.provisioned(account: producer).first?.id)
        let record = try await ProvisionedLifecycle(environment: mesh.launchEnvironment(producer)).terminate(name: "producer-retail", ignoreErrors: false)
        #expect(record?.RecordDetail?.Status == "SUCCEEDED" && mesh.cloud.provisioned(account: producer).isEmpty)
        #expect(mesh.cloud.stack("SC-\(producer)-\(id)", account: producer) == nil)
    }

    @Test("a failed termination leaves the product TAINTED and suggests --ignore-errors; with it the product goes")
    func terminateFailed() async throws {
        let mesh = try await launched()
        let lifecycle = ProvisionedLifecycle(environment: mesh.launchEnvironment(producer))
        mesh.cloud.failLaunches(product: "producer-onboarding", message: "bucket not empty")
        #expect(await throwsMentioning("bucket not empty", "--ignore-errors") { _ = try await lifecycle.terminate(name: "producer-retail", ignoreErrors: false) })
        #expect(mesh.cloud.provisioned(account: producer).first?.status == "TAINTED")
        mesh.cloud.failLaunches(product: "producer-onboarding", message: "bucket not empty")
        _ = try? await lifecycle.terminate(name: "producer-retail", ignoreErrors: true)
        #expect(mesh.cloud.provisioned(account: producer).isEmpty)
    }

    @Test("terminating a name that does not exist says so")
    func terminateUnknown() async throws {
        let mesh = try await launched()
        #expect(await throwsMentioning("producer-nope") {
            _ = try await ProvisionedLifecycle(environment: mesh.launchEnvironment(producer)).terminate(name: "producer-nope", ignoreErrors: false)
        })
    }

    // MARK: add-source

    /// The central registration of retail launched, with the outputs its template gives and an
    /// AddDataSource action that makes the crawler and a table under the path (or fails).
    func registered(failing: String? = nil) async throws -> FakeMesh {
        let mesh = try FakeMesh()
        try await mesh.published()
        mesh.cloud.outputs(product: "producer-registration") { launch in
            ["DatabaseName": launch.parameters["DatabaseName"] ?? "", "CrawlerRoleArn": "arn:aws:iam::\(launch.account):role/vend-crawler-retail",
             "LocationArn": "arn:aws:s3:::\(launch.parameters["ProducerBucketName"] ?? "")"]
        }
        mesh.cloud.addDatabase("retail", account: central)
        let cloud = mesh.cloud
        cloud.onServiceAction(DataSourceAdder.actionName) { execution in
            if let failing { throw FixtureError(failing) }
            let database = execution.parameters["DatabaseName"] ?? "", path = execution.parameters["S3Path"] ?? ""
            cloud.addCrawler("\(database)-\(execution.parameters["SourceName"] ?? "")", database: database, paths: [path], lastCrawl: "SUCCEEDED", account: execution.account)
            cloud.addTable("orders", database: database, location: path + "orders.csv", account: execution.account)
            return ["DescribeCrawler.LastCrawlStatus": "SUCCEEDED"]
        }
        try await mesh.launch("producer-registration", in: central, name: "producer-registration-retail", parameters: [
            "DomainName": "retail", "ProducerAccountId": producer, "ProducerBucketName": "vend-retail-data", "DatabaseName": "retail", "Classification": "internal",
        ])
        cloud.clearLog()
        return mesh
    }

    func addSource(_ mesh: FakeMesh) async throws -> DataSourceAdder.Result {
        try await DataSourceAdder(environment: mesh.launchEnvironment(central))
            .run(provisionedProductName: "producer-registration-retail", source: "orders", prefix: "/orders/", format: "csv")
    }

    @Test("add-source executes the associated action with the product's outputs, follows it and checks the table")
    func addSource() async throws {
        let mesh = try await registered()
        let result = try await addSource(mesh)
        #expect(result.action == "added" && result.status == "SUCCEEDED" && result.crawler == "retail-orders" && result.s3Path == "s3://vend-retail-data/orders/")
        #expect(result.outputs["DescribeCrawler.LastCrawlStatus"] == "SUCCEEDED" && result.outputs["AutomationExecutionId"] != nil)
        #expect(mesh.cloud.mutatingCalls(account: central) == ["ExecuteProvisionedProductServiceAction"])
        #expect(mesh.cloud.records(account: central).last?.type == "EXECUTE_PROVISIONED_PRODUCT_SERVICE_ACTION")
    }

    @Test("adding the same source again is a no-op: the crawler exists and crawled")
    func addSourceTwice() async throws {
        let mesh = try await registered()
        _ = try await addSource(mesh)
        mesh.cloud.clearLog()
        let again = try await addSource(mesh)
        #expect(again.action == "unchanged" && mesh.cloud.mutatingCalls(account: central) == [])
    }

    @Test("a failing action is surfaced with its FailureMessage; a re-run is a new attempt (new token)")
    func addSourceFails() async throws {
        let mesh = try await registered(failing: "Step WaitForCrawler failed: crawler timed out")
        #expect(await throwsMentioning("WaitForCrawler", "producer-registration-retail") { _ = try await addSource(mesh) })
        #expect(mesh.cloud.records(account: central).last?.status == "FAILED")
        _ = try? await addSource(mesh)
        #expect(mesh.cloud.records(account: central).filter { $0.type == "EXECUTE_PROVISIONED_PRODUCT_SERVICE_ACTION" }.count == 2)
    }

    @Test("add-source on a domain never registered says so")
    func addSourceNotRegistered() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        #expect(await throwsMentioning("producer-registration-retail", "not provisioned") { _ = try await addSource(mesh) })
    }
}
