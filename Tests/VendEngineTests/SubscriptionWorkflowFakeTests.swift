import AWSCore
import AWSServices
import Foundation
import Testing
import VendEngine
import VendModel
import VendTestSupport

/// The subscription workflows on the fakes: requests and decisions where AWS keeps them, owner
/// checks, refusals that change nothing, and re-runs that change nothing.
@Suite("Subscriptions on the fakes")
struct SubscriptionWorkflowFakeTests {
    static let launchRoleSession = "arn:aws:sts::333333333333:assumed-role/VendConsumerOnboardingLaunchRole/AWS-ServiceCatalog"

    /// The repository's mesh plus a second producer domain, sales, owned by role SalesOwner.
    static func mesh() throws -> FakeMesh {
        let publisher = try FakeMesh.variant { fixture in
            try fixture.replace("""
                - {domain: retail, profile: producer, accountId: "222222222222", approval: auto, sources: [{name: customers, prefix: customers/, format: csv}, {name: products, prefix: products/, format: csv}, {name: orders, prefix: orders/, format: csv}, {name: order_lines, prefix: order_lines/, format: csv}, {name: payments, prefix: payments/, format: csv}]}
                - {domain: sales, profile: producer, accountId: "222222222222"}   # approval: owner (the default)
            """, with: """
                - {domain: retail, profile: producer, accountId: "222222222222", approval: auto, sources: [{name: customers, prefix: customers/, format: csv}, {name: products, prefix: products/, format: csv}, {name: orders, prefix: orders/, format: csv}, {name: order_lines, prefix: order_lines/, format: csv}, {name: payments, prefix: payments/, format: csv}]}
                - {domain: sales, profile: producer, accountId: "222222222222", owners: ["arn:aws:iam::222222222222:role/SalesOwner"]}
            """, in: "vend.yaml")
        }
        return try FakeMesh(publisher: publisher)
    }

    static func workflows(_ mesh: FakeMesh) throws -> SubscriptionWorkflows {
        let resolver = FakeAccountResolver(cloud: mesh.cloud, clock: mesh.clock)
        return SubscriptionWorkflows(scope: try WorkflowScope(workspace: mesh.workspace, resolver: resolver, region: FakeMesh.region), clock: mesh.clock)
    }

    /// A request as RequestAccess leaves it: written in the consumer account by the launch role.
    static func request(_ mesh: FakeMesh, consumer: String = "analytics", domain: String, reason: String = "dashboards", until: String = "",
                        account: String = FakeMesh.consumer, caller: String = launchRoleSession) async throws {
        let value = #"{"consumer":"\#(consumer)","domain":"\#(domain)","reason":"\#(reason)","until":"\#(until)","requestedBy(unverified)":"alice","execution":"e-1"}"#
        _ = try await mesh.clients(account, caller: caller).ssm.putParameter(.init(Name: "/vend/requests/\(consumer)/\(domain)", Value: value, Type: "String", Overwrite: true))
    }

    @Test("a request is read from the consumer's own account with the writer AWS recorded; one left in another account is not the consumer's")
    func requestsAreVouchedFor() async throws {
        let mesh = try Self.mesh()
        try await Self.request(mesh, domain: "sales")
        try await Self.request(mesh, domain: "retail", account: FakeMesh.producer, caller: "arn:aws:iam::222222222222:role/vend-tester")
        let rows = try await Self.workflows(mesh).requests(consumer: nil, domain: nil, state: nil)
        #expect(rows.map(\.id) == ["analytics/sales@v1"])
        #expect(rows.first?.requestedBy == Self.launchRoleSession)
        #expect(rows.first?.requestedByUnverified == "alice")
        #expect(rows.first?.account == FakeMesh.consumer)
        #expect(rows.first?.label == "pending")
        #expect(rows.first?.reason == "dashboards")
        #expect(mesh.cloud.mutatingCalls(account: FakeMesh.central).isEmpty && mesh.cloud.mutatingCalls(account: FakeMesh.consumer).count == 1,
                "reading changes nothing")
    }

    @Test("a caller who is not an owner is refused (exit 2) and nothing is written; central may decide; deciding twice is a no-op")
    func ownersDecide() async throws {
        let mesh = try Self.mesh()
        try await Self.request(mesh, domain: "sales")
        let workflows = try Self.workflows(mesh)
        mesh.cloud.clearLog()
        do {
            _ = try await workflows.reject(id: "analytics/sales@v1", reason: "no", profile: nil)
            Issue.record("the producer's tester role is not SalesOwner and was not refused")
        } catch let error as SubscriptionError {
            #expect(error.isRefusal)
            #expect("\(error)".contains("may not decide for producer domain \"sales\": its owners are arn:aws:iam::222222222222:role/SalesOwner"))
        }
        #expect(FakeMesh.allAccounts.allSatisfy { mesh.cloud.mutatingCalls(account: $0).isEmpty })

        let report = try await workflows.reject(id: "analytics/sales@v1", reason: "not this quarter", profile: "central")
        #expect(report.state == "rejected" && report.done == ["rejected by arn:aws:iam::111111111111:role/vend-tester"])
        #expect(mesh.cloud.mutatingCalls(account: FakeMesh.central) == ["PutParameter"])
        mesh.cloud.clearLog()
        let again = try await workflows.reject(id: "analytics/sales@v1", reason: "not this quarter", profile: "central")
        #expect(again.state == "rejected" && again.done.isEmpty)
        #expect(FakeMesh.allAccounts.allSatisfy { mesh.cloud.mutatingCalls(account: $0).isEmpty }, "deciding twice the same way changes nothing")
        await #expect(throws: SubscriptionError.self) { _ = try await workflows.approve(id: "analytics/sales@v1", reason: "", profile: "central") }
        let rejected = try await workflows.requests(consumer: "analytics", domain: nil, state: .rejected)
        #expect(rejected.map(\.id) == ["analytics/sales@v1"])
    }

    @Test("a decision written by someone who is not an owner is ignored and shown as such")
    func forgedDecisionIgnored() async throws {
        let mesh = try Self.mesh()
        try await Self.request(mesh, domain: "sales")
        let forged = #"{"decision":"approved","reason":"me","requestVersion":1}"#
        _ = try await mesh.clients(FakeMesh.producer).ssm.putParameter(.init(Name: "/vend/decisions/333333333333/analytics/sales", Value: forged, Type: "String"))
        let rows = try await Self.workflows(mesh).requests(consumer: nil, domain: "sales", state: nil)
        #expect(rows.first?.label == "pending")
        #expect(rows.first?.ignoredDecisionBy == "arn:aws:iam::222222222222:role/vend-tester")
    }

    @Test("bad input is refused before anything changes: unknown names (naming the known ones), a day already over, a pair never subscribed")
    func badInput() async throws {
        let mesh = try Self.mesh()
        let workflows = try Self.workflows(mesh)
        #expect(await throwsMentioning("consumer domain \"nope\"", "analytics") { _ = try await workflows.subscribe(consumer: "nope", domain: "retail", reason: "", until: nil) })
        #expect(await throwsMentioning("producer domain \"nope\"", "retail, sales") { _ = try await workflows.subscribe(consumer: "analytics", domain: "nope", reason: "", until: nil) })
        do {
            _ = try await workflows.subscribe(consumer: "analytics", domain: "retail", reason: "", until: "2025-12-31")
            Issue.record("a day in the past was accepted")
        } catch let error as SubscriptionError {
            #expect(error == .expiryInPast(day: "2025-12-31", today: "2026-01-02") && error.isRefusal)
        }
        #expect(await throwsMentioning("is not a calendar day") { _ = try await workflows.subscribe(consumer: "analytics", domain: "retail", reason: "", until: "2026-02-30") })
        #expect(await throwsMentioning("never subscribed to \"sales\"") { _ = try await workflows.unsubscribe(consumer: "analytics", domain: "sales") })
        #expect(await throwsMentioning("no request has id \"x\"") { _ = try await workflows.approve(id: "x", reason: "", profile: nil) })
        #expect(FakeMesh.allAccounts.allSatisfy { mesh.cloud.mutatingCalls(account: $0).isEmpty })
    }
    @Test("an expired subscription shows 'expired, revocation pending' to readers; the next changing command revokes it and releases its grants")
    func expirySweep() async throws {
        let mesh = try Self.mesh()
        try await mesh.published()
        mesh.cloud.outputs(product: "consumer-registration") { launch in
            ["ConsumerAccountId": launch.parameters["ConsumerAccountId"] ?? "", "GrantedTagExpression": "domain=\(launch.parameters["DomainTagValue"] ?? "")"]
        }
        let key = SubscriptionKey.registration(account: FakeMesh.consumer, domain: "retail")
        try await mesh.launch("consumer-registration", in: FakeMesh.central, name: key.provisionedName,
                              parameters: ["ConsumerAccountId": FakeMesh.consumer, "DomainTagValue": "retail"])
        try await Self.request(mesh, domain: "retail", until: "2026-01-10")
        mesh.clock.advance(30 * 86_400)
        let workflows = try Self.workflows(mesh)
        #expect(try await workflows.requests(consumer: nil, domain: "retail", state: nil).map(\.label) == ["expired, revocation pending"])
        mesh.cloud.clearLog()

        let report = try await workflows.unsubscribe(consumer: "analytics", domain: "retail")
        #expect(report.state == "revoked" && report.label == "revoked")
        #expect(report.done.first == "analytics → retail: expired, revoked")
        #expect(report.done.contains("terminate \(key.provisionedName) (\(key))"))
        #expect(mesh.cloud.mutatingCalls(account: FakeMesh.central).filter { $0 != "TerminateProvisionedProduct" } == ["PutParameter"],
                "one revocation (reason expired) and one terminate: \(mesh.cloud.mutatingCalls(account: FakeMesh.central))")
        let decisions = try await mesh.clients(FakeMesh.central).ssm.getParametersByPath(.init(Path: "/vend/decisions", Recursive: true)).Parameters ?? []
        #expect(decisions.map(\.Value) == [#"{"decision":"revoked","reason":"expired","requestVersion":1}"#])

        mesh.cloud.clearLog()
        let again = try await workflows.unsubscribe(consumer: "analytics", domain: "retail")
        #expect(again.notice == "already unsubscribed")
        #expect(FakeMesh.allAccounts.allSatisfy { mesh.cloud.mutatingCalls(account: $0).isEmpty }, "re-running changes nothing")
    }


    @Test("a listing names the accounts it could not read: their requests and decisions are unknown, not absent")
    func unreadAccountsAreNamed() async throws {
        let mesh = try Self.mesh()
        try await Self.request(mesh, domain: "sales")
        var profiles = FakeAccountResolver.meshProfiles
        profiles["producer"] = nil
        let resolver = FakeAccountResolver(cloud: mesh.cloud, profiles: profiles, clock: mesh.clock)
        let workflows = SubscriptionWorkflows(scope: try WorkflowScope(workspace: mesh.workspace, resolver: resolver, region: FakeMesh.region), clock: mesh.clock)
        let (rows, notRead) = try await workflows.listing(consumer: nil, domain: nil, state: nil)
        #expect(rows.map(\.id) == ["analytics/sales@v1"])
        #expect(notRead.keys.sorted() == [FakeMesh.producer] && notRead[FakeMesh.producer]?.contains("profile producer") == true)
    }

    @Test("unsubscribe refuses, writing nothing, while the consumer's account cannot be opened; with the producer's closed, it is done but incomplete")
    func incompleteWhenAnAccountIsClosed() async throws {
        let mesh = try Self.mesh()
        let bed = WorkflowFakeTests.bed(mesh)
        try await mesh.published()
        let launching = Launching(workspace: mesh.workspace, resolver: bed.resolver, region: FakeMesh.region, clock: mesh.clock)
        _ = try await launching.launchProducer(domain: "retail", profile: nil, parameters: [:], version: nil, sampleData: nil)
        _ = try await launching.launchConsumer(domain: "analytics", profile: nil, analystRole: MeshScenario.analyst, reads: nil, version: nil)
        func closing(_ profile: String) throws -> SubscriptionWorkflows {
            var profiles = FakeAccountResolver.meshProfiles
            profiles[profile] = nil
            return SubscriptionWorkflows(scope: try WorkflowScope(workspace: mesh.workspace, resolver: FakeAccountResolver(cloud: mesh.cloud, profiles: profiles, clock: mesh.clock),
                                                                  region: FakeMesh.region), clock: mesh.clock)
        }
        mesh.cloud.clearLog()
        await #expect(throws: SubscriptionError.self) { _ = try await closing("consumer").unsubscribe(consumer: "analytics", domain: "retail") }
        #expect(FakeMesh.allAccounts.allSatisfy { mesh.cloud.mutatingCalls(account: $0).isEmpty })
        let partial = try await closing("producer").unsubscribe(consumer: "analytics", domain: "retail")
        #expect(partial.incomplete, "the producer's account holds the domain's decisions: the pair was not fully judged")
        #expect(partial.done.contains("revocation written in central"))
        let open = try await Self.workflows(mesh).unsubscribe(consumer: "analytics", domain: "retail")
        #expect(!open.incomplete, "\(open)")
    }

    @Test("a request is joined to its RequestAccess record; a later one written by hand gets no record and no old record is described for it")
    func recordJoin() async throws {
        let mesh = try Self.mesh()
        let bed = WorkflowFakeTests.bed(mesh)
        try await mesh.published()
        let launching = Launching(workspace: mesh.workspace, resolver: bed.resolver, region: FakeMesh.region, clock: mesh.clock)
        _ = try await launching.launchProducer(domain: "retail", profile: nil, parameters: [:], version: nil, sampleData: nil)
        _ = try await launching.launchConsumer(domain: "analytics", profile: nil, analystRole: MeshScenario.analyst, reads: nil, version: nil)
        let workflows = try Self.workflows(mesh)
        let joined = try await workflows.requests(consumer: "analytics", domain: "retail", state: nil)
        #expect(joined.count == 1 && joined.first?.id.hasPrefix("rec-") == true, "\(joined.map(\.id))")

        mesh.cloud.advanceTime(seconds: 7_200)
        try await Self.request(mesh, domain: "retail", reason: "by hand")
        mesh.cloud.clearLog()
        let byHand = try await workflows.requests(consumer: "analytics", domain: "retail", state: nil)
        #expect(byHand.map(\.id) == ["analytics/retail@v2"])
        #expect(!mesh.cloud.calls(account: FakeMesh.consumer).contains("DescribeRecord"), "the two-hour-old RequestAccess record cannot be this request's")
    }
}

extension FakeMesh {
    /// The three accounts.
    static let allAccounts = [central, producer, consumer]
}
