import Foundation
import Testing
import VendTestSupport

/// vend holds the keys to a data platform: no command may print or write a secret key or a
/// session token, not even with --verbose.
@Suite("no secret in any output", .serialized)
struct SecretsTests {
    /// The local cloud's secret keys (recognisable test values, see scripts/localcloud/README.md).
    static func secrets(in credentialsFile: String) throws -> [String] {
        let text = try String(contentsOfFile: credentialsFile, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, ["aws_secret_access_key", "aws_session_token"].contains(parts[0]) else { return nil }
            return parts[1]
        }
    }

    @Test("every command, with --verbose and with --output json, keeps secret keys out of stdout, stderr and the files it writes")
    func noSecrets() async throws {
        let harness = try PublishHarness.start()
        defer { harness.stop() }
        let secrets = try Self.secrets(in: harness.cloud.environment["AWS_SHARED_CREDENTIALS_FILE"] ?? "")
        #expect(secrets.count >= 3, "the fixture has secrets to look for")
        let vend = Golden.repositoryRoot().appendingPathComponent(".build/debug/vend").path
        let config = harness.fixture.root.appendingPathComponent("vend.yaml").path
        let out = harness.out.url.path
        let commands: [[String]] = [
            ["validate"], ["build", "--out", out], ["whoami", "--profile", "central"], ["whoami", "--profile", "producer"],
            ["bootstrap"], ["plan", "--dist", out], ["publish", "--out", out], ["share"], ["status"],
        ]
        let logs = try TemporaryDirectory()
        defer { logs.remove() }
        var outputs: [String] = []
        for (index, command) in commands.enumerated() {
            for format in ["text", "json"] {
                let stdout = logs.url.appendingPathComponent("\(index)-\(format).out").path
                let stderr = logs.url.appendingPathComponent("\(index)-\(format).err").path
                let code = try ChildProcess.run(vend, command + ["--config", config, "--verbose", "--output", format],
                                                environment: harness.cloud.environment, stdout: stdout, stderr: stderr)
                #expect(code == 0, "vend \(command.joined(separator: " ")) --output \(format) exited \(code): \((try? String(contentsOfFile: stderr, encoding: .utf8)) ?? "")")
                outputs.append((try String(contentsOfFile: stdout, encoding: .utf8)) + (try String(contentsOfFile: stderr, encoding: .utf8)))
            }
        }
        #expect(outputs.contains { $0.contains("verbose: ") }, "--verbose did log decisions")
        // Files vend wrote: the bundles.
        for file in try FileManager.default.contentsOfDirectory(atPath: out) {
            outputs.append(String(decoding: try Data(contentsOf: URL(fileURLWithPath: out).appendingPathComponent(file)), as: UTF8.self))
        }
        for secret in secrets {
            #expect(!outputs.contains { $0.contains(secret) }, "a secret key appeared in vend's output")
        }
    }
}
