import AWSCore
import AWSServices
import Foundation
import Testing
@testable import VendEngine
import VendModel
import VendTestSupport

/// Provisioner and RecordFollower on the fake cloud: launch, update, no-op, ERROR and TAINTED.
@Suite("Provisioning on the fake cloud")
struct ProvisionerFakeTests {
    let producer = FakeMesh.producer
    let parameters = FakeMesh.onboardingParameters

    func mesh() async throws -> FakeMesh {
        let mesh = try FakeMesh()
        try await mesh.published()
        mesh.cloud.outputs(product: "producer-onboarding") { launch in ["BucketName": "vend-\(launch.parameters["DomainName"] ?? "")-\(launch.account)"] }
        return mesh
    }

    @Test("a first launch provisions, follows the record to SUCCEEDED and returns the outputs")
    func firstLaunch() async throws {
        let mesh = try await mesh()
        let result = try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: parameters)
        #expect(result.action == "created" && result.status == "AVAILABLE" && result.outputs == ["BucketName": "vend-retail-\(producer)"])
        let launched = try #require(mesh.cloud.provisioned(account: producer).first)
        #expect(launched.name == "producer-retail" && launched.status == "AVAILABLE" && launched.parameters == parameters && launched.id == result.id)
        #expect(mesh.cloud.records(account: producer).map(\.status) == ["SUCCEEDED"])
        #expect(mesh.cloud.stack("SC-\(producer)-\(result.id)", account: producer)?.Parameters.count == 2, "the stack lives in the launching account")
        #expect(mesh.lines.text.contains("producer-retail: SUCCEEDED"))
    }

    @Test("re-running with the same inputs is a no-op: no new record, no mutating call")
    func rerunUnchanged() async throws {
        let mesh = try await mesh()
        let first = try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: parameters)
        mesh.cloud.clearLog()
        let again = try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: parameters)
        #expect(again.action == "unchanged" && again.id == first.id && again.outputs == first.outputs)
        #expect(mesh.cloud.mutatingCalls(account: producer) == [] && mesh.cloud.records(account: producer).count == 1)
    }

    @Test("new parameters update the provisioned product in place")
    func newParametersUpdate() async throws {
        let mesh = try await mesh()
        let first = try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: parameters)
        var changed = parameters
        changed["DomainName"] = "retail-two"
        let updated = try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: changed)
        #expect(updated.action == "updated" && updated.id == first.id && updated.outputs["BucketName"] == "vend-retail-two-\(producer)")
        #expect(mesh.cloud.records(account: producer).map(\.type) == ["PROVISION_PRODUCT", "UPDATE_PROVISIONED_PRODUCT"])
        #expect(mesh.cloud.provisioned(account: producer).map(\.parameters) == [changed])
    }

    @Test("a newer version updates to it; the old version stays launchable by name")
    func newVersionUpdates() async throws {
        let mesh = try await mesh()
        try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: parameters)
        let bumped = try FakeMesh.bumped("producer-onboarding", to: "1.2.0")
        try await mesh.publish(with: bumped)
        let updated = try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: parameters, version: "1.2.0")
        #expect(updated.action == "updated" && mesh.cloud.provisioned(account: producer).first?.version == "1.2.0")
    }

    @Test("a failed first launch leaves the product in ERROR; the error says so, and the next run refuses to update it")
    func firstLaunchFailed() async throws {
        let mesh = try await mesh()
        mesh.cloud.failLaunches(product: "producer-onboarding", message: "Bucket vend-retail already exists")
        #expect(await throwsMentioning("producer-retail", "FAILED", "Bucket vend-retail already exists") {
            try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: parameters)
        })
        #expect(mesh.cloud.provisioned(account: producer).map(\.status) == ["ERROR"])
        mesh.cloud.clearLog()
        #expect(await throwsMentioning("ERROR", "terminate") { try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: parameters) })
        #expect(Set(mesh.cloud.mutatingCalls(account: producer)).isDisjoint(with: ["UpdateProvisionedProduct", "TerminateProvisionedProduct", "ProvisionProduct"]),
                "by default the failed product is left for the user")
    }

    @Test("with replaceFailedFirstLaunch, a failed first launch is terminated and launched anew under a new token")
    func firstLaunchFailedReplaced() async throws {
        let mesh = try await mesh()
        mesh.cloud.failLaunches(product: "producer-onboarding", message: "Bucket vend-retail already exists")
        _ = try? await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: parameters)
        let failed = try #require(mesh.cloud.provisioned(account: producer).first)
        #expect(failed.status == "ERROR")
        let failedTokens = mesh.cloud.tokens("ProvisionProduct", account: producer)
        mesh.cloud.clearLog()

        let result = try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: parameters, replaceFailedFirstLaunch: true)
        #expect(result.action == "replaced" && result.status == "AVAILABLE" && result.id != failed.id)
        #expect(mesh.cloud.provisioned(account: producer).map(\.id) == [result.id], "the failed product is terminated, the new one is the only one")
        #expect(mesh.cloud.provisioned(account: producer).first?.status == "AVAILABLE")
        #expect(mesh.cloud.records(account: producer).map(\.type) == ["PROVISION_PRODUCT", "TERMINATE_PROVISIONED_PRODUCT", "PROVISION_PRODUCT"])
        // One ProvisionProduct, with a token the failed launch did not use: the failed product's id
        // joined it at once, rather than the old record coming back first.
        let calls = mesh.cloud.mutatingCalls(account: producer)
        #expect(calls.filter { $0 == "TerminateProvisionedProduct" }.count == 1 && calls.filter { $0 == "ProvisionProduct" }.count == 1)
        let newTokens = Set(mesh.cloud.tokens("ProvisionProduct", account: producer).keys).subtracting(failedTokens.keys)
        #expect(newTokens.count == 1 && failedTokens.count == 1)
        #expect(mesh.lines.text.contains("producer-retail: first launch failed (Bucket vend-retail already exists) — terminating it and launching again"))
        #expect(!mesh.lines.text.contains("answered with terminated product"))
    }

    @Test("a product in ERROR that once succeeded is not replaced, even with replaceFailedFirstLaunch: the error names it and what to do")
    func failedAfterSuccessNotReplaced() async throws {
        let mesh = try await mesh()
        let first = try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: parameters)
        try mesh.cloud.breakProvisioned("producer-retail", message: "UPDATE_ROLLBACK_FAILED", account: producer)
        mesh.cloud.clearLog()
        for replace in [true, false] {
            do {
                _ = try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: parameters, replaceFailedFirstLaunch: replace)
                Issue.record("a product in ERROR after a success was launched over (replace: \(replace))")
            } catch let error as LaunchError {
                guard case let .failedAfterSuccess(name, id, message, record) = error else {
                    Issue.record("expected failedAfterSuccess, got \(error)")
                    continue
                }
                #expect(name == "producer-retail" && id == first.id && message == "UPDATE_ROLLBACK_FAILED" && !record.isEmpty)
                #expect(error.description.contains("once succeeded") && error.nextStep != nil)
            }
        }
        #expect(mesh.cloud.mutatingCalls(account: producer) == [], "nothing terminated, launched or updated")
        #expect(mesh.cloud.provisioned(account: producer).map(\.id) == [first.id])
    }

    @Test("a failed update leaves the product TAINTED; the next run updates it back to AVAILABLE")
    func failedUpdateTainted() async throws {
        let mesh = try await mesh()
        try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: parameters)
        var changed = parameters
        changed["DomainName"] = "retail-two"
        mesh.cloud.failLaunches(product: "producer-onboarding", message: "UPDATE_ROLLBACK_COMPLETE")
        #expect(await throwsMentioning("update", "UPDATE_ROLLBACK_COMPLETE") {
            try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: changed)
        })
        #expect(mesh.cloud.provisioned(account: producer).first?.status == "TAINTED")
        let repaired = try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: changed)
        #expect(repaired.action == "updated" && mesh.cloud.provisioned(account: producer).first?.status == "AVAILABLE")
    }

    @Test("a lost ProvisionProduct answer, retried with the same token, gets the same record and no second product")
    func provisionTokenReused() async throws {
        let mesh = try await mesh()
        mesh.cloud.fail(operation: "ProvisionProduct", account: producer, with: FakeError.internalError(), afterApplying: true)
        _ = try? await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: parameters)
        #expect(mesh.cloud.provisioned(account: producer).count == 1)
        let result = try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: parameters)
        #expect(mesh.cloud.provisioned(account: producer).count == 1 && mesh.cloud.records(account: producer).count == 1)
        #expect(result.status == "AVAILABLE")
    }

    @Test("a just-created launch role that cannot be assumed yet is retried, then the launch goes through")
    func roleNotAssumableYet() async throws {
        let mesh = try await mesh()
        mesh.cloud.fail(operation: "ProvisionProduct", account: producer, times: 2,
                        with: FakeError.invalidParameters("Service Catalog was unable to assume the role VendProducerOnboardingLaunchRole"))
        let slept = mesh.clock.sleeps.count
        let result = try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: parameters)
        #expect(result.action == "created" && Array(mesh.clock.sleeps.dropFirst(slept).prefix(2)) == [2, 4])
    }

    @Test("without its launch role in the account, Service Catalog refuses the launch naming the role")
    func missingRoleRefused() async throws {
        let mesh = try await mesh()
        let environment = mesh.launchEnvironment(producer)
        let product = try mesh.product("producer-onboarding")
        let portfolio = try mesh.portfolio(owned: false)
        _ = try await LaunchPreparer(environment: environment).prepare(portfolio: portfolio, principal: FakeCloud.defaultCaller(producer), product: product)
        try await mesh.clients(producer).iam.deleteRolePolicy(roleName: product.roleName, policyName: LaunchPreparer.policyName)
        try await mesh.clients(producer).iam.deleteRole(name: product.roleName)
        let target = LaunchPreparer.Target(productId: try #require(mesh.cloud.product("producer-onboarding", account: FakeMesh.central)?.id),
                                           pathId: "lpv3-\(portfolio.id.dropFirst(5))", artifactId: try #require(mesh.cloud.product("producer-onboarding", account: FakeMesh.central)?.versions.first?.id),
                                           roleCreated: false)
        #expect(await throwsMentioning(product.roleName) {
            _ = try await Provisioner(environment: environment).provision(name: "producer-retail", product: product, target: target, parameters: parameters)
        })
        #expect(mesh.cloud.provisioned(account: producer).isEmpty)
    }

    @Test("a product found UNDER_CHANGE is waited for before it is compared")
    func waitsForUnderChange() async throws {
        let mesh = try await mesh()
        try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: parameters)
        let sc = mesh.clients(producer).serviceCatalog
        let id = try #require(mesh.cloud.provisioned(account: producer).first?.id)
        _ = try await sc.terminateProvisionedProduct(.init(ProvisionedProductId: id, TerminateToken: "t1"))
        #expect(mesh.cloud.provisioned(account: producer).first?.status == "UNDER_CHANGE")
        let result = try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: parameters)
        #expect(result.action == "created" && result.id != id, "the termination ended first, so the launch is made anew")
        #expect(mesh.lines.text.contains("under change"))
    }

    @Test("after a termination the same inputs launch anew instead of answering with the old record")
    func relaunchAfterTermination() async throws {
        let mesh = try await mesh()
        let first = try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: parameters)
        _ = try await ProvisionedLifecycle(environment: mesh.launchEnvironment(producer)).terminate(name: "producer-retail", ignoreErrors: false)
        let second = try await mesh.launch("producer-onboarding", in: producer, name: "producer-retail", parameters: parameters)
        #expect(second.action == "created" && second.id != first.id && mesh.cloud.provisioned(account: producer).map(\.id) == [second.id])
    }

    @Test("RecordFollower gives up after its timeout, naming the record")
    func followerTimeout() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        mesh.cloud.polls = 1000
        let environment = mesh.launchEnvironment(FakeMesh.central)
        let target = try await LaunchPreparer(environment: environment).prepare(portfolio: try mesh.portfolio(owned: true), principal: FakeCloud.defaultCaller(FakeMesh.central),
                                                                                product: try mesh.product("consumer-registration"))
        let answer = try await mesh.clients(FakeMesh.central).serviceCatalog.provisionProduct(.init(
            ProductId: target.productId, ProvisioningArtifactId: target.artifactId, PathId: target.pathId, ProvisionedProductName: "slow", ProvisionToken: "slow-1"))
        let recordId = try #require(answer.RecordDetail?.RecordId)
        #expect(await throwsMentioning(recordId, "slow") {
            _ = try await RecordFollower(environment: environment, timeout: 60).follow(recordId: recordId, label: "slow", stackName: nil)
        })
    }
}
