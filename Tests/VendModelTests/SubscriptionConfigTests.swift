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
            - {domain: retail, profile: producer, accountId: "222222222222", approval: auto}
            - {domain: sales, profile: producer, accountId: "222222222222"}   # approval: owner (the default)
        """, with: producers, in: "vend.yaml")
        try fixture.replace("""
            - {domain: analytics, profile: consumer, accountId: "333333333333"}
        """, with: consumers, in: "vend.yaml")
        let (workspace, diagnostics) = Workspace.inspect(root: fixture.root)
        return (workspace?.config, diagnostics.map(\.description))
    }

    @Test("approval, owners, analyst roles and subscriptions are read; omitted, they default to owner approval and none")
    func readsFields() throws {
        let (config, diagnostics) = try Self.inspect(producers: """
            - {domain: retail, profile: producer, accountId: "222222222222", approval: auto}
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
}
