import AWSCore
import AWSServices
import Foundation
import Testing
import VendEngine
import VendModel
import VendTestSupport

/// LaunchPreparer on the fake cloud: share acceptance, principal association, the launch role
/// from the bundle, and the wait for a launch path.
@Suite("Launch preparation on the fake cloud")
struct LaunchPreparerFakeTests {
    let producer = FakeMesh.producer

    func prepare(_ mesh: FakeMesh, account: String = FakeMesh.producer, product: String = "producer-onboarding",
                 timeout: Double = 30) async throws -> LaunchPreparer.Target {
        try await LaunchPreparer(environment: mesh.launchEnvironment(account), pathTimeout: timeout)
            .prepare(portfolio: try mesh.portfolio(owned: account == FakeMesh.central), principal: FakeCloud.defaultCaller(account),
                     product: try mesh.product(product))
    }

    @Test("a pending share is accepted, the caller associated, the role made from the bundle, and a path found")
    func firstPreparation() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        let target = try await prepare(mesh)
        let portfolio = try mesh.portfolio(owned: false)
        #expect(mesh.cloud.shares(of: portfolio.id, account: FakeMesh.central).first { $0.principal == producer }?.accepted == true)
        #expect(mesh.cloud.principals(of: portfolio.id, account: producer) == [FakeCloud.defaultCaller(producer)])
        let role = try #require(mesh.cloud.role("VendProducerOnboardingLaunchRole", account: producer))
        #expect(role.trust.contains("servicecatalog.amazonaws.com") && !role.trust.contains("ssm.amazonaws.com"))
        let bundled = try #require(mesh.workspace.products.first { $0.definition.name == "producer-onboarding" }?.files["launch-role-policy.json"])
        let stored = try #require(role.policies[LaunchPreparer.policyName])
        #expect(try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? NSDictionary == JSONSerialization.jsonObject(with: bundled) as? NSDictionary)
        #expect(target.roleCreated && target.pathId.hasPrefix("lpv3-") && target.productId == mesh.cloud.product("producer-onboarding", account: FakeMesh.central)?.id)
        #expect(mesh.cloud.mutatingCalls(account: producer) == ["AcceptPortfolioShare", "AssociatePrincipalWithPortfolio", "CreateRole", "PutRolePolicy"])
    }

    @Test("a second preparation changes nothing: no accept, no association, no IAM write (IAM's reformatted JSON compares equal)")
    func secondPreparationIsNoOp() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        _ = try await prepare(mesh)
        mesh.cloud.clearLog()
        let target = try await prepare(mesh)
        #expect(mesh.cloud.mutatingCalls(account: producer) == [] && !target.roleCreated)
    }

    @Test("a drifted role policy and trust are put back")
    func driftRepaired() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        _ = try await prepare(mesh)
        let iam = mesh.clients(producer).iam
        try await iam.putRolePolicy(roleName: "VendProducerOnboardingLaunchRole", policyName: LaunchPreparer.policyName, policy: #"{"Version":"2012-10-17","Statement":[]}"#)
        try await iam.updateAssumeRolePolicy(roleName: "VendProducerOnboardingLaunchRole", policy: #"{"Version":"2012-10-17","Statement":[]}"#)
        mesh.cloud.clearLog()
        _ = try await prepare(mesh)
        #expect(mesh.cloud.mutatingCalls(account: producer) == ["UpdateAssumeRolePolicy", "PutRolePolicy"])
        #expect(mesh.cloud.role("VendProducerOnboardingLaunchRole", account: producer)?.trust.contains("servicecatalog.amazonaws.com") == true)
    }

    @Test("a product with service actions gets a role SSM may assume too")
    func actionRoleTrustsSSM() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        _ = try await prepare(mesh, account: FakeMesh.central, product: "producer-registration")
        #expect(mesh.cloud.role("VendProducerRegistrationLaunchRole", account: FakeMesh.central)?.trust.contains("ssm.amazonaws.com") == true)
        #expect(!mesh.cloud.mutatingCalls(account: FakeMesh.central).contains("AcceptPortfolioShare"), "the owner accepts nothing")
    }

    @Test("products sharing a launch role leave each other's role alone: one policy, and SSM's trust kept for the one with actions")
    func sharedLaunchRole() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        let consumer = FakeMesh.consumer
        _ = try await prepare(mesh, account: consumer, product: "consumer-onboarding")
        let role = try #require(mesh.cloud.role("VendConsumerOnboardingLaunchRole", account: consumer))
        #expect(role.trust.contains("ssm.amazonaws.com"), "consumer-onboarding's RequestAccess runs as the role")
        for product in ["consumer-link", "analyst-access"] {
            #expect(try mesh.product(product).roleName == "VendConsumerOnboardingLaunchRole" && mesh.product(product).hasActions)
            mesh.cloud.clearLog()
            _ = try await prepare(mesh, account: consumer, product: product)
            #expect(mesh.cloud.mutatingCalls(account: consumer) == [], "\(product) changes neither the role's trust nor its policy")
        }
        let after = try #require(mesh.cloud.role("VendConsumerOnboardingLaunchRole", account: consumer))
        #expect(after.trust == role.trust && after.policies == role.policies)
    }

    @Test("an account the portfolio is not shared with is told so, naming the account")
    func notShared() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        #expect(await throwsMentioning("444444444444", "not shared") { _ = try await prepare(mesh, account: "444444444444") })
    }

    @Test("eventual consistency: the product not visible yet is polled for, then found")
    func waitsForPath() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        mesh.cloud.fail(operation: "DescribeProduct", account: producer, times: 2, with: FakeError.notFound("Product not found"))
        let slept = mesh.clock.sleeps.count
        let target = try await prepare(mesh)
        #expect(!target.pathId.isEmpty)
        #expect(mesh.cloud.calls(account: producer).filter { $0 == "DescribeProduct" }.count == 3 && mesh.clock.sleeps.count - slept == 2)
        #expect(mesh.lines.text.contains("waiting for a launch path"))
    }

    @Test("no launch path within the timeout is an error naming the product and the portfolio")
    func pathTimeout() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        mesh.cloud.fail(operation: "ListLaunchPaths", account: producer, times: 1000, with: FakeError.notFound("not yet"))
        let slept = mesh.clock.sleeps.count
        #expect(await throwsMentioning("producer-onboarding", "data-mesh") { _ = try await prepare(mesh, timeout: 10) })
        #expect(mesh.clock.sleeps.dropFirst(slept).reduce(0, +) > 10)
    }

    @Test("a version that is not published is refused at once, listing the versions there are")
    func unknownVersion() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        let environment = mesh.launchEnvironment(producer)
        let slept = mesh.clock.sleeps.count
        let released = try FakeMesh.released("producer-onboarding")
        #expect(await throwsMentioning("9.9.9", released) {
            _ = try await LaunchPreparer(environment: environment).prepare(portfolio: try mesh.portfolio(owned: false), principal: FakeCloud.defaultCaller(producer),
                                                                           product: try mesh.product("producer-onboarding", version: "9.9.9"))
        })
        #expect(mesh.clock.sleeps.count == slept)
    }

    @Test("an assumed-role caller is associated as its role, and its launch path is found through it")
    func assumedRoleCaller() async throws {
        let mesh = try FakeMesh()
        try await mesh.published()
        let caller = "arn:aws:sts::\(producer):assumed-role/DomainTeam/alice"
        let environment = mesh.launchEnvironment(producer, caller: caller)
        let target = try await LaunchPreparer(environment: environment).prepare(
            portfolio: try mesh.portfolio(owned: false), principal: Bootstrapper.principal(fromCallerArn: caller), product: try mesh.product("producer-onboarding"))
        #expect(mesh.cloud.principals(of: try mesh.portfolio(owned: false).id, account: producer) == ["arn:aws:iam::\(producer):role/DomainTeam"])
        #expect(!target.pathId.isEmpty)
    }
}
