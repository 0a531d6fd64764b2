import AWSCore
import ArgumentParser
import Foundation
import Testing
@testable import VendCLI
import VendEngine
import VendModel
import VendTestSupport

/// Subscriptions end to end on a local cloud with two producer accounts: retail (approval auto)
/// and sales (owner) in one, hr (owner, one declared owner role) in the other; one consumer,
/// analytics, subscribed to all three. State is read back with the AWS CLI.
@Suite("Subscriptions on the local cloud", .serialized)
struct SubscriptionTests {
    static let central = "111111111111", producer = "222222222222", producer2 = "222222220002", consumer = "333333333333"
    static let analyst = LaunchTests.analyst
    static let probe = "arn:aws:iam::333333333333:role/vend-probe-analytics"

    /// The vend.yaml of this mesh, written into the harness's workspace.
    static func declareMesh(_ harness: PublishHarness) throws {
        try harness.fixture.replace("    - {domain: sales, profile: producer, accountId: \"222222222222\"}   # approval: owner (the default)", with: """
                - {domain: sales, profile: producer, accountId: "222222222222"}
                - {domain: hr, profile: producer-2, accountId: "222222220002", owners: ["arn:aws:iam::222222220002:role/HrOwner"]}
            """, in: "vend.yaml")
        try harness.fixture.replace(#"accounts: ["222222222222", "333333333333"]"#, with: #"accounts: ["222222222222", "222222220002", "333333333333"]"#, in: "vend.yaml")
    }

    /// Runs a vend command in process; returns its parsed value after `perform`.
    static func command<C: ParsableCommand>(_ type: C.Type, _ harness: PublishHarness, _ arguments: [String]) throws -> C {
        try C.parse(["--config", harness.fixture.root.appendingPathComponent("vend.yaml").path, "--quiet"] + arguments)
    }

    /// The engine's subscription workflows with `clock` (the expiry step moves it forward).
    static func workflows(_ harness: PublishHarness, clock: any AWSClock = SystemClock()) throws -> SubscriptionWorkflows {
        let workspace = try Workspace.load(root: harness.fixture.root)
        let resolver = LiveAccountResolver(dependencies: harness.dependencies, endpointURL: nil, progress: { _ in })
        return SubscriptionWorkflows(scope: try WorkflowScope(workspace: workspace, resolver: resolver, region: nil), clock: clock)
    }

    /// Lake Formation permissions of an account, each as one canonical line.
    static func permissions(_ harness: PublishHarness, _ profile: String) throws -> Set<String> {
        let list = try LaunchTests.aws(harness, profile, "lakeformation", "list-permissions")["PrincipalResourcePermissions"] as? [[String: Any]] ?? []
        return Set(try list.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self) })
    }

    /// The consumer's resource links: name → target catalog/database.
    static func links(_ harness: PublishHarness) throws -> [String: String] {
        let databases = try LaunchTests.aws(harness, "consumer", "glue", "get-databases")["DatabaseList"] as? [[String: Any]] ?? []
        var links: [String: String] = [:]
        for database in databases {
            guard let name = database["Name"] as? String, let target = database["TargetDatabase"] as? [String: Any] else { continue }
            links[name] = "\(target["CatalogId"] as? String ?? "")/\(target["DatabaseName"] as? String ?? "")"
        }
        return links
    }

    /// Whether `lines` hold a grant to `principal` of `permission` on the LF-tag policy domain=`domain` in central's catalog.
    static func tagGrant(_ lines: Set<String>, _ principal: String, _ domain: String, _ permission: String = "SELECT") -> Bool {
        lines.contains { $0.contains("\"DataLakePrincipalIdentifier\":\"\(principal)\"") && $0.contains("\"CatalogId\":\"111111111111\"")
            && $0.contains("\"TagValues\":[\"\(domain)\"]") && $0.contains("\"ResourceType\":\"TABLE\"") && $0.contains("\"\(permission)\"") }
    }

    /// Whether `lines` hold a DESCRIBE on the consumer's link `link` for `principal`.
    static func linkGrant(_ lines: Set<String>, _ principal: String, _ link: String) -> Bool {
        lines.contains { $0.contains("\"DataLakePrincipalIdentifier\":\"\(principal)\"") && $0.contains("\"Name\":\"\(link)\"") && $0.contains("\"DESCRIBE\"") }
    }

    @Test("many domains in one and two producer accounts: subscribe, approve, reject, expire, unsubscribe; owners, the request mechanism, re-runs")
    func subscriptions() async throws {
        let harness = try PublishHarness.start(["--producers", "2"])
        defer { harness.stop() }
        try Self.declareMesh(harness)
        try await LaunchTests.publish(harness)
        let root = harness.fixture.root, dependencies = harness.dependencies, silent = LaunchTests.silent
        for domain in ["retail", "sales", "hr"] {
            _ = try await Self.command(LaunchProducerCommand.self, harness, ["--domain", domain]).perform(currentDirectory: root, dependencies: dependencies, console: silent)
        }

        // retail (approval: auto) is read at once by launch-consumer.
        let launched = try await Self.command(LaunchConsumerCommand.self, harness, ["--domain", "analytics", "--analyst-role", Self.analyst])
            .perform(currentDirectory: root, dependencies: dependencies, console: silent)
        #expect(launched.subscription?.state == "active")

        // sales (owner, any principal of its account): pending until the producer's profile approves.
        let subscribe = { (domain: String, extra: [String]) in
            try await Self.command(SubscribeCommand.self, harness, ["--consumer", "analytics", "--domain", domain, "--reason", "quarterly dashboards"] + extra)
        }
        try await subscribe("sales", []).perform(currentDirectory: root, dependencies: dependencies, console: silent)
        var rows = try await Self.workflows(harness).requests(consumer: "analytics", domain: nil, state: nil)
        let salesRow = try #require(rows.first { $0.domain == "sales" })
        #expect(salesRow.state == "pending" && salesRow.reason == "quarterly dashboards" && salesRow.account == Self.consumer)
        #expect(salesRow.requestedBy.hasPrefix("arn:aws:sts::333333333333:assumed-role/VendConsumerOnboardingLaunchRole/"),
                "the writer AWS recorded is the service action's launch role session: \(salesRow.requestedBy)")
        #expect(salesRow.id.hasPrefix("rec-"), "the request's id is its RequestAccess record: \(salesRow.id)")
        let salesApproval = try await Self.workflows(harness).approve(id: "analytics/sales", reason: "ok", profile: nil)
        #expect(salesApproval.state == "active", "\(salesApproval)")

        // hr (another producer account, one declared owner): its account's CLI user is no owner — refused, nothing written.
        _ = try await Self.workflows(harness).subscribe(consumer: "analytics", domain: "hr", reason: "headcount", until: nil)
        try await harness.cloud.clearLog()
        do {
            _ = try await Self.workflows(harness).approve(id: "analytics/hr", reason: "", profile: nil)
            Issue.record("a principal that is not hr's owner approved")
        } catch let error as SubscriptionError {
            #expect(error.isRefusal && "\(error)".contains("may not decide for producer domain \"hr\""))
        }
        #expect(try await harness.mutatingCalls() == [])
        // Central may always decide.
        #expect(try await Self.workflows(harness).approve(id: "analytics/hr", reason: "central decides", profile: "central").state == "active")

        // Read back: three links to central, the analyst's and the probe role's grants on each link and target, central's grantable grants.
        let links = try Self.links(harness)
        #expect(links["retail_link"] == "111111111111/retail" && links["sales_link"] == "111111111111/sales" && links["hr_link"] == "111111111111/hr", "\(links)")
        var consumerGrants = try Self.permissions(harness, "consumer")
        var centralGrants = try Self.permissions(harness, "central")
        for domain in ["retail", "sales", "hr"] {
            for principal in [Self.analyst, Self.probe] {
                let onLink = Self.linkGrant(consumerGrants, principal, "\(domain)_link"), onTarget = Self.tagGrant(consumerGrants, principal, domain)
                #expect(onLink, "\(principal) DESCRIBE on \(domain)_link")
                #expect(onTarget, "\(principal) SELECT on domain=\(domain)")
            }
            let grantable = centralGrants.contains { $0.contains("\"DataLakePrincipalIdentifier\":\"333333333333\"") && $0.contains("\"TagValues\":[\"\(domain)\"]")
                && $0.contains("\"PermissionsWithGrantOption\":[\"SELECT\"") }
            #expect(grantable, "central grants 333333333333 SELECT on domain=\(domain) with the grant option")
        }

        // Re-running changes nothing.
        try await harness.cloud.clearLog()
        _ = try await subscribe("sales", []).perform(currentDirectory: root, dependencies: dependencies, console: silent)
        _ = try await Self.workflows(harness).approve(id: "analytics/sales", reason: "ok", profile: nil)
        #expect(try await harness.mutatingCalls() == [], "subscribe and approve again")

        // Unsubscribing sales leaves retail and hr exactly as they were.
        let keep = { (lines: Set<String>) in lines.filter { !$0.contains("sales") } }
        let (consumerBefore, centralBefore) = (keep(consumerGrants), keep(centralGrants))
        try await Self.command(UnsubscribeCommand.self, harness, ["--consumer", "analytics", "--domain", "sales", "--yes"])
            .perform(currentDirectory: root, dependencies: dependencies, console: silent)
        consumerGrants = try Self.permissions(harness, "consumer")
        centralGrants = try Self.permissions(harness, "central")
        let untouched = keep(consumerGrants) == consumerBefore && keep(centralGrants) == centralBefore
        #expect(untouched, "the other subscriptions' grants are untouched")
        let salesGone = !consumerGrants.contains { $0.contains("sales") } && !Self.tagGrant(centralGrants, Self.consumer, "sales")
        #expect(salesGone, "sales' grants are gone")
        #expect(try Self.links(harness)["sales_link"] == nil)
        let again = try await Self.workflows(harness).unsubscribe(consumer: "analytics", domain: "sales")
        #expect(again.notice == "already unsubscribed")

        // hr expires: readers say so; the next changing command revokes it and its grants go.
        let later = ManualClock(start: Date().addingTimeInterval(3 * 86_400))
        let hrOff = try await Self.workflows(harness).unsubscribe(consumer: "analytics", domain: "hr")
        #expect(hrOff.state == "revoked" && hrOff.notice == nil)
        _ = try await Self.workflows(harness).subscribe(consumer: "analytics", domain: "hr", reason: "until tomorrow",
                                                        until: SubscriptionStore.day(Date().addingTimeInterval(86_400)))
        #expect(try await Self.workflows(harness).approve(id: "analytics/hr", reason: "", profile: "central").state == "active")
        rows = try await Self.workflows(harness, clock: later).requests(consumer: nil, domain: "hr", state: nil)
        #expect(rows.map(\.label) == ["expired, revocation pending"])
        _ = try await Self.workflows(harness, clock: later).subscribe(consumer: "analytics", domain: "retail", reason: "launch-consumer", until: nil, keepExisting: true)
        #expect(try await Self.workflows(harness, clock: later).requests(consumer: nil, domain: "hr", state: nil).map(\.label) == ["revoked"])
        let hrGone = try Self.links(harness)["hr_link"] == nil && !(try Self.permissions(harness, "consumer")).contains { $0.contains("hr") }
            && !Self.tagGrant(try Self.permissions(harness, "central"), Self.consumer, "hr")
        #expect(hrGone, "after the expiry and one changing command, hr's central grant, link and analyst grants are gone")

        // A rejected request grants nothing.
        _ = try await Self.workflows(harness).subscribe(consumer: "analytics", domain: "hr", reason: "again", until: nil)
        #expect(try await Self.workflows(harness).reject(id: "analytics/hr", reason: "not now", profile: "central").state == "rejected")
        #expect(try Self.links(harness)["hr_link"] == nil && !(try Self.permissions(harness, "consumer")).contains { $0.contains("hr") })

        // The mechanism itself refuses a request written into another account with that account's keys…
        #expect(throws: (any Error).self) {
            _ = try LaunchTests.aws(harness, "producer", "ssm", "put-parameter", "--name", "arn:aws:ssm:us-east-1:333333333333:parameter/vend/requests/analytics/sales",
                                    "--value", "{}", "--type", "String")
        }
        // …and one written under the producer's own /vend/requests is never read as the consumer's.
        _ = try LaunchTests.aws(harness, "producer", "ssm", "put-parameter", "--name", "/vend/requests/analytics/sales", "--value", #"{"reason":"forged"}"#, "--type", "String")
        rows = try await Self.workflows(harness).requests(consumer: "analytics", domain: "sales", state: nil)
        #expect(rows.allSatisfy { $0.reason != "forged" && $0.account == Self.consumer })
        try IAMPolicyCoverage.check(try await harness.cloud.requests())
    }
}
