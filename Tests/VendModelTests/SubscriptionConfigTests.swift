import Foundation
import Testing
import VendModel
import VendTestSupport

/// vend.yaml's subscription fields: approval policy and owners on producers, analyst roles and
/// declared subscriptions on consumers, and the rules that tie them to the accounts.
@Suite("vend.yaml: subscription fields")
struct SubscriptionConfigTests {
    /// The repository's workspace with `producers:`/`consumers:` replaced.
    static func inspect(producers: String, consumers: String) throws -> (MeshConfig?, [String]) {
        let fixture = try WorkspaceFixture()
        defer { fixture.remove() }
        try fixture.replace("""
            - {domain: retail, profile: producer, accountId: "222222222222", approval: auto, sources: [{name: customers, prefix: customers/, format: csv}, {name: products, prefix: products/, format: csv}, {name: orders, prefix: orders/, format: csv}, {name: order_lines, prefix: order_lines/, format: csv}, {name: payments, prefix: payments/, format: csv}]}
            - {domain: sales, profile: producer, accountId: "222222222222"}   # approval: owner (the default)
        """, with: producers, in: "vend.yaml")
        try fixture.replace("""
            - {domain: analytics, profile: consumer, accountId: "333333333333", analystRoles: ["arn:aws:iam::333333333333:role/Analyst"], subscriptions: [retail]}
        """, with: consumers, in: "vend.yaml")
        let (workspace, diagnostics) = Workspace.inspect(root: fixture.root)
        return (workspace?.config, diagnostics.map(\.description))
    }

    @Test("approval, owners, analyst roles and subscriptions are read; omitted, they default to owner approval and none")
    func readsFields() throws {
        let (config, diagnostics) = try Self.inspect(producers: """
            - {domain: retail, profile: producer, accountId: "222222222222", approval: auto, sources: [{name: customers, prefix: customers/, format: csv}, {name: products, prefix: products/, format: csv}, {name: orders, prefix: orders/, format: csv}, {name: order_lines, prefix: order_lines/, format: csv}, {name: payments, prefix: payments/, format: csv}]}
            - domain: sales
              profile: producer
              accountId: "222222222222"
              owners: ["arn:aws:iam::222222222222:role/SalesOwner", "arn:aws:iam::111111111111:user/platform/alice"]
            - {domain: finance, profile: producer, accountId: "222222222222"}
        """, consumers: """
            - domain: analytics
              profile: consumer
              accountId: "333333333333"
              analystRoles: ["arn:aws:iam::333333333333:role/Analyst"]
              subscriptions: [retail, sales]
        """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let producers = config?.producers ?? []
        #expect(producers.map(\.approval) == [.auto, .owner, .owner])
        #expect(producers.map(\.owners.count) == [0, 2, 0])
        #expect(config?.consumers.first?.analystRoles == ["arn:aws:iam::333333333333:role/Analyst"])
        #expect(config?.consumers.first?.subscriptions == ["retail", "sales"])
        #expect(config?.central.approval == .owner && config?.central.owners == [])
    }

    @Test("every problem is reported at once, naming the field and what to do")
    func reportsEveryProblem() throws {
        let (_, diagnostics) = try Self.inspect(producers: """
            - domain: retail
              profile: producer
              accountId: "222222222222"
              approval: sometimes
              owners: ["arn:aws:iam::444444444444:role/Stranger", "alice", "arn:aws:iam::222222222222:role/Owner"]
        """, consumers: """
            - domain: analytics
              profile: consumer
              accountId: "333333333333"
              analystRoles: ["arn:aws:iam::444444444444:role/Elsewhere", "arn:aws:iam::333333333333:role/path/WithPath"]
              subscriptions: [retail, nope, retail]
              approval: auto
        """)
        let expected = [
            "accounts.producers[0].approval: is \"sometimes\"",
            "accounts.producers[0].owners[0]: \"arn:aws:iam::444444444444:role/Stranger\" is in account 444444444444, neither the domain's (222222222222) nor central's (111111111111)",
            "accounts.producers[0].owners[1]: \"alice\" is not an IAM role or user ARN",
            "accounts.consumers[0].analystRoles[0]: \"arn:aws:iam::444444444444:role/Elsewhere\" is in account 444444444444, not the consumer's (333333333333)",
            "accounts.consumers[0].analystRoles[1]: \"arn:aws:iam::333333333333:role/path/WithPath\" is not a role ARN without a path",
            "accounts.consumers[0].subscriptions[1]: \"nope\" is not a producer domain (declared: retail)",
            "accounts.consumers[0].subscriptions[2]: \"retail\" appears twice",
            "accounts.consumers[0].approval: is not a known field",
        ]
        for fragment in expected {
            #expect(diagnostics.contains { $0.contains(fragment) }, "missing: \(fragment)\nin:\n\(diagnostics.joined(separator: "\n"))")
        }
        #expect(!diagnostics.contains { $0.contains("owners[2]") }, "a valid owner of the domain's account was refused")
    }

    @Test("the central account takes none of the subscription fields")
    func centralHasNoSubscriptionFields() throws {
        let fixture = try WorkspaceFixture()
        defer { fixture.remove() }
        try fixture.replace(#"central:   {profile: central, accountId: "111111111111"}"#,
                            with: #"central:   {profile: central, accountId: "111111111111", owners: []}"#, in: "vend.yaml")
        let (_, diagnostics) = Workspace.inspect(root: fixture.root)
        #expect(diagnostics.map(\.description).contains { $0.contains("accounts.central.owners: is not a known field") })
    }

    @Test("the mesh declaration: region, parameters, versions and sources on producers, region on consumers, apply bounds")
    func declaration() throws {
        let (config, diagnostics) = try Self.inspect(producers: """
            - domain: retail
              profile: producer
              accountId: "222222222222"
              approval: auto
              region: us-east-1
              parameters: {Classification: internal}
              versions: {producer-onboarding: 1.0.0}
              sources:
                - {name: customers, prefix: customers/, format: csv}
                - {name: orders, prefix: raw/orders/}
        """, consumers: """
            - {domain: analytics, profile: consumer, accountId: "333333333333", region: us-east-1, subscriptions: [retail]}
        """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let retail = try #require(config?.producers.first)
        #expect(retail.region == "us-east-1" && retail.parameters == ["Classification": "internal"] && retail.versions == ["producer-onboarding": "1.0.0"])
        #expect(retail.sources == [.init(name: "customers", prefix: "customers/", format: "csv"), .init(name: "orders", prefix: "raw/orders/", format: "csv")])
        #expect(config?.apply == .standard)
    }

    @Test("every declaration problem at once: a domain on both sides, an undeclared region, bad sources, unknown products and parameters, apply bounds")
    func declarationProblems() throws {
        let fixture = try WorkspaceFixture()
        defer { fixture.remove() }
        try fixture.replace("""
            - {domain: retail, profile: producer, accountId: "222222222222", approval: auto, sources: [{name: customers, prefix: customers/, format: csv}, {name: products, prefix: products/, format: csv}, {name: orders, prefix: orders/, format: csv}, {name: order_lines, prefix: order_lines/, format: csv}, {name: payments, prefix: payments/, format: csv}]}
        """, with: """
            - domain: retail
              profile: producer
              accountId: "222222222222"
              region: eu-west-1
              parameters: {Classification: internal, Nope: x, "bad-name": y, DomainName: shop}
              versions: {producer-onboarding: latest, ghost-product: 1.0.0}
              sources:
                - {name: Customers, prefix: customers, format: xml}
                - {name: orders, prefix: orders/}
                - {name: orders, prefix: orders2/}
        """, in: "vend.yaml")
        try fixture.replace("""
            - {domain: analytics, profile: consumer, accountId: "333333333333", analystRoles: ["arn:aws:iam::333333333333:role/Analyst"], subscriptions: [retail]}
        """, with: """
            - {domain: analytics, profile: consumer, accountId: "333333333333", analystRoles: ["arn:aws:iam::333333333333:role/Analyst"], subscriptions: [retail]}
            - {domain: sales, profile: consumer, accountId: "333333333333"}
        """, in: "vend.yaml")
        try fixture.replace("versions:\n  keepActive: 3", with: "versions:\n  keepActive: 3\napply: {parallel: 0, perAccount: 4}", in: "vend.yaml")
        let diagnostics = Workspace.inspect(root: fixture.root).1.map(\.description)
        let expected = [
            "accounts.producers[0].region: \"eu-west-1\" is not one of regions (us-east-1)",
            "accounts.producers[0].parameters.bad-name: is not a CloudFormation parameter name",
            "accounts.producers[0].parameters.Nope: no producer product declares it",
            "accounts.producers[0].parameters.DomainName: vend sets it for every producer",
            "accounts.producers[0].versions.producer-onboarding: \"latest\" is not a semantic version",
            "accounts.producers[0].versions.ghost-product: there is no product \"ghost-product\"",
            "accounts.producers[0].sources[0].name: \"Customers\" is not a source name",
            "accounts.producers[0].sources[0].prefix: \"customers\" is not a bucket prefix",
            "accounts.producers[0].sources[0].format: is \"xml\"",
            "accounts.producers[0].sources[2].name: \"orders\" appears twice",
            "accounts.consumers[1].domain: \"sales\" is also a producer domain",
            "apply.parallel: is 0",
        ]
        for fragment in expected {
            #expect(diagnostics.contains { $0.contains(fragment) }, "missing: \(fragment)\nin:\n\(diagnostics.joined(separator: "\n"))")
        }
        #expect(!diagnostics.contains { $0.contains("parameters.Classification") }, "a declared parameter was refused")

        // A value the template's AllowedValues refuse is refused here, before any launch.
        try fixture.replace("parameters: {Classification: internal,", with: "parameters: {Classification: secret,", in: "vend.yaml")
        let refused = Workspace.inspect(root: fixture.root).1.map(\.description)
        #expect(refused.contains { $0.contains("parameters.Classification: is \"secret\", which producer-registration's template does not allow") && $0.contains("public, internal, confidential") },
                "\(refused.joined(separator: "\n"))")
    }
}
