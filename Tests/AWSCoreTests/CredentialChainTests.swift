@testable import AWSCore
import AWSSigV4
import Foundation
import Logging
import Testing
import VendTestSupport

/// The credential chain over fixture config files with an injected environment.
@Suite struct CredentialChainTests {
    static let config = """
        [default]
        region = eu-west-1

        [profile dev]
        region = eu-west-1

        [profile fromconfig]
        aws_access_key_id = AKIDCONFIG
        aws_secret_access_key = SECRETCONFIG
        credential_process = /bin/creds --profile "fromconfig x"

        [profile admin]
        region = eu-west-1
        role_arn = arn:aws:iam::222222222222:role/Admin
        source_profile = dev
        external_id = ext-1
        role_session_name = vend-test
        duration_seconds = 1800

        [profile chained]
        region = eu-west-1
        role_arn = arn:aws:iam::333333333333:role/Reader
        source_profile = admin

        [profile loop-a]
        role_arn = arn:aws:iam::1:role/A
        source_profile = loop-b

        [profile loop-b]
        role_arn = arn:aws:iam::1:role/B
        source_profile = loop-a

        [profile mfa]
        role_arn = arn:aws:iam::1:role/M
        source_profile = dev
        mfa_serial = arn:aws:iam::1:mfa/me

        [profile envsource]
        role_arn = arn:aws:iam::1:role/E
        credential_source = Environment

        [profile ci]
        role_arn = arn:aws:iam::444444444444:role/CI
        web_identity_token_file = /tokens/ci

        [profile sso]
        region = eu-west-1
        sso_session = corp
        sso_account_id = 555555555555
        sso_role_name = Dev

        [sso-session corp]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = eu-central-1
        """
    static let credentials = """
        [dev]
        aws_access_key_id = AKIDDEV
        aws_secret_access_key = SECRETDEV

        [withprocess]
        credential_process = /bin/creds
        """

    static let assumeRoleXML = """
        <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
        <Credentials><AccessKeyId>ASIAASSUMED</AccessKeyId><SecretAccessKey>SECRETASSUMED</SecretAccessKey>
        <SessionToken>TOKENASSUMED</SessionToken><Expiration>2026-01-02T04:04:05Z</Expiration></Credentials>
        </AssumeRoleResult></AssumeRoleResponse>
        """

    struct Harness {
        var http: StubHTTPClient
        var clock = ManualClock()
        var log = LineCollector()
        var runner = StubProcessRunner { _ in (0, Data(#"{"Version":1,"AccessKeyId":"AKIDPROC","SecretAccessKey":"SECRETPROC","SessionToken":"TOKENPROC","Expiration":"2026-01-02T05:00:00Z"}"#.utf8), Data()) }
        var files: [String: String] = ["/home/u/.aws/config": CredentialChainTests.config, "/home/u/.aws/credentials": CredentialChainTests.credentials]

        init(_ http: StubHTTPClient = StubHTTPClient(responses: [AWSStubResponses.xml(CredentialChainTests.assumeRoleXML)])) { self.http = http }

        func session(_ options: AWSSessionOptions, environment: [String: String] = [:]) throws -> AWSSession {
            let log = self.log
            return try AWSSession.resolve(options, dependencies: AWSDependencies(
                environment: ["HOME": "/home/u"].merging(environment) { $1 }, fileSystem: InMemoryFileSystem(files), http: http,
                clock: clock, processRunner: runner, logger: ClosureLogHandler.logger(level: .debug) { log.append($0) }))
        }
    }

    @Test func environmentKeysComeFirstUnlessProfileIsGiven() async throws {
        let harness = Harness()
        let env = ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "SECRETENV", "AWS_SESSION_TOKEN": "TOKENENV", "AWS_PROFILE": "dev"]
        let session = try harness.session(AWSSessionOptions(), environment: env)
        #expect(session.credentialSource == "environment (AWS_ACCESS_KEY_ID)")
        #expect(try await session.client.credentials.credentials().signing.sessionToken == "TOKENENV")
        let explicit = try harness.session(AWSSessionOptions(profile: "dev"), environment: env)
        #expect(try await explicit.client.credentials.credentials().signing.accessKeyId == "AKIDDEV")
        #expect(explicit.profileSource == "--profile")
    }

    @Test func awsProfileSelectsTheProfile() throws {
        let session = try Harness().session(AWSSessionOptions(), environment: ["AWS_PROFILE": "dev"])
        #expect(session.profile == "dev")
        #expect(session.credentialSource.contains("shared credentials file"))
        #expect(session.region == "eu-west-1")
    }

    @Test func credentialsFileKeysBeatCredentialProcessWhichBeatsConfigKeys() async throws {
        let harness = Harness()
        let fromConfig = try harness.session(AWSSessionOptions(profile: "fromconfig", region: "us-east-1"))
        #expect(fromConfig.credentialSource == "credential_process (profile 'fromconfig')")
        let keys = try await fromConfig.client.credentials.credentials()
        #expect(keys.signing.accessKeyId == "AKIDPROC")
        #expect(harness.runner.runs == [["/bin/creds", "--profile", "fromconfig x"]])
    }

    @Test func credentialProcessFailuresAreExplained() async throws {
        var harness = Harness()
        harness.runner = StubProcessRunner { _ in (3, Data(), Data("token expired".utf8)) }
        let session = try harness.session(AWSSessionOptions(profile: "withprocess", region: "us-east-1"))
        await #expect(throws: CredentialError.self) { try await session.client.credentials.credentials() }
        do { _ = try await session.client.credentials.credentials() } catch let error as CredentialError {
            #expect(error.kind == .processFailed)
            #expect(error.description.contains("status 3: token expired"))
        }
    }

    @Test func assumeRoleSignsWithTheSourceProfileAndSendsItsSettings() async throws {
        let harness = Harness()
        let session = try harness.session(AWSSessionOptions(profile: "admin"))
        let keys = try await session.client.credentials.credentials()
        #expect(keys.signing.accessKeyId == "ASIAASSUMED")
        #expect(keys.expiration == AWSTimestamp.parse("2026-01-02T04:04:05Z"))
        let request = try #require(harness.http.requests.first)
        #expect(request.url == "https://sts.eu-west-1.amazonaws.com/")
        let body = String(decoding: request.body, as: UTF8.self)
        #expect(body == "Action=AssumeRole&DurationSeconds=1800&ExternalId=ext-1&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FAdmin&RoleSessionName=vend-test&Version=2011-06-15")
        #expect(request.headers.first { $0.name == "authorization" }?.value.contains("Credential=AKIDDEV/") == true)
        // Cached: no second STS call.
        _ = try await session.client.credentials.credentials()
        #expect(harness.http.requests.count == 1)
    }

    @Test func chainedRolesAssumeInOrder() async throws {
        let harness = Harness()
        let session = try harness.session(AWSSessionOptions(profile: "chained"))
        _ = try await session.client.credentials.credentials()
        #expect(harness.http.requests.count == 2)
        #expect(String(decoding: harness.http.requests[0].body, as: UTF8.self).contains("role%2FAdmin"))
        #expect(String(decoding: harness.http.requests[1].body, as: UTF8.self).contains("role%2FReader"))
        #expect(harness.http.requests[1].headers.first { $0.name == "authorization" }?.value.contains("Credential=ASIAASSUMED/") == true)
        #expect(session.credentialSource.contains("arn:aws:iam::333333333333:role/Reader"))
    }

    @Test func sourceProfileCyclesAreRefused() {
        #expect {
            try Harness().session(AWSSessionOptions(profile: "loop-a", region: "us-east-1"))
        } throws: { ($0 as? CredentialError)?.kind == .sourceProfileCycle && "\($0)".contains("'loop-a' → 'loop-b' → 'loop-a'") }
    }

    @Test func mfaSerialNeedsACodeVendCannotAskFor() {
        #expect {
            try Harness().session(AWSSessionOptions(profile: "mfa", region: "us-east-1"))
        } throws: { ($0 as? CredentialError)?.kind == .mfaRequired }
    }

    @Test func credentialSourceEnvironment() async throws {
        let harness = Harness()
        let session = try harness.session(AWSSessionOptions(profile: "envsource", region: "us-east-1"),
                                          environment: ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "SECRETENV"])
        _ = try await session.client.credentials.credentials()
        #expect(harness.http.requests.first?.headers.first { $0.name == "authorization" }?.value.contains("Credential=AKIDENV/") == true)
    }

    @Test func webIdentityIsUnsignedAndReadsTheTokenFile() async throws {
        var harness = Harness(StubHTTPClient(responses: [AWSStubResponses.xml(Self.assumeRoleXML.replacingOccurrences(of: "AssumeRoleRe", with: "AssumeRoleWithWebIdentityRe"))]))
        harness.files["/tokens/ci"] = "eyJ.token.sig\n"
        let session = try harness.session(AWSSessionOptions(profile: "ci", region: "us-east-1"))
        #expect(try await session.client.credentials.credentials().signing.accessKeyId == "ASIAASSUMED")
        let request = try #require(harness.http.requests.first)
        #expect(!request.headers.contains { $0.name.lowercased() == "authorization" })
        #expect(String(decoding: request.body, as: UTF8.self).contains("WebIdentityToken=eyJ.token.sig"))
    }

    @Test func webIdentityFromEnvironmentWithoutProfiles() async throws {
        var harness = Harness(StubHTTPClient(responses: [AWSStubResponses.xml(Self.assumeRoleXML.replacingOccurrences(of: "AssumeRoleRe", with: "AssumeRoleWithWebIdentityRe"))]))
        harness.files = ["/tokens/gh": "tok"]
        let session = try harness.session(AWSSessionOptions(region: "us-east-1"), environment: [
            "AWS_WEB_IDENTITY_TOKEN_FILE": "/tokens/gh", "AWS_ROLE_ARN": "arn:aws:iam::1:role/GH", "AWS_ROLE_SESSION_NAME": "gh-run",
        ])
        #expect(session.credentialSource == "web identity (role arn:aws:iam::1:role/GH)")
        _ = try await session.client.credentials.credentials()
        #expect(String(decoding: harness.http.requests[0].body, as: UTF8.self).contains("RoleSessionName=gh-run"))
    }

    @Test func ssoWithoutCachedTokenSaysToLogIn() async throws {
        let session = try Harness().session(AWSSessionOptions(profile: "sso"))
        do {
            _ = try await session.client.credentials.credentials()
            Issue.record("expected an SSO error")
        } catch let error as CredentialError {
            #expect(error.kind == .ssoLoginRequired)
            #expect(error.description.contains("aws sso login --profile sso"))
        }
    }

    @Test func ssoWithCachedTokenCallsGetRoleCredentials() async throws {
        var harness = Harness(StubHTTPClient(responses: [AWSStubResponses.json(#"{"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"SECRETSSO","sessionToken":"TOKENSSO","expiration":1767330000000}}"#)]))
        let provider = SSOCredentialProvider(profile: "sso", sessionName: "corp", startURL: "", accountId: "", roleName: "", cacheDirectory: "/home/u/.aws/sso/cache",
                                             fileSystem: InMemoryFileSystem(), clock: ManualClock(), portal: try Harness().session(AWSSessionOptions(profile: "dev")).serviceClient(.sso))
        harness.files[provider.cachePath] = #"{"accessToken":"BEARER","expiresAt":"2026-01-02T05:00:00Z"}"#
        let session = try harness.session(AWSSessionOptions(profile: "sso"))
        #expect(try await session.client.credentials.credentials().signing.accessKeyId == "ASIASSO")
        let request = try #require(harness.http.requests.first)
        #expect(request.url == "https://portal.sso.eu-central-1.amazonaws.com/federation/credentials?account_id=555555555555&role_name=Dev")
        #expect(request.headers.contains { $0.name == "x-amz-sso_bearer_token" && $0.value == "BEARER" })
        harness.files[provider.cachePath] = #"{"accessToken":"BEARER","expiresAt":"2020-01-01T00:00:00Z"}"#
        let expired = try harness.session(AWSSessionOptions(profile: "sso"))
        await #expect(throws: CredentialError.self) { try await expired.client.credentials.credentials() }
    }

    @Test func missingProfilesAndPartialEnvironmentKeysAreErrors() {
        #expect { try Harness().session(AWSSessionOptions(profile: "nope", region: "us-east-1")) } throws: { ($0 as? CredentialError)?.kind == .profileNotFound }
        #expect { try Harness().session(AWSSessionOptions(region: "us-east-1"), environment: ["AWS_ACCESS_KEY_ID": "A"]) } throws: { ($0 as? CredentialError)?.kind == .invalidConfig }
        var empty = Harness()
        empty.files = [:]
        #expect { try empty.session(AWSSessionOptions(region: "us-east-1"), environment: ["AWS_EC2_METADATA_DISABLED": "true"]) } throws: { ($0 as? CredentialError)?.kind == .notFound }
    }

    @Test func instanceMetadataIsTheLastResortWithIMDSv2() async throws {
        var harness = Harness(StubHTTPClient { request, _ in
            switch (request.method, request.url) {
            case ("PUT", "http://169.254.169.254/latest/api/token"): return HTTPResponse(status: 200, body: Data("IMDSTOKEN".utf8))
            case ("GET", "http://169.254.169.254/latest/meta-data/iam/security-credentials/"): return HTTPResponse(status: 200, body: Data("app-role\n".utf8))
            case ("GET", "http://169.254.169.254/latest/meta-data/iam/security-credentials/app-role"):
                return HTTPResponse(status: 200, body: Data(#"{"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"S","Token":"T","Expiration":"2026-01-02T09:00:00Z"}"#.utf8))
            default: return HTTPResponse(status: 404)
            }
        })
        harness.files = [:]
        let session = try harness.session(AWSSessionOptions(region: "us-east-1"))
        #expect(session.credentialSource.contains("EC2 instance metadata"))
        #expect(try await session.client.credentials.credentials().signing.accessKeyId == "ASIAIMDS")
        #expect(harness.http.requests[1].headers.contains { $0.name == "X-aws-ec2-metadata-token" && $0.value == "IMDSTOKEN" })
    }

    @Test func unreachableInstanceMetadataSaysNoCredentials() async throws {
        var harness = Harness(StubHTTPClient { request, _ in throw HTTPTransportError.timedOut(url: request.url) })
        harness.files = [:]
        let session = try harness.session(AWSSessionOptions(region: "us-east-1"))
        await #expect { try await session.client.credentials.credentials() } throws: { ($0 as? CredentialError)?.kind == .notFound }
    }

    @Test func containerCredentialsWithAuthorizationTokenFile() async throws {
        var harness = Harness(StubHTTPClient(responses: [HTTPResponse(status: 200, body: Data(#"{"AccessKeyId":"ASIAECS","SecretAccessKey":"S","Token":"T","Expiration":"2026-01-02T09:00:00Z"}"#.utf8))]))
        harness.files = ["/var/run/token": "Bearer abc\n"]
        let session = try harness.session(AWSSessionOptions(region: "us-east-1"), environment: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "/var/run/token",
        ])
        #expect(try await session.client.credentials.credentials().signing.accessKeyId == "ASIAECS")
        #expect(harness.http.requests[0].headers.contains { $0.name == "Authorization" && $0.value == "Bearer abc" })
        #expect {
            try harness.session(AWSSessionOptions(region: "us-east-1"), environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://evil.example.com/creds"])
        } throws: { ($0 as? CredentialError)?.kind == .invalidConfig }
    }

    @Test func verboseLogNeverContainsASecretOrToken() async throws {
        let harness = Harness(StubHTTPClient { _, index in
            index == 0 ? AWSStubResponses.xml(CredentialChainTests.assumeRoleXML)
                : AWSStubResponses.xml("<GetCallerIdentityResponse><GetCallerIdentityResult><Account>1</Account></GetCallerIdentityResult></GetCallerIdentityResponse>")
        })
        let session = try harness.session(AWSSessionOptions(profile: "admin"), environment: ["AWS_SESSION_TOKEN": "TOKENENV", "AWS_SECRET_ACCESS_KEY": "SECRETENV", "AWS_ACCESS_KEY_ID": "AKIDENV"])
        _ = try await session.serviceClient(.sts).query("GetCallerIdentity", idempotent: true)
        let text = harness.log.text
        #expect(text.contains("assumes arn:aws:iam::222222222222:role/Admin"))
        for secret in ["SECRETDEV", "SECRETASSUMED", "TOKENASSUMED", "SECRETENV", "TOKENENV"] {
            #expect(!text.contains(secret), "log leaked \(secret)")
        }
    }
}

/// `--endpoint-url` moves the command's calls, not the credential chain's.
@Suite struct CredentialEndpointTests {
    @Test func assumeRoleIgnoresEndpointURLButHonoursConfiguredEndpoints() async throws {
        let harness = CredentialChainTests.Harness()
        let session = try harness.session(AWSSessionOptions(profile: "admin", endpointURL: "http://127.0.0.1:4566"))
        _ = try await session.client.credentials.credentials()
        #expect(harness.http.requests[0].url == "https://sts.eu-west-1.amazonaws.com/")
        #expect(try session.serviceClient(.sts).endpoint.url == "http://127.0.0.1:4566")

        let configured = CredentialChainTests.Harness()
        let viaEnvironment = try configured.session(AWSSessionOptions(profile: "admin"), environment: ["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:4999"])
        _ = try await viaEnvironment.client.credentials.credentials()
        #expect(configured.http.requests[0].url == "http://127.0.0.1:4999/")
    }
}

/// sso_session tokens close to expiry are refreshed with SSO OIDC and written back.
@Suite struct SSOTokenRefreshTests {
    @Test func refreshesAnExpiringTokenAndRewritesTheCache() async throws {
        let clock = ManualClock()  // 2026-01-02T03:04:05Z
        let http = StubHTTPClient { request, _ in
            if request.url.hasSuffix("/token") {
                return AWSStubResponses.json(#"{"accessToken":"NEWBEARER","expiresIn":3600,"refreshToken":"NEWREFRESH","tokenType":"Bearer"}"#)
            }
            return AWSStubResponses.json(#"{"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"S","sessionToken":"T","expiration":1767330000000}}"#)
        }
        let files = MutableFileSystem(["/home/u/.aws/config": CredentialChainTests.config])
        let cachePath = "/home/u/.aws/sso/cache/" + ssoCacheFileName("corp") + ".json"
        files.set(#"{"accessToken":"OLDBEARER","expiresAt":"2026-01-02T03:09:05Z","clientId":"cid","clientSecret":"csecret","refreshToken":"OLDREFRESH","registrationExpiresAt":"2026-03-01T00:00:00Z","region":"eu-central-1","startUrl":"https://corp.awsapps.com/start"}"#, atPath: cachePath)
        let session = try AWSSession.resolve(AWSSessionOptions(profile: "sso"), dependencies: AWSDependencies(
            environment: ["HOME": "/home/u"], fileSystem: files, http: http, clock: clock))
        #expect(try await session.client.credentials.credentials().signing.accessKeyId == "ASIASSO")
        let refresh = try #require(http.requests.first)
        #expect(refresh.url == "https://oidc.eu-central-1.amazonaws.com/token")
        #expect(String(decoding: refresh.body, as: UTF8.self).contains(#""refreshToken":"OLDREFRESH""#))
        #expect(!refresh.headers.contains { $0.name.lowercased() == "authorization" })
        #expect(http.requests[1].headers.contains { $0.name == "x-amz-sso_bearer_token" && $0.value == "NEWBEARER" })
        let rewritten = String(decoding: files.contents(atPath: cachePath) ?? Data(), as: UTF8.self)
        #expect(rewritten.contains(#""accessToken":"NEWBEARER""#))
        #expect(rewritten.contains(#""refreshToken":"NEWREFRESH""#))
        #expect(rewritten.contains(#""expiresAt":"2026-01-02T04:04:05Z""#))
    }
}

/// SHA-1 hex, as the SSO cache names its files.
func ssoCacheFileName(_ text: String) -> String {
    let provider = SSOCredentialProvider(profile: "", sessionName: text, startURL: "", accountId: "", roleName: "", cacheDirectory: "",
                                         fileSystem: InMemoryFileSystem(), clock: ManualClock(),
                                         portal: AWSServiceClient(client: AWSClient(http: StubHTTPClient(responses: []), credentials: StaticCredentialProvider(AWSCredentials(signing: .init(accessKeyId: "", secretAccessKey: ""), source: ""))),
                                                                  service: .sso, endpoint: EndpointResolver.standard(.sso, region: "us-east-1")))
    return String(provider.cachePath.dropFirst().dropLast(".json".count))
}
