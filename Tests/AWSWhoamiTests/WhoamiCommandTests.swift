import AWSCore
import Foundation
import Testing
import VendCLI
import VendTestSupport

/// `vend whoami` in process, with fixture files, a stub STS and a capturing console.
@Suite struct WhoamiCommandTests {
    static let identity = AWSStubResponses.xml("""
        <GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::111111111111:user/ci</Arn>
        <UserId>AIDAEXAMPLE</UserId><Account>111111111111</Account></GetCallerIdentityResult></GetCallerIdentityResponse>
        """)

    struct Run {
        var out = LineCollector()
        var err = LineCollector()
        var http = StubHTTPClient(responses: [WhoamiCommandTests.identity])

        func callAsFunction(_ arguments: [String], environment: [String: String] = [:]) async throws {
            let console = Console(out: { [out] in out.append($0) }, err: { [err] in err.append($0) })
            let command = try WhoamiCommand.parse(arguments)
            let files = InMemoryFileSystem([
                "/home/u/.aws/config": "[profile central]\nregion = us-east-1\nendpoint_url = http://127.0.0.1:4566\n",
                "/home/u/.aws/credentials": "[central]\naws_access_key_id = AKIACENTRAL0000WXYZ\naws_secret_access_key = SECRET/central+key\naws_session_token = TOKENcentral\n",
            ])
            let logger = Wiring.logger(verbose: command.global.verbose, console: console)
            try await WhoamiCommand.perform(
                global: command.global, aws: command.aws,
                dependencies: AWSDependencies(environment: ["HOME": "/home/u"].merging(environment) { $1 }, fileSystem: files, http: http,
                                              clock: ManualClock(), logger: logger),
                console: console)
        }
    }

    @Test func textReportNamesEverySource() async throws {
        let run = Run()
        try await run(["--profile", "central"])
        let text = run.out.text
        #expect(text.contains("profile      central"))
        #expect(text.contains("shared credentials file /home/u/.aws/credentials (profile 'central')"))
        #expect(text.contains("http://127.0.0.1:4566"))
        #expect(text.contains("profile endpoint_url"))
        #expect(text.contains("111111111111"))
        #expect(text.contains("***************WXYZ"))
        #expect(run.http.requests.first?.url == "http://127.0.0.1:4566/")
    }

    @Test func jsonReport() async throws {
        let run = Run()
        try await run(["--output", "json"], environment: ["AWS_PROFILE": "central", "AWS_REGION": "eu-west-1"])
        let report = try JSONDecoder().decode(WhoamiCommand.Report.self, from: Data(run.out.text.utf8))
        #expect(report.profileSource == "AWS_PROFILE")
        #expect(report.region == "eu-west-1")
        #expect(report.regionSource == "AWS_REGION")
        #expect(report.account == "111111111111")
    }

    @Test func verboseNeverPrintsASecretOrToken() async throws {
        let run = Run()
        try await run(["--profile", "central", "--verbose"])
        let everything = run.out.text + run.err.text
        #expect(run.err.text.contains("verbose: credentials:"))
        for secret in ["SECRET/central+key", "TOKENcentral"] {
            #expect(!everything.contains(secret), "whoami --verbose printed \(secret)")
        }
    }
}
