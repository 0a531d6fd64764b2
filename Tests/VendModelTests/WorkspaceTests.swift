import Foundation
import Testing
import VendModel
import VendTestSupport

@Suite("Workspace loading and validation")
struct WorkspaceTests {
    @Test("the repository's own vend.yaml and products validate without errors or warnings")
    func repositoryValidates() throws {
        let (workspace, diagnostics) = Workspace.inspect(root: Golden.repositoryRoot())
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description).joined(separator: "\n"))")
        let names = workspace?.products.map(\.definition.name) ?? []
        #expect(names == ["analyst-access", "consumer-link", "consumer-onboarding", "consumer-registration", "producer-onboarding", "producer-registration"])
        let registration = workspace?.products.first { $0.definition.name == "producer-registration" }
        #expect(registration?.definition.serviceActions.map(\.name) == ["AddDataSource"])
        let consumer = workspace?.products.first { $0.definition.name == "consumer-onboarding" }
        #expect(consumer?.definition.serviceActions.map(\.name) == ["RequestAccess"])
        #expect(workspace?.config.central.accountId == "111111111111")
        #expect(workspace?.config.tagValues("domain") == ["retail", "sales", "analytics"], "the domain tag follows from the declared domains, producers first")
    }

    @Test("every file a product names is bundled, and nothing else")
    func bundledFiles() throws {
        let workspace = try Workspace.load(root: Golden.repositoryRoot(), only: ["producer-registration"])
        let product = try #require(workspace.products.first)
        #expect(product.files.keys.sorted() == ["CHANGELOG.md", "actions/add-data-source.yaml", "launch-role-policy.json", "product.yaml", "template.yaml"])
        #expect(product.definition.bundledFiles == product.files.keys.sorted())
    }

    @Test("products sharing a launch role bundle the one policy file they name, under a path without ..")
    func sharedLaunchRolePolicy() throws {
        let workspace = try Workspace.load(root: Golden.repositoryRoot(), only: ["consumer-link"])
        let link = try #require(workspace.products.first)
        #expect(workspace.products.count == 1, "only the named product is returned, though its role's other products are checked")
        #expect(link.definition.launchRole.name == "VendConsumerOnboardingLaunchRole" && link.definition.launchRole.policy == "../consumer-onboarding/launch-role-policy.json")
        #expect(link.files.keys.sorted() == ["CHANGELOG.md", "consumer-onboarding/launch-role-policy.json", "product.yaml", "template.yaml"])
        #expect(link.definition.bundledFiles == link.files.keys.sorted())
        let own = try Data(contentsOf: Golden.repositoryRoot().appendingPathComponent("products/consumer-onboarding/launch-role-policy.json"))
        #expect(link.files["consumer-onboarding/launch-role-policy.json"] == own)
    }

    @Test("products that share a launch role with different policies are refused, naming both; a sibling path must name a product folder")
    func sharedLaunchRoleMustBeOnePolicy() throws {
        let fixture = try WorkspaceFixture()
        defer { fixture.remove() }
        let copy = try String(contentsOf: fixture.root.appendingPathComponent("products/consumer-onboarding/launch-role-policy.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"ssm:GetParameter\"", with: "\"ssm:GetParameters\"")
        try copy.write(to: fixture.root.appendingPathComponent("products/consumer-link/launch-role-policy.json"), atomically: true, encoding: .utf8)
        try fixture.replace("policy: ../consumer-onboarding/launch-role-policy.json", with: "policy: launch-role-policy.json", in: "products/consumer-link/product.yaml")
        try fixture.replace("policy: ../consumer-onboarding/launch-role-policy.json", with: "policy: ../no-such-product/launch-role-policy.json", in: "products/analyst-access/product.yaml")
        let (_, diagnostics) = Workspace.inspect(root: fixture.root)
        let lines = diagnostics.map(\.description)
        #expect(lines.contains { $0.hasPrefix("products/consumer-onboarding/product.yaml: launchRole.policy: products \"consumer-link\" and \"consumer-onboarding\" share launch role \"VendConsumerOnboardingLaunchRole\" with different policies") },
                "\(lines.joined(separator: "\n"))")
        #expect(lines.contains { $0.hasPrefix("products/analyst-access/product.yaml: launchRole.policy: \"launch-role-policy.json\" does not exist") && $0.contains("products/no-such-product/") })
        // The same copy, byte for byte, is one policy: nothing to report.
        let same = try Data(contentsOf: fixture.root.appendingPathComponent("products/consumer-onboarding/launch-role-policy.json"))
        try same.write(to: fixture.root.appendingPathComponent("products/consumer-link/launch-role-policy.json"))
        try fixture.replace("policy: ../no-such-product/launch-role-policy.json", with: "policy: ../consumer-onboarding/launch-role-policy.json", in: "products/analyst-access/product.yaml")
        #expect(Workspace.inspect(root: fixture.root).1.isEmpty)
    }

    @Test("asking for a product that does not exist names the ones that do")
    func unknownProduct() throws {
        #expect(throws: ValidationFailure.self) { try Workspace.load(root: Golden.repositoryRoot(), only: ["nope"]) }
        let (_, diagnostics) = Workspace.inspect(root: Golden.repositoryRoot(), only: ["nope"])
        #expect(diagnostics.contains { $0.message == "there is no product \"nope\"" && $0.hint.contains("\"producer-onboarding\"") })
    }
}
