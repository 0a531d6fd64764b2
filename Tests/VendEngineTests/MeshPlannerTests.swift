import Foundation
import Testing
import VendEngine
import VendModel
import VendTestSupport

/// The mesh planner is pure: each kind of change from a hand-made live state.
@Suite("Mesh planner")
struct MeshPlannerTests {
    static let analyst = "arn:aws:iam::333333333333:role/Analyst"

    /// The repository's workspace, with analytics declaring an analyst and reading retail.
    static func workspace() throws -> Workspace {
        var workspace = try Workspace.load(root: Golden.repositoryRoot())
        workspace.config.consumers[0].analystRoles = [analyst]
        workspace.config.consumers[0].subscriptions = ["retail"]
        workspace.config.producers[0].sources = [.init(name: "customers", prefix: "customers/", format: "csv")]
        return workspace
    }

    static func plan(_ workspace: Workspace, _ live: LiveMesh, prune: Bool = false) throws -> MeshPlan {
        MeshPlanner(config: workspace.config, desired: try DesiredMesh.from(workspace), prune: prune, now: Date(timeIntervalSince1970: 1_800_000_000))
            .plan(live, catalog: [], refusals: [], baselineTemplateDigest: "t")
    }

    /// A live mesh where every declared product runs as declared (bucket known), the baseline is
    /// current and the source crawled.
    static func converged(_ workspace: Workspace) throws -> LiveMesh {
        var live = LiveMesh()
        live.baseline = (status: "UPDATE_COMPLETE", templateDigest: "t")
        live.domainTagValues = workspace.config.tagValues("domain")
        let desired = try DesiredMesh.from(workspace)
        func put(_ product: DesiredMesh.Product, outputs: [String: String] = [:]) {
            live.products[product.account, default: [:]][product.name] = .init(
                name: product.name, id: "pp-\(product.name)", product: product.product, artifactId: "pa", version: product.version, status: "AVAILABLE",
                statusMessage: "", lastRecordId: "rec", lastSuccessfulRecordId: "rec", parameters: product.parameters, outputs: outputs)
        }
        for producer in desired.producers {
            let bucket = "vend-\(producer.domain)-data-222222222222-us-east-1"
            put(producer.onboarding, outputs: ["BucketName": bucket])
            var registration = producer.registration
            registration.parameters[DesiredMesh.bucketParameter] = bucket
            put(registration)
        }
        for consumer in desired.consumers { if let onboarding = consumer.onboarding { put(onboarding) } }
        live.crawlers["retail-customers"] = .init(name: "retail-customers", paths: ["s3://vend-retail-data-222222222222-us-east-1/customers/"], lastCrawl: "SUCCEEDED")
        live.readLines["111111111111"] = ["x"]
        return live
    }

    @Test("nothing live: bootstrap, every launch, the source once there is data, the request, the converge — in dependency order")
    func fresh() throws {
        let workspace = try Self.workspace()
        var live = LiveMesh()
        live.sourceHasData["retail/customers"] = true
        let plan = try Self.plan(workspace, live)
        let ids = plan.actions.map(\.id)
        #expect(ids.first == "bootstrap")
        for id in ["launch:producer-retail", "launch:producer-registration-retail", "launch:producer-sales", "launch:consumer-analytics",
                   "source:retail/customers", "request:analytics/retail", "converge"] {
            #expect(ids.contains(id), "\(id) in \(ids)")
        }
        let registration = try #require(plan.actions.first { $0.id == "launch:producer-registration-retail" })
        #expect(registration.dependsOn.contains("launch:producer-retail"), "the registration waits for the bucket")
        let request = try #require(plan.actions.first { $0.id == "request:analytics/retail" })
        #expect(Set(request.dependsOn) == ["launch:producer-registration-retail", "launch:consumer-analytics"], "a subscription waits for its producer's registration")
        #expect(plan.actions.first { $0.id == "converge" }?.dependsOn.contains("request:analytics/retail") == true)
        // The converge's line names the keys it will launch once the request is written (retail
        // approves automatically): central's grant, the link, the analyst's and the probe role's grants.
        let keys = [SubscriptionKey.registration(account: "333333333333", domain: "retail"), .link(account: "333333333333", domain: "retail"),
                    .access(principal: "arn:aws:iam::333333333333:role/Analyst", domain: "retail"),
                    .access(principal: "arn:aws:iam::333333333333:role/vend-probe-analytics", domain: "retail")]
        let converge = try #require(plan.actions.first { $0.id == "converge" })
        for key in keys { #expect(converge.summary.contains(key.provisionedName), "\(key.provisionedName) in \(converge.summary)") }
    }

    @Test("converged: no action; an empty source prefix waits for data instead of failing")
    func converged() throws {
        let workspace = try Self.workspace()
        var live = try Self.converged(workspace)
        live.subscriptions.requests[.init(consumer: "analytics", domain: "retail")] = nil
        var plan = try Self.plan(workspace, live)
        #expect(plan.actions.map(\.id) == ["request:analytics/retail", "converge"], "only the subscription is missing")
        live.crawlers = [:]
        live.sourceHasData["retail/customers"] = false
        plan = try Self.plan(workspace, live)
        #expect(!plan.actions.contains { $0.kind == .addSource })
        #expect(plan.notes.contains { $0.kind == .waitingForData && $0.domains == ["retail"] })
    }

    @Test("drift: a version or parameter off the declaration is an update; a moved crawler is retargeted; a failed first launch is replaced")
    func drift() throws {
        let workspace = try Self.workspace()
        var live = try Self.converged(workspace)
        live.products["222222222222"]?["producer-sales"]?.parameters["CentralAccountId"] = "999999999999"
        live.products["111111111111"]?["producer-registration-retail"]?.version = "0.9.0"
        live.crawlers["retail-customers"]?.paths = ["s3://elsewhere/"]
        live.products["333333333333"]?["consumer-analytics"]?.status = "ERROR"
        live.products["333333333333"]?["consumer-analytics"]?.lastSuccessfulRecordId = ""
        let plan = try Self.plan(workspace, live)
        let sales = try #require(plan.actions.first { $0.id == "update:producer-sales" })
        #expect(sales.drift && sales.summary.contains("CentralAccountId \"999999999999\" → \"111111111111\""))
        let retail = try #require(plan.actions.first { $0.id == "update:producer-registration-retail" })
        #expect(!retail.drift && retail.summary.contains("version 0.9.0 →"), "a version change is an update, not drift")
        #expect(plan.actions.contains { $0.id == "retarget:retail/customers" && $0.drift })
        #expect(plan.actions.contains { $0.id == "replace:consumer-analytics" && $0.kind == .replace })
    }

    @Test("a default set by hand (--param) is left alone; set in vend.yaml, it is declared and compared")
    func handSetParameter() throws {
        var workspace = try Self.workspace()
        var live = try Self.converged(workspace)
        live.products["111111111111"]?["producer-registration-retail"]?.parameters["Classification"] = "confidential"
        let domainChanges: (MeshPlan) -> [MeshAction] = { $0.actions.filter { $0.kind != .request && $0.kind != .converge } }
        #expect(domainChanges(try Self.plan(workspace, live)).isEmpty, "Classification is vend's default and vend.yaml does not set it")
        workspace.config.producers[0].parameters = ["Classification": "public"]
        live = try Self.converged(workspace)
        live.products["111111111111"]?["producer-registration-retail"]?.parameters["Classification"] = "confidential"
        let plan = try Self.plan(workspace, live)
        #expect(domainChanges(plan).map(\.id) == ["update:producer-registration-retail"])
        #expect(domainChanges(plan).first?.summary.contains("Classification \"confidential\" → \"public\"") == true)
    }

    @Test("removed from vend.yaml: a producer apply made is not declared (terminated with prune); one made by hand is left alone")
    func removals() throws {
        var workspace = try Self.workspace()
        var live = try Self.converged(workspace)
        workspace.config.producers.removeAll { $0.domain == "sales" }
        workspace.config.lakeFormationTags = workspace.config.lakeFormationTags.map { tag in
            var tag = tag
            if tag.key == "domain" { tag.values.removeAll { $0 == "sales" } }
            return tag
        }
        var plan = try Self.plan(workspace, live)
        #expect(plan.notes.contains { $0.kind == .handMade && $0.domains == ["sales"] }, "\(plan.notes)")
        #expect(!plan.actions.contains { $0.kind == .terminate })
        live.applied.producers = ["sales"]
        plan = try Self.plan(workspace, live)
        #expect(plan.notes.contains { $0.kind == .notDeclared && $0.domains == ["sales"] })
        plan = try Self.plan(workspace, live, prune: true)
        #expect(plan.actions.contains { $0.id == "terminate:producer-registration-sales" && $0.account == "111111111111" })
        let onboarding = try #require(plan.actions.first { $0.id == "terminate:producer-sales" }, "\(plan.actions.map(\.id))")
        #expect(onboarding.account == "222222222222" && onboarding.dependsOn.contains("terminate:producer-registration-sales"),
                "the onboarding (its bucket) goes after the registration that reads it")
        #expect(!plan.actions.contains { $0.kind == .bootstrap }, "a tag value no longer declared is not removed")
    }

    @Test("a version the catalog will not hold is 'blocked' in the plan, naming the launchable ones; without the catalog's versions nothing is judged")
    func unlaunchableVersion() throws {
        let workspace = try Self.workspace()
        let planner = MeshPlanner(config: workspace.config, desired: try DesiredMesh.from(workspace), prune: false, now: Date(timeIntervalSince1970: 1_800_000_000))
        let plan = planner.plan(LiveMesh(), catalog: [], refusals: [], baselineTemplateDigest: "t", launchable: ["producer-onboarding": ["0.9.0", "0.8.0"]])
        let blocked = plan.notes.filter { $0.kind == .blocked }
        #expect(blocked.map(\.domains) == [["retail"], ["sales"]], "\(blocked)")
        #expect(blocked.allSatisfy { $0.detail.contains("producer-onboarding") && $0.detail.contains("(0.8.0, 0.9.0)") && $0.detail.contains("launch will fail") })
        #expect(try Self.plan(workspace, LiveMesh()).notes.allSatisfy { $0.kind != .blocked })
    }

    @Test("the producer parameters vend.yaml may not set are exactly those vend derives (validation's list and MeshRules agree)")
    func derivedParameters() throws {
        let config = try Self.workspace().config
        let derived = Set(MeshRules.producerOnboardingParameters(domain: "d", config: config).keys)
            .union(MeshRules.producerRegistrationParameters(domain: "d", producerAccountId: "222222222222", bucket: "b").keys)
            .subtracting(MeshRules.handSettableDefaults)
        #expect(derived == MeshConfig.derivedProducerParameters)
    }

    @Test("an account whose grants the caller cannot see in full is 'not checked', not 'not read', and plans no repair")
    func grantsNotChecked() throws {
        let workspace = try Self.workspace()
        var live = try Self.converged(workspace)
        live.grantsUnchecked = ["333333333333"]
        let plan = try Self.plan(workspace, live)
        #expect(plan.notes.filter { $0.kind == .notChecked }.map(\.detail).contains { $0.hasPrefix("account 333333333333") }, "\(plan.notes)")
        #expect(!plan.notes.contains { $0.kind == .notRead }, "\(plan.notes)")
        #expect(!plan.actions.contains { $0.kind == .repair })
    }

    @Test("--target keeps one domain's closure; fingerprints do not depend on the order things were read in")
    func targetAndFingerprints() throws {
        let workspace = try Self.workspace()
        var live = LiveMesh()
        live.baseline = (status: "UPDATE_COMPLETE", templateDigest: "t")
        live.domainTagValues = workspace.config.tagValues("domain")
        let plan = try Self.plan(workspace, live).targeting(["sales"])
        #expect(Set(plan.actions.map(\.id)) == ["launch:producer-sales", "launch:producer-registration-sales"], "\(plan.actions.map(\.id))")
        #expect(plan.actions.allSatisfy { $0.dependsOn.allSatisfy { id in plan.actions.contains { $0.id == id } } })
        var a = LiveMesh(), b = LiveMesh()
        a.readLines["1"] = ["x", "y"]
        b.readLines["1"] = ["y", "x"]
        #expect(a.fingerprints == b.fingerprints)
        b.readLines["1"] = ["y", "z"]
        #expect(a.fingerprints != b.fingerprints)
    }

    @Test("a run converges one region: a domain homed elsewhere is left out, and so are subscriptions to it")
    func regions() throws {
        var workspace = try Self.workspace()
        workspace.config.regions = ["us-east-1", "eu-west-1"]
        workspace.config.producers[0].region = "eu-west-1"
        let desired = try DesiredMesh.from(workspace, region: "us-east-1")
        #expect(desired.producers.map(\.domain) == ["sales"])
        #expect(desired.elsewhere == ["retail": "eu-west-1"])
        #expect(desired.consumers.first?.subscriptions == [], "analytics' subscription to retail belongs to retail's region")
        let there = try DesiredMesh.from(workspace, region: "eu-west-1")
        #expect(there.producers.map(\.domain) == ["retail"] && there.consumers.isEmpty)
    }
}
