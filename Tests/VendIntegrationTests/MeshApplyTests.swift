import AWSCore
import ArgumentParser
import Foundation
import Testing
@testable import VendCLI
import VendEngine
import VendModel
import VendTestSupport

/// The mesh as code on a local cloud: vend.yaml declares two producer domains and one consumer;
/// `vend apply` converges it, later edits show in `vend plan` and are applied, drift made behind
/// vend's back is found and repaired, and a saved plan applies only while the live state holds.
/// State is read back with the AWS CLI.
@Suite("vend plan and vend apply on the local cloud", .serialized)
struct MeshApplyTests {
    static let analyst = LaunchTests.analyst

    /// vend.yaml's accounts, declared as the mesh: retail and sales (both approve automatically),
    /// analytics reading `subscriptions`, retail with `sources`.
    static func declare(_ harness: PublishHarness, subscriptions: [String], sources: String = "", sales: Bool = true, consumer: Bool = true) throws {
        let text = try harness.fixture.directory.read("vend.yaml")
        guard let start = text.range(of: "  producers:\n"), let end = text.range(of: "shares:\n") else { throw FixtureError("vend.yaml has no accounts.producers") }
        let producers = [#"    - {domain: retail, profile: producer, accountId: "222222222222", approval: auto\#(sources)}"#]
            + (sales ? [#"    - {domain: sales, profile: producer, accountId: "222222222222", approval: auto}"#] : [])
        let consumerLine = #"    - {domain: analytics, profile: consumer, accountId: "333333333333", analystRoles: ["\#(analyst)"], "#
            + "subscriptions: [\(subscriptions.joined(separator: ", "))]}"
        let accounts = (["  producers:"] + producers + (consumer ? ["  consumers:", consumerLine] : ["  consumers: []"])).joined(separator: "\n") + "\n"
        try harness.fixture.directory.write(text.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: accounts), to: "vend.yaml")
    }

    static func command<C: ParsableCommand>(_ type: C.Type, _ harness: PublishHarness, _ arguments: [String]) throws -> C {
        try C.parse(["--config", harness.fixture.root.appendingPathComponent("vend.yaml").path, "--quiet", "--dist", harness.out.url.path] + arguments)
    }

    /// `vend plan`'s engine report (what the command prints).
    static func plan(_ harness: PublishHarness, resourceChanges: Bool = false) async throws -> MeshWorkflows.PlanReport {
        let workspace = try Workspace.load(root: harness.fixture.root)
        let resolver = LiveAccountResolver(dependencies: harness.dependencies, endpointURL: nil, progress: { _ in })
        let build = CentralWorkflows.BuildOptions(directory: harness.out.url, toolVersion: "test", mtime: 0)
        return try await MeshWorkflows(scope: try WorkflowScope(workspace: workspace, resolver: resolver, region: nil), centralProfile: nil, build: build)
            .plan(resourceChanges: resourceChanges)
    }

    /// `vend apply --yes`, in process; returns the outcomes.
    static func apply(_ harness: PublishHarness, _ arguments: [String] = ["--yes"]) async throws -> MeshWorkflows.ApplyReport {
        let lines = Lines()
        let console = Console(out: { lines.append($0) }, err: { _ in })
        do {
            return try await command(ApplyCommand.self, harness, arguments)
                .perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies, console: console, confirm: { _ in nil })
        } catch let error as MeshError where error == .actionsFailed(failed: 0, blocked: 0) || {
            if case .actionsFailed = error { return true } else { return false }
        }() {
            Issue.record("apply: \(error)\n\(lines.all.joined())")
            throw error
        }
    }

    /// Output collected from a console.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) { lock.withLock { lines.append(line) } }
        var all: [String] { lock.withLock { lines } }
    }

    static func provisioned(_ harness: PublishHarness, _ profile: String) throws -> Set<String> {
        let list = try LaunchTests.aws(harness, profile, "servicecatalog", "search-provisioned-products")["ProvisionedProducts"] as? [[String: Any]] ?? []
        return Set(list.compactMap { product in (product["Status"] as? String) == "AVAILABLE" ? product["Name"] as? String : nil })
    }

    @Test("a declared mesh converges in one apply; edits plan and apply; drift is repaired; a re-apply makes no mutating call; a saved plan refuses a moved state")
    func meshAsCode() async throws {
        let harness = try LaunchTests.published()
        defer { harness.stop() }
        try Self.declare(harness, subscriptions: ["retail"])

        // One apply from nothing, of a saved plan: baseline (deployed before the lock, which lives in
        // its bucket; the plan made after it must match the saved one), catalog, both domains, the
        // consumer and its subscription.
        let fresh = harness.out.url.appendingPathComponent("fresh.plan.json").path
        _ = try await Self.command(PlanCommand.self, harness, ["--out", fresh]).perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies,
                                                                                       console: LaunchTests.silent)
        let first = try await Self.apply(harness, [fresh])
        #expect(first.outcomes.filter { $0.status == "failed" || $0.status == "blocked" } == [], "\(first.outcomes)")
        #expect(try Self.provisioned(harness, "producer").isSuperset(of: ["producer-retail", "producer-sales"]))
        #expect(try Self.provisioned(harness, "central").isSuperset(of: ["producer-registration-retail", "producer-registration-sales"]))
        #expect(try Self.provisioned(harness, "consumer").contains("consumer-analytics"))
        #expect(try SubscriptionTests.links(harness)["retail_link"] == "111111111111/retail")
        #expect(try SubscriptionTests.links(harness)["sales_link"] == nil, "sales is not subscribed")
        let tags = try harness.aws("lakeformation", "list-lf-tags")["LFTags"] as? [[String: Any]] ?? []
        let domainValues = tags.first { $0["TagKey"] as? String == "domain" }?["TagValues"] as? [String] ?? []
        #expect(Set(domainValues).isSuperset(of: ["retail", "sales", "analytics"]), "the domain tag follows from the declared domains: \(domainValues)")

        // Drift of grants is judged (and repaired) where the caller is a data lake administrator.
        try MatrixCLI(cloud: harness.cloud, roles: []).addLakeFormationAdmin("consumer", "arn:aws:iam::333333333333:user/vend-localcloud-admin")

        // Another apply holds the lock: this one is refused naming it, and changes nothing.
        let lock = harness.out.url.appendingPathComponent("lock.json")
        let until = ISO8601DateFormatter().string(from: Date().addingTimeInterval(600))
        try Data(#"{"runId":"other-run","holder":"arn:aws:iam::111111111111:role/ci","startedAt":"2026-12-07T00:00:00Z","leaseUntil":"\#(until)","command":"apply"}"#.utf8).write(to: lock)
        _ = try harness.cloud.awsCLI(["s3api", "put-object", "--bucket", "vend-artifacts-111111111111-us-east-1", "--key", "vend/locks/apply.json",
                                      "--body", lock.path, "--profile", "central"])
        try Self.declare(harness, subscriptions: ["retail", "sales"])
        try await harness.cloud.clearLog()
        await #expect(throws: ApplyLockError.self) { _ = try await Self.apply(harness) }
        let attempted = try await harness.cloud.requests().filter(\.isMutating)
        #expect(attempted.map(\.operation) == ["PutObject"] && attempted.allSatisfy { $0.status == 412 },
                "a refused apply changes nothing (its one write is the lock's conditional PutObject, refused): \(attempted.map { "\($0.operation ?? "?") \($0.status ?? 0)" })")
        _ = try harness.cloud.awsCLI(["s3api", "delete-object", "--bucket", "vend-artifacts-111111111111-us-east-1", "--key", "vend/locks/apply.json", "--profile", "central"])
        try Self.declare(harness, subscriptions: ["retail"])

        // With central's credentials alone (the spokes' profiles unknown), plan still runs: the
        // spokes are "not read", central's part is complete, and nothing is planned for them.
        let text = try harness.fixture.directory.read("vend.yaml")
        try harness.fixture.directory.write(text.replacingOccurrences(of: "profile: producer,", with: "profile: nowhere,")
            .replacingOccurrences(of: "profile: consumer,", with: "profile: nowhere,"), to: "vend.yaml")
        let centralOnly = try await Self.plan(harness)
        #expect(centralOnly.plan.notes.filter { $0.kind == .notRead }.map(\.detail).contains { $0.hasPrefix("account 222222222222") })
        #expect(centralOnly.plan.notes.filter { $0.kind == .notRead }.map(\.detail).contains { $0.hasPrefix("account 333333333333") })
        #expect(centralOnly.plan.actions.allSatisfy { $0.account == "111111111111" }, "\(centralOnly.plan.actions.map(\.summary))")
        try harness.fixture.directory.write(text, to: "vend.yaml")

        // Nothing changed: the plan is empty and a re-apply makes no mutating call.
        try IAMPolicyCoverage.check(try await harness.cloud.requests())
        try await harness.cloud.clearLog()
        let again = try await Self.plan(harness)
        #expect(again.plan.actions.map(\.id) == [], "\(again.plan.actions.map(\.summary))")
        _ = try await Self.apply(harness)
        #expect(try await harness.mutatingCalls() == [], "a re-apply with nothing changed makes no mutating call")

        // A subscription and a source added to vend.yaml show in the plan and are applied.
        let bucket = "vend-retail-data-222222222222-us-east-1"
        let csv = harness.out.url.appendingPathComponent("customers.csv")
        try Data("id,name\n1,a\n2,b\n".utf8).write(to: csv)
        _ = try harness.cloud.awsCLI(["s3api", "put-object", "--bucket", bucket, "--key", "customers/customers.csv", "--body", csv.path, "--profile", "producer"])
        try Self.declare(harness, subscriptions: ["retail", "sales"], sources: ", sources: [{name: customers, prefix: customers/, format: csv}]")
        let edited = try await Self.plan(harness)
        #expect(Set(edited.plan.actions.map(\.id)).isSuperset(of: ["request:analytics/sales", "source:retail/customers", "converge"]), "\(edited.plan.actions.map(\.id))")
        let second = try await Self.apply(harness)
        #expect(second.outcomes.filter { $0.status == "failed" || $0.status == "blocked" } == [], "\(second.outcomes)")
        #expect(try SubscriptionTests.links(harness)["sales_link"] == "111111111111/sales")
        let crawler = try harness.aws("glue", "get-crawler", "--name", "retail-customers")["Crawler"] as? [String: Any]
        #expect(((crawler?["Targets"] as? [String: Any])?["S3Targets"] as? [[String: Any]])?.first?["Path"] as? String == "s3://\(bucket)/customers/")

        // A subscription removed from vend.yaml is revoked (apply made it).
        try Self.declare(harness, subscriptions: ["retail"], sources: ", sources: [{name: customers, prefix: customers/, format: csv}]")
        let removed = try await Self.plan(harness)
        #expect(removed.plan.actions.map(\.id).contains("revoke:analytics/sales"), "\(removed.plan.actions.map(\.id))")
        _ = try await Self.apply(harness)
        #expect(try SubscriptionTests.links(harness)["sales_link"] == nil, "the removed subscription's link is gone")
        #expect(try SubscriptionTests.links(harness)["retail_link"] == "111111111111/retail", "the declared one stays")

        // A grant revoked behind vend's back is drift: plan shows it, apply restores exactly it.
        let before = try SubscriptionTests.permissions(harness, "consumer")
        let grant = try #require(before.first { SubscriptionTests.linkGrant([$0], Self.analyst, "retail_link") }, "the analyst's grant on the link")
        try Self.revoke(harness, grant)
        #expect(try SubscriptionTests.permissions(harness, "consumer") != before)
        let drift = try await Self.plan(harness)
        #expect(drift.plan.actions.contains { $0.kind == .repair && $0.drift }, "\(drift.plan.actions.map(\.summary))")
        _ = try await Self.apply(harness)
        #expect(try SubscriptionTests.permissions(harness, "consumer") == before, "apply re-made exactly the revoked grant")

        // A saved plan applies exactly; it refuses once the live state moved.
        try Self.revoke(harness, grant)
        let file = harness.out.url.appendingPathComponent("mesh.plan.json").path
        _ = try await Self.command(PlanCommand.self, harness, ["--out", file]).perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies,
                                                                                      console: LaunchTests.silent)
        // Someone re-grants by hand: the live state moved, so the saved plan is refused and nothing runs.
        try Self.grantBack(harness, grant)
        try await harness.cloud.clearLog()
        await #expect(throws: MeshError.liveStateMoved(account: "333333333333", label: "consumer analytics", file: file)) { _ = try await Self.apply(harness, [file]) }
        #expect(try await harness.mutatingCalls().filter { !$0.hasSuffix("Object") } == [], "a refused plan changes nothing (only the lock is written)")
        try Self.revoke(harness, grant)
        _ = try await Self.command(PlanCommand.self, harness, ["--out", file]).perform(currentDirectory: harness.fixture.root, dependencies: harness.dependencies,
                                                                                      console: LaunchTests.silent)
        let saved = try await Self.apply(harness, [file])
        #expect(saved.outcomes.contains { $0.id.hasPrefix("repair:") && $0.status == "done" }, "\(saved.outcomes)")
        #expect(try SubscriptionTests.permissions(harness, "consumer") == before)

        // A parameter changed in vend.yaml is an update; --resource-changes shows what it touches,
        // from a Service Catalog plan that is deleted after reading.
        try Self.declare(harness, subscriptions: ["retail"], sources: ", parameters: {Classification: confidential}, sources: [{name: customers, prefix: customers/, format: csv}]")
        let update = try await Self.plan(harness, resourceChanges: true)
        let changes = update.resourceChanges["update:producer-registration-retail"] ?? []
        #expect(update.plan.actions.contains { $0.id == "update:producer-registration-retail" && $0.summary.contains("Classification \"internal\" → \"confidential\"") })
        #expect(!changes.isEmpty && changes.allSatisfy { $0.Action == "MODIFY" || $0.Action == "ADD" || $0.Action == "REMOVE" }, "\(changes)")
        let plans = try LaunchTests.aws(harness, "central", "servicecatalog", "list-provisioned-product-plans")["ProvisionedProductPlans"] as? [Any] ?? []
        #expect(plans.isEmpty, "the Service Catalog plans are deleted after reading")

        // A version pinned in vend.yaml that the catalog does not hold: the plan says the update will fail.
        try Self.declare(harness, subscriptions: ["retail"], sources: ", versions: {producer-onboarding: 9.9.9}, sources: [{name: customers, prefix: customers/, format: csv}]")
        let pinned = try await Self.plan(harness)
        #expect(pinned.plan.notes.contains { $0.kind == .blocked && $0.domains == ["retail"] && $0.detail.contains("producer-onboarding 9.9.9 is not a launchable version") },
                "\(pinned.plan.notes)")
        try IAMPolicyCoverage.check(try await harness.cloud.requests())

        // A producer domain removed from vend.yaml with its subscription, and a source removed: the
        // subscription is revoked and its keys released; the rest is "not declared" and only --prune
        // removes it, never the data: the bucket, the tables and the domain tag value stay.
        try Self.declare(harness, subscriptions: ["retail", "sales"])
        _ = try await Self.apply(harness)
        #expect(try SubscriptionTests.links(harness)["sales_link"] == "111111111111/sales")
        try Self.declare(harness, subscriptions: ["retail"], sales: false)
        let undeclared = try await Self.plan(harness)
        #expect(undeclared.plan.actions.map(\.id) == ["revoke:analytics/sales", "converge"], "\(undeclared.plan.actions.map(\.id))")
        let releases = undeclared.plan.actions.last?.summary ?? ""
        #expect(["consumer-registration-333333333333-sales", "link-sales", "access-sales-Analyst"].allSatisfy { releases.contains("terminate \($0)") },
                "the plan names what the revocation releases: \(releases)")
        #expect(undeclared.plan.notes.filter { $0.kind == .notDeclared }.map(\.domains).sorted { $0.description < $1.description } == [["retail"], ["sales"], ["sales"]],
                "\(undeclared.plan.notes)")
        _ = try await Self.apply(harness)
        #expect(try SubscriptionTests.links(harness)["sales_link"] == nil, "the removed domain's subscription is revoked and its link released")
        #expect(try Self.provisioned(harness, "consumer").allSatisfy { !$0.hasSuffix("-sales") && !$0.contains("-sales-") }, "its keys are released")
        #expect(try !Self.provisioned(harness, "central").contains("consumer-registration-333333333333-sales"))
        #expect(try Self.provisioned(harness, "producer").contains("producer-sales"), "without --prune the domain's products stay")
        let pruned = try await Self.apply(harness, ["--yes", "--prune"])
        #expect(Set(pruned.outcomes.filter { $0.status == "done" }.map(\.id)) == ["terminate:producer-registration-sales", "terminate:producer-sales", "unsource:retail/customers"],
                "\(pruned.outcomes)")
        #expect(try !Self.provisioned(harness, "producer").contains("producer-sales"))
        #expect(try !Self.provisioned(harness, "central").contains("producer-registration-sales"))
        #expect(try Self.provisioned(harness, "producer").contains("producer-retail"))
        let buckets = (try LaunchTests.aws(harness, "producer", "s3api", "list-buckets")["Buckets"] as? [[String: Any]] ?? []).compactMap { $0["Name"] as? String }
        #expect(buckets.contains("vend-sales-data-222222222222-us-east-1"), "the removed domain's bucket is retained: \(buckets)")
        #expect(throws: (any Error).self) { _ = try harness.aws("glue", "get-crawler", "--name", "retail-customers") }
        let tables = (try harness.aws("glue", "get-tables", "--database-name", "retail")["TableList"] as? [[String: Any]] ?? []).compactMap { $0["Name"] as? String }
        #expect(tables.contains { $0.hasPrefix("customers") }, "the removed source's tables are kept: \(tables)")
        let after = try harness.aws("lakeformation", "list-lf-tags")["LFTags"] as? [[String: Any]] ?? []
        #expect((after.first { $0["TagKey"] as? String == "domain" }?["TagValues"] as? [String] ?? []).contains("sales"), "a tag value still in use is not removed")
        try await harness.cloud.clearLog()
        let settled = try await Self.apply(harness, ["--yes", "--prune"])
        let settledCalls = try await harness.mutatingCalls()
        #expect(settled.outcomes.isEmpty && settledCalls == [], "\(settled.outcomes) \(settledCalls)")

        // The consumer domain removed with its account: vend no longer opens that account, so what
        // analytics holds there stays, but central's grant to the account (apply made it) is released.
        try Self.declare(harness, subscriptions: [], sales: false, consumer: false)
        let gone = try await Self.plan(harness)
        #expect(gone.plan.actions.map(\.id) == ["converge"] && gone.plan.actions.first?.summary.contains("consumer-registration-333333333333-retail") == true,
                "\(gone.plan.actions.map(\.summary))")
        #expect(gone.plan.notes.contains { $0.kind == .notDeclared && $0.domains == ["analytics"] && $0.detail.contains("333333333333") }, "\(gone.plan.notes)")
        _ = try await Self.apply(harness)
        #expect(try !Self.provisioned(harness, "central").contains("consumer-registration-333333333333-retail"))
        #expect(try Self.provisioned(harness, "consumer").isSuperset(of: ["consumer-analytics", "link-retail"]), "the unread account is left as it is")
        try await harness.cloud.clearLog()
        let quiet = try await Self.apply(harness)
        let quietCalls = try await harness.mutatingCalls()
        #expect(quiet.outcomes.isEmpty && quietCalls == [], "\(quiet.outcomes) \(quietCalls)")
    }

    /// Revokes one listed permission (a line of `SubscriptionTests.permissions`) with the consumer's keys.
    static func revoke(_ harness: PublishHarness, _ line: String) throws {
        try change("revoke-permissions", harness, line)
    }

    static func grantBack(_ harness: PublishHarness, _ line: String) throws {
        try change("grant-permissions", harness, line)
    }

    static func change(_ operation: String, _ harness: PublishHarness, _ line: String) throws {
        guard let entry = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let principal = entry["Principal"], let resource = entry["Resource"], let permissions = entry["Permissions"] else {
            throw FixtureError("not a permission: \(line)")
        }
        func json(_ value: Any) throws -> String { String(decoding: try JSONSerialization.data(withJSONObject: value), as: UTF8.self) }
        _ = try harness.cloud.awsCLI(["lakeformation", operation, "--principal", try json(principal), "--resource", try json(resource),
                                      "--permissions", try json(permissions), "--profile", "consumer"])
    }
}
