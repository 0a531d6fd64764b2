import Foundation
import Testing
import VendModel
import VendTestSupport

/// Each case breaks one thing in a copy of the real workspace; all are broken together so the
/// test also proves that validation reports every problem at once.
@Suite("Broken product definitions")
struct BrokenProductTests {
    /// An empty `old` means "no further edit: the previous one causes this diagnostic too".
    /// (file, text to replace, replacement, expected file:field of the diagnostic, expected words in the message)
    static let breakages: [(file: String, old: String, new: String, place: String, words: String)] = [
        ("products/producer-onboarding/product.yaml", "version: 1.1.0", "version: \"1.0\"", "products/producer-onboarding/product.yaml: version", "\"1.0\" is not a semantic version"),
        ("products/producer-onboarding/product.yaml", "owner: Data Platform Team", "ownr: Data Platform Team", "products/producer-onboarding/product.yaml: owner", "is missing"),
        ("products/producer-onboarding/product.yaml", "", "", "products/producer-onboarding/product.yaml: ownr", "is not a known field"),
        ("products/consumer-registration/product.yaml", "launchedIn: central", "launchedIn: everywhere", "products/consumer-registration/product.yaml: launchedIn", "\"everywhere\" is not allowed"),
        ("products/consumer-registration/product.yaml", "template: template.yaml", "template: missing.yaml", "products/consumer-registration/product.yaml: template", "\"missing.yaml\" does not exist"),
        ("products/consumer-registration/product.yaml", "policy: launch-role-policy.json", "policy: ../../vend.yaml", "products/consumer-registration/product.yaml: launchRole.policy", "leaves the product folder"),
        ("products/producer-registration/product.yaml", "key: classification", "key: colour", "products/producer-registration/product.yaml: tagOptions[0].key", "\"colour\" is not one of the mesh's tag keys"),
        ("products/producer-registration/product.yaml", "targetType:", "#targetType:", "products/producer-registration/product.yaml: serviceActions[0].targetType", "is missing"),
        ("products/producer-registration/actions/add-data-source.yaml", "schemaVersion: \"0.3\"", "schemaVersion: \"2.2\"", "products/producer-registration/actions/add-data-source.yaml: schemaVersion", "Automation documents need \"0.3\""),
        ("products/producer-registration/actions/add-data-source.yaml", "{{ DatabaseName }}", "{{ DataBaseName }}", "products/producer-registration/actions/add-data-source.yaml: mainSteps[0].inputs", "{{ DataBaseName }} is neither a parameter"),
        ("products/producer-onboarding/template.yaml", "CentralAccountId:", "CentralAccount:", "products/producer-onboarding/product.yaml: parameters", "template parameter \"CentralAccount\" is not listed"),
        ("products/producer-onboarding/template.yaml", "BlockPublicPolicy: true", "BlockPublicPolicy: false", "products/producer-onboarding/template.yaml: Resources.DataBucket.Properties.PublicAccessBlockConfiguration.BlockPublicPolicy", "does not block public access"),
        ("products/producer-onboarding/template.yaml", "aws:SecureTransport", "aws:SecureTransportX", "products/producer-onboarding/template.yaml: Resources.DataBucketPolicy.Properties.PolicyDocument", "does not deny non-TLS requests"),
        ("products/producer-onboarding/launch-role-policy.json", "\"s3:CreateBucket\"", "\"s3:*\"", "products/producer-onboarding/launch-role-policy.json: Statement[", "\"s3:*\" allows every S3 action"),
        ("products/consumer-onboarding/launch-role-policy.json", "\"cloudformation:SetStackPolicy\"", "\"cloudformation:SetStackPolicy\", \"ec2:RunInstances\"", "products/consumer-onboarding/launch-role-policy.json: Statement[0].Action", "\"ec2:RunInstances\" is wider than the products using it (analyst-access, consumer-link, consumer-onboarding) need"),
        ("vend.yaml", "accountId: \"222222222222\"", "accountId: \"2222\"", "vend.yaml: accounts.producers[0].accountId", "\"2222\" is not a 12-digit account id"),
        ("vend.yaml", "regions: [us-east-1]", "regions: [us-east-1, moon-1]", "vend.yaml: regions[1]", "\"moon-1\" is not an AWS region name"),
    ]

    @Test("validation reports every broken field at once, each with file, field and a quoted name")
    func everyProblemAtOnce() throws {
        let fixture = try WorkspaceFixture()
        defer { fixture.remove() }
        for breakage in Self.breakages where !breakage.old.isEmpty {
            try fixture.replace(breakage.old, with: breakage.new, in: breakage.file)
        }
        let (_, diagnostics) = Workspace.inspect(root: fixture.root)
        let lines = diagnostics.map(\.description)
        for breakage in Self.breakages {
            #expect(lines.contains { $0.hasPrefix(breakage.place) && $0.contains(breakage.words) },
                    "no diagnostic \(breakage.place) … \(breakage.words) in:\n\(lines.joined(separator: "\n"))")
        }
        #expect(diagnostics.allSatisfy { !$0.hint.isEmpty || $0.message.contains("—") }, "every diagnostic says what to do")
        let report = ValidationFailure(diagnostics: diagnostics).description
        if let failure = Golden.check(report + "\n", named: "validate-errors.txt") { Issue.record(Comment(rawValue: failure)) }
    }

    @Test("a product that is entirely fine in a broken workspace is still reported as loaded")
    func loadFailsAsAWhole() throws {
        let fixture = try WorkspaceFixture()
        defer { fixture.remove() }
        try fixture.replace("version: 1.1.0", with: "version: one", in: "products/producer-onboarding/product.yaml")
        #expect(throws: ValidationFailure.self) { try Workspace.load(root: fixture.root) }
        // Loading only the healthy products succeeds: problems stay with the product that has them.
        let healthy = try Workspace.load(root: fixture.root, only: ["consumer-onboarding"])
        #expect(healthy.products.count == 1)
    }
}
