import AWSCore
import ArgumentParser
import Foundation
import Testing
import VendCLI
import VendTestSupport

/// The AWS config and credentials cases of the corpus (`Tests/Corpus/aws-config/`), through
/// `vend whoami --profile P` in process with real files and real `credential_process` programs.
/// No case may reach the network: the HTTP client refuses every request, so a case that got
/// that far fails on its message.
@Suite("Bad-input corpus: AWS config and credentials", .timeLimit(.minutes(1)))
struct ConfigCorpusTests {
    /// A text case of the corpus, shown by name.
    struct ConfigCase: CustomTestStringConvertible, Sendable {
        var item: Corpus.Case
        var testDescription: String { item.name }
    }

    static let cases = Corpus.cases("aws-config").map(ConfigCase.init)

    /// Writes the case's files, runs whoami, returns the exit code and the message.
    static func run(config: Data?, credentials: Data?, profile: String, configIsFolder: Bool = false, timeout: TimeInterval = 30) async throws -> (Int32, String) {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let configPath = home.url.appendingPathComponent("config")
        let credentialsPath = home.url.appendingPathComponent("credentials")
        if configIsFolder { try FileManager.default.createDirectory(at: configPath, withIntermediateDirectories: true) }
        try config?.write(to: configPath)
        try credentials?.write(to: credentialsPath)
        let environment = [
            "HOME": home.url.path, "PATH": "/usr/bin:/bin", "AWS_CONFIG_FILE": configPath.path,
            "AWS_SHARED_CREDENTIALS_FILE": credentialsPath.path, "AWS_EC2_METADATA_DISABLED": "true",
        ]
        let http = StubHTTPClient { request, _ in throw HTTPTransportError.connectionFailed(url: request.url, reason: "the corpus allows no network") }
        let command = try WhoamiCommand.parse(["--profile", profile])
        let console = Console(out: { _ in }, err: { _ in })
        do {
            // The hanging case sets a short credential_process timeout (`timeout:` in its .expect).
            try await WhoamiCommand.perform(
                global: command.global, aws: command.aws,
                dependencies: AWSDependencies(environment: environment, fileSystem: LocalFileSystem(), http: http, clock: ManualClock(),
                                              processRunner: LocalProcessRunner(timeout: timeout)),
                console: console)
            return (0, "")
        } catch {
            guard let report = ErrorReport(error) else { return (-1, "unmapped error: \(error)") }
            return (report.exitCode.rawValue, report.text)
        }
    }

    static func check(_ name: String, _ outcome: (Int32, String), _ expect: Corpus.Expectation) {
        let (status, text) = outcome
        #expect(!expect.says.isEmpty, "\(name) has no expectation")
        #expect(status == expect.exit, "\(name): exit \(status), expected \(expect.exit)\n\(text)")
        for fragment in expect.says {
            #expect(text.contains(fragment), "\(name): the message lacks \(fragment.debugDescription):\n\(text)")
        }
        #expect(text.contains(" — ") || text.contains(": use "), "\(name): the message says nothing to do:\n\(text)")
        #expect(!text.contains("keyssecret"), "\(name): a secret key reached the message")
    }

    @Test("config and credentials files", arguments: cases)
    func configCase(_ corpusCase: ConfigCase) async throws {
        let item = corpusCase.item
        let outcome = try await Self.run(config: item.inputs["ini"], credentials: item.inputs["credentials"],
                                         profile: item.expect.values["profile"] ?? "default",
                                         timeout: item.expect.values["timeout"].flatMap(TimeInterval.init) ?? 30)
        Self.check(item.name, outcome, item.expect)
    }

    @Test("a config file that is a folder, or not UTF-8, is answered clearly")
    func generated() async throws {
        let folder = try await Self.run(config: nil, credentials: nil, profile: "central", configIsFolder: true)
        Self.check("aws-config/folder", folder, .init(exit: 1, says: ["it is a folder, not a file — fix the file"]))
        var bytes = Data("[profile central]\nregion = us-east-1\nrole_arn = arn:aws:iam::1:role/caf".utf8)
        bytes.append(contentsOf: [0xE9, 0xFF, 0x0A])
        let latin1 = try await Self.run(config: bytes, credentials: nil, profile: "central")
        Self.check("aws-config/not-utf8", latin1, .init(exit: 1, says: ["line 3", "is not UTF-8"]))
    }
}
