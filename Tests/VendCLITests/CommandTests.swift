import ArgumentParser
import Foundation
import Testing
import VendBundle
@testable import VendCLI
import VendTestSupport

/// A console that keeps what commands print.
final class CapturedConsole: @unchecked Sendable {
    private let lock = NSLock()
    private var outText = "", errText = ""
    var out: String { lock.withLock { outText } }
    var err: String { lock.withLock { errText } }
    var console: Console {
        Console(out: { text in self.lock.withLock { self.outText += text } }, err: { text in self.lock.withLock { self.errText += text } })
    }
}

@Suite("Package commands, in process")
struct CommandTests {
    static func global(_ arguments: [String]) throws -> GlobalOptions { try GlobalOptions.parse(arguments) }

    @Test("validate prints a table of the repository's products and exits 0")
    func validateRepository() throws {
        let captured = CapturedConsole()
        try ValidateCommand.perform(global: try Self.global([]), currentDirectory: Golden.repositoryRoot(), console: captured.console)
        #expect(captured.out.contains("producer-registration  1.0.0") && captured.out.contains("consumer-onboarding    2.1.0"))
        #expect(captured.err.contains("valid: 6 product(s)"))
    }

    @Test("validate --output json reports every diagnostic as data and exits 1")
    func validateJSON() throws {
        let fixture = try WorkspaceFixture()
        defer { fixture.remove() }
        try fixture.replace("version: 1.1.0", with: "version: 1", in: "products/producer-onboarding/product.yaml")
        try fixture.replace("aws:SecureTransport", with: "aws:Secure", in: "products/consumer-onboarding/template.yaml")
        let captured = CapturedConsole()
        #expect(throws: ExitCode(1)) {
            try ValidateCommand.perform(global: try Self.global(["--output", "json"]), currentDirectory: fixture.root, console: captured.console)
        }
        let report = try JSONSerialization.jsonObject(with: Data(captured.out.utf8)) as? [String: Any]
        #expect(report?["valid"] as? Bool == false)
        let diagnostics = report?["diagnostics"] as? [[String: Any]] ?? []
        #expect(diagnostics.contains { $0["file"] as? String == "products/producer-onboarding/product.yaml" && $0["field"] as? String == "version" })
        #expect(diagnostics.contains { ($0["file"] as? String)?.hasSuffix("consumer-onboarding/template.yaml") == true })
    }

    @Test("a validation failure maps to exit 1 with every problem in the message")
    func errorReport() throws {
        let fixture = try WorkspaceFixture()
        defer { fixture.remove() }
        try fixture.replace("version: 1.1.0", with: "version: 1", in: "products/producer-onboarding/product.yaml")
        do {
            try ValidateCommand.perform(global: try Self.global([]), currentDirectory: fixture.root, console: CapturedConsole().console)
            Issue.record("validate accepted a broken product")
        } catch {
            let report = try #require(ErrorReport(error))
            #expect(report.exitCode == .failure)
            #expect(report.text.contains("products/producer-onboarding/product.yaml: version: \"1\" is not a semantic version"))
        }
    }

    @Test("build writes a bundle per product that verify then accepts; inspect lists the files")
    func buildVerifyInspect() async throws {
        let out = try TemporaryDirectory()
        defer { out.remove() }
        let captured = CapturedConsole()
        try BuildCommand.perform(global: try Self.global(["--config", Golden.repositoryRoot().appendingPathComponent("vend.yaml").path]),
                                 products: ["producer-onboarding"], out: out.url.path, currentDirectory: Golden.repositoryRoot(),
                                 environment: [:], console: captured.console)
        let bundle = out.url.appendingPathComponent("producer-onboarding-1.1.0.tar.gz").path
        #expect(captured.out.contains("producer-onboarding  1.1.0    sha256:"))
        let verified = CapturedConsole()
        try await VerifyCommand.perform(global: try Self.global([]), bundles: [bundle], currentDirectory: out.url, console: verified.console)
        #expect(verified.out.hasPrefix("ok  "))
        let inspected = CapturedConsole()
        try InspectCommand.perform(global: try Self.global(["-o", "json"]), bundle: bundle, currentDirectory: out.url, console: inspected.console)
        let manifest = try JSONDecoder().decode(BundleManifest.self, from: Data(inspected.out.utf8))
        #expect(manifest.files.map(\.path) == ["CHANGELOG.md", "launch-role-policy.json", "product.yaml", "template.yaml"])
    }

    @Test("build refuses a malformed SOURCE_DATE_EPOCH and writes nothing")
    func badEpoch() throws {
        let out = try TemporaryDirectory()
        defer { out.remove() }
        #expect(throws: (any Error).self) {
            try BuildCommand.perform(global: try Self.global([]), products: [], out: out.url.path, currentDirectory: Golden.repositoryRoot(),
                                     environment: ["SOURCE_DATE_EPOCH": "yesterday"], console: CapturedConsole().console)
        }
        #expect((try FileManager.default.contentsOfDirectory(atPath: out.url.path)).isEmpty)
    }

    @Test("verify of an altered bundle fails with exit 1 and a message naming the file")
    func verifyAltered() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let target = directory.url.appendingPathComponent("demo-1.0.0.tar.gz")
        _ = try BundleWriter.write(product: "demo", version: "1.0.0", toolVersion: "t", files: ["a.txt": Data("a".utf8)], to: target)
        var bytes = try Data(contentsOf: target)
        bytes[bytes.count - 9] ^= 0xFF // inside gzip's CRC trailer
        try bytes.write(to: target)
        do {
            try await VerifyCommand.perform(global: try Self.global([]), bundles: [target.path], currentDirectory: directory.url, console: CapturedConsole().console)
            Issue.record("verify accepted an altered bundle")
        } catch {
            let report = try #require(ErrorReport(error))
            #expect(report.exitCode == .failure)
            #expect(report.text.contains(target.path))
        }
    }

    @Test("--verbose and --quiet together are a usage error")
    func usage() {
        #expect(throws: (any Error).self) { _ = try GlobalOptions.parse(["--verbose", "--quiet"]) }
    }

    @Test("subscription commands refuse bad arguments before reaching AWS: a reason RequestAccess would refuse, an unknown state, unsubscribe without --yes")
    func subscriptionUsage() throws {
        let pair = ["--consumer", "analytics", "--domain", "sales"]
        for reason in ["say \"hi\"", "back\\slash", "tab\there", String(repeating: "x", count: 501)] {
            #expect(throws: (any Error).self, "\(reason.prefix(20))") { _ = try SubscribeCommand.parse(pair + ["--reason", reason]) }
        }
        _ = try SubscribeCommand.parse(pair + ["--reason", "revenue dashboards, Q3 (EMEA)"])
        #expect(throws: (any Error).self) { _ = try RequestsCommand.parse(["--state", "done"]) }
        _ = try RequestsCommand.parse(["--state", "expired"])
        #expect(throws: (any Error).self) { _ = try UnsubscribeCommand.parse(pair) }
        _ = try UnsubscribeCommand.parse(pair + ["--yes"])
    }

    @Test("plan and apply refuse bad arguments before reaching AWS: --target without domain=, a saved plan with --target or --prune, two regions")
    func meshUsage() throws {
        #expect(throws: (any Error).self) { _ = try PlanCommand.parse(["--target", "retail"]) }
        #expect(throws: (any Error).self) { _ = try PlanCommand.parse(["--target", "domain="]) }
        _ = try PlanCommand.parse(["--target", "domain=retail", "--target", "domain=sales", "--prune", "--detailed-exitcode", "--out", "p.json"])
        #expect(throws: (any Error).self) { _ = try ApplyCommand.parse(["plan.json", "--target", "domain=retail"]) }
        #expect(throws: (any Error).self) { _ = try ApplyCommand.parse(["plan.json", "--prune"]) }
        #expect(throws: (any Error).self) { _ = try ApplyCommand.parse(["--region", "us-east-1", "--region", "eu-west-1"]) }
        _ = try ApplyCommand.parse(["plan.json"])
        _ = try ApplyCommand.parse(["--yes", "--target", "domain=retail", "--prune"])
        #expect(try PlanCommand.targets(["domain=retail", "domain=sales"]) == ["retail", "sales"])
    }
}
