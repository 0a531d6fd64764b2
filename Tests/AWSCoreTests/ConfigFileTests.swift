@testable import AWSCore
import Foundation
import Testing

/// The INI dialect and how the two shared files merge.
@Suite struct ConfigFileTests {
    @Test func parsesSectionsCommentsAndNestedBlocks() throws {
        let file = try INIParser.parse("""
            # comment
            [default]
            region = eu-west-1
            ; another comment
            s3 =
              endpoint_url = http://localhost:9000
              max_concurrent_requests=4
            output=json

            [profile dev]
            role_arn = arn:aws:iam::1:role/x
            """, path: "config")
        #expect(file.sections["default"]?.values["region"] == "eu-west-1")
        #expect(file.sections["default"]?.nested["s3"]?["endpoint_url"] == "http://localhost:9000")
        #expect(file.sections["default"]?.nested["s3"]?["max_concurrent_requests"] == "4")
        #expect(file.sections["default"]?.values["output"] == "json")
        #expect(file.sections["profile dev"]?.values["role_arn"] == "arn:aws:iam::1:role/x")
    }

    @Test func reportsLinesItCannotRead() {
        #expect(throws: INIParseError(path: "c", line: 1, reason: "a setting appears before any [section]")) {
            try INIParser.parse("region = x", path: "c")
        }
        #expect(throws: INIParseError.self) { try INIParser.parse("[default\nx=1", path: "c") }
    }

    @Test func mergesProfilePrefixesAndLetsCredentialsWin() throws {
        let files = InMemoryFileSystem([
            "/home/u/.aws/config": """
                [default]
                region = us-east-1
                [profile dev]
                region = eu-west-1
                aws_access_key_id = FROMCONFIG
                [dev]
                region = ignored-in-config
                [sso-session corp]
                sso_region = eu-central-1
                [services local]
                s3 =
                  endpoint_url = http://localhost:4566
                """,
            "/home/u/.aws/credentials": """
                [dev]
                aws_access_key_id = FROMCREDENTIALS
                aws_secret_access_key = s
                """,
        ])
        let config = try SharedConfig.load(environment: ["HOME": "/home/u"], fileSystem: files)
        #expect(config.value("region", profile: "dev") == "eu-west-1")
        #expect(config.value("aws_access_key_id", profile: "dev") == "FROMCREDENTIALS")
        #expect(config.value("region", profile: "default") == "us-east-1")
        #expect(config.ssoSessions["corp"]?.values["sso_region"] == "eu-central-1")
        #expect(config.services["local"]?.nested["s3"]?["endpoint_url"] == "http://localhost:4566")
    }

    @Test func honoursFileLocationVariables() throws {
        let files = InMemoryFileSystem(["/x/conf": "[profile a]\nregion = ap-south-1\n", "/x/creds": "[a]\naws_access_key_id = K\n"])
        let config = try SharedConfig.load(environment: ["AWS_CONFIG_FILE": "/x/conf", "AWS_SHARED_CREDENTIALS_FILE": "/x/creds"], fileSystem: files)
        #expect(config.value("region", profile: "a") == "ap-south-1")
        #expect(config.value("aws_access_key_id", profile: "a") == "K")
    }

    @Test func profileNamesMayContainSpaces() throws {
        let config = try SharedConfig.load(environment: ["AWS_CONFIG_FILE": "/c"], fileSystem: InMemoryFileSystem(["/c": "[profile  my team ]\nregion = eu-north-1\n"]))
        #expect(config.value("region", profile: "my team") == "eu-north-1")
    }
}

/// The live process runner with real programs.
@Suite struct LocalProcessRunnerTests {
    @Test func capturesStatusAndBothStreamsEvenWhenLarge() async throws {
        let script = "head -c 200000 /dev/zero | tr '\\\\0' e >&2; printf '{\"Version\":1}'; exit 3"
        let result = try await LocalProcessRunner().run(["sh", "-c", script], environment: ["PATH": "/usr/bin:/bin"])
        #expect(result.status == 3)
        #expect(String(decoding: result.stdout, as: UTF8.self) == #"{"Version":1}"#)
        #expect(result.stderr.count == 200_000)
    }

    @Test func missingProgramsFail() async throws {
        let result = try await LocalProcessRunner().run(["vend-no-such-program-xyz"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(result.status != 0)
    }
}
