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
        #expect(names == ["consumer-onboarding", "consumer-registration", "producer-onboarding", "producer-registration"])
        let registration = workspace?.products.first { $0.definition.name == "producer-registration" }
        #expect(registration?.definition.serviceActions.map(\.name) == ["AddDataSource"])
        #expect(workspace?.config.central.accountId == "111111111111")
        #expect(workspace?.config.tagValues("domain") == ["retail", "analytics"])
    }

    @Test("every file a product names is bundled, and nothing else")
    func bundledFiles() throws {
        let workspace = try Workspace.load(root: Golden.repositoryRoot(), only: ["producer-registration"])
        let product = try #require(workspace.products.first)
        #expect(product.files.keys.sorted() == ["CHANGELOG.md", "actions/add-data-source.yaml", "launch-role-policy.json", "product.yaml", "template.yaml"])
        #expect(product.definition.bundledFiles == product.files.keys.sorted())
    }

    @Test("asking for a product that does not exist names the ones that do")
    func unknownProduct() throws {
        #expect(throws: ValidationFailure.self) { try Workspace.load(root: Golden.repositoryRoot(), only: ["nope"]) }
        let (_, diagnostics) = Workspace.inspect(root: Golden.repositoryRoot(), only: ["nope"])
        #expect(diagnostics.contains { $0.message == "there is no product \"nope\"" && $0.hint.contains("\"producer-onboarding\"") })
    }
}
