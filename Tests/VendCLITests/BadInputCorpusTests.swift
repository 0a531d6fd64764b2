import ArgumentParser
import Foundation
import Testing
@testable import VendCLI
import VendTestSupport

/// One case of the workspace corpus: bytes put at a path of a workspace copy, and what vend
/// must answer (the exit code and fragments of the message).
struct CorpusCase: CustomTestStringConvertible, Sendable {
    /// `<kind>/<case>`, the name shown per test.
    var name: String
    /// Where the bytes go, relative to the workspace root.
    var target: String
    /// What to put there: bytes, or a folder (nil).
    var bytes: Data?
    /// The exit code.
    var exit: Int32
    /// Fragments the message must contain.
    var says: [String]

    var testDescription: String { name }

    /// The text cases of `Tests/Corpus/<kind>/`, each put at `target`.
    static func load(kind: String, target: String) -> [CorpusCase] {
        Corpus.cases(kind).map { item in
            // A case without an input file gets text that matches no expectation, so it fails.
            let bytes = item.inputs.first { ["yaml", "json"].contains($0.key) }?.value ?? Data("missing input for \(item.name)".utf8)
            return CorpusCase(name: item.name, target: target, bytes: bytes, exit: item.expect.exit, says: item.expect.says)
        }
    }
}

/// Every broken or hostile workspace file of the corpus, through `vend validate` in process:
/// the exit code and the message (file, field, what to do). A crash would end the test run,
/// a hang would hit the time limit.
@Suite("Bad-input corpus: vend validate", .timeLimit(.minutes(1)))
struct BadInputCorpusTests {
    static let vendYAMLPath = "vend.yaml"
    static let productPath = "products/producer-onboarding/product.yaml"
    static let templatePath = "products/producer-onboarding/template.yaml"
    static let actionPath = "products/producer-registration/actions/add-data-source.yaml"

    /// Cases generated here: too big, not UTF-8, or not a file at all.
    static func generated(_ target: String, kind: String) -> [CorpusCase] {
        let tenMB = Data(("description: \"" + String(repeating: "x", count: 10 << 20) + "\"\n").utf8)
        let longList = Data(("regions:\n" + String(repeating: "  - us-east-1\n", count: 100_000)).utf8)
        let flatList = Data(("regions: [" + Array(repeating: "a", count: 100_001).joined(separator: ",") + "]\n").utf8)
        var latin1 = Data("description: caf".utf8)
        latin1.append(contentsOf: [0xE9, 0x0A, 0xFF, 0xFE])
        var cases = [
            CorpusCase(name: "\(kind)/huge-10MB-string", target: target, bytes: tenMB, exit: 1,
                       says: ["\(tenMB.count) bytes", "limit", " — "]),
            CorpusCase(name: "\(kind)/not-utf8", target: target, bytes: latin1, exit: 1, says: ["\(target)", "is not valid UTF-8 — save it as UTF-8"]),
            CorpusCase(name: "\(kind)/folder-instead-of-file", target: target, bytes: nil, exit: 1, says: ["is a folder, not a file — "]),
        ]
        if kind == "vend-yaml" {
            cases.append(CorpusCase(name: "\(kind)/100k-item-list", target: target, bytes: longList, exit: 1,
                                    says: ["vend.yaml: is \(longList.count) bytes", "limit"]))
            cases.append(CorpusCase(name: "\(kind)/100k-item-flow-list", target: target, bytes: flatList, exit: 1,
                                    says: ["vend.yaml: has more than 100000 YAML nodes once aliases are expanded", " — "]))
        }
        return cases
    }

    static let vendYAMLCases = CorpusCase.load(kind: "vend-yaml", target: vendYAMLPath) + generated(vendYAMLPath, kind: "vend-yaml")
    static let productCases = CorpusCase.load(kind: "product-yaml", target: productPath) + generated(productPath, kind: "product-yaml")
    static let templateCases = CorpusCase.load(kind: "template", target: templatePath) + generated(templatePath, kind: "template")
    static let actionCases = CorpusCase.load(kind: "action-document", target: actionPath) + generated(actionPath, kind: "action-document")

    /// Puts the case into a workspace copy, runs `vend validate` and checks the answer.
    static func check(_ corpusCase: CorpusCase) throws {
        let fixture = try WorkspaceFixture()
        defer { fixture.remove() }
        let url = fixture.root.appendingPathComponent(corpusCase.target)
        try FileManager.default.removeItem(at: url)
        if let bytes = corpusCase.bytes {
            try bytes.write(to: url)
        } else {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        let captured = CapturedConsole()
        let (status, text) = outcome {
            try ValidateCommand.perform(global: try GlobalOptions.parse([]), currentDirectory: fixture.root, console: captured.console)
        }
        #expect(!corpusCase.says.isEmpty, "\(corpusCase.name) has no expectation")
        #expect(status == corpusCase.exit, "\(corpusCase.name): exit \(status), expected \(corpusCase.exit)\n\(text)")
        for fragment in corpusCase.says {
            #expect(text.contains(fragment), "\(corpusCase.name): the message lacks \(fragment.debugDescription):\n\(text)")
        }
        // Every problem line names a file and says what to do.
        for line in text.split(separator: "\n").dropFirst() {
            #expect(line.contains(".yaml") || line.contains(".json"), "\(corpusCase.name): a line names no file: \(line)")
            #expect(line.contains(" — "), "\(corpusCase.name): a line says nothing to do: \(line)")
        }
    }

    @Test("vend.yaml", arguments: vendYAMLCases)
    func vendYAML(_ corpusCase: CorpusCase) throws { try Self.check(corpusCase) }

    @Test("product.yaml", arguments: productCases)
    func product(_ corpusCase: CorpusCase) throws { try Self.check(corpusCase) }

    @Test("templates", arguments: templateCases)
    func template(_ corpusCase: CorpusCase) throws { try Self.check(corpusCase) }

    @Test("SSM action documents", arguments: actionCases)
    func actionDocument(_ corpusCase: CorpusCase) throws { try Self.check(corpusCase) }

    @Test("a missing vend.yaml names the file and what to do")
    func missingConfig() throws {
        let fixture = try WorkspaceFixture()
        defer { fixture.remove() }
        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("vend.yaml"))
        let (status, text) = outcome {
            try ValidateCommand.perform(global: try GlobalOptions.parse([]), currentDirectory: fixture.root, console: CapturedConsole().console)
        }
        #expect(status == 1)
        #expect(text.contains("vend.yaml: cannot read vend.yaml"))
        #expect(text.contains("— check that the file exists and is readable"))
    }
}

/// Runs a command body and returns the exit code and the text the user would read, as `VendMain` reports them.
func outcome(_ body: () throws -> Void) -> (Int32, String) {
    do {
        try body()
        return (0, "")
    } catch let exit as ExitCode {
        return (exit.rawValue, "")
    } catch {
        guard let report = ErrorReport(error) else { return (-1, "unmapped error: \(error)") }
        return (report.exitCode.rawValue, report.text)
    }
}
