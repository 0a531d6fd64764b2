import AWSCore
import AWSServices
import AWSSigV4
import Foundation
import Testing
import VendTestSupport

/// What each service client puts on the wire, checked with a stub transport.
@Suite struct ServiceRequestTests {
    static let keys = StaticCredentialProvider(AWSCredentials(signing: SigningCredentials(accessKeyId: "AKIDTEST", secretAccessKey: "SECRET"), source: "test"))

    static func service(_ info: AWSServiceInfo, _ http: StubHTTPClient, endpoint: ResolvedEndpoint? = nil, region: String = "eu-west-1") -> AWSServiceClient {
        AWSServiceClient(client: AWSClient(http: http, credentials: keys, clock: ManualClock(), jitter: { 0 }), service: info,
                         endpoint: endpoint ?? EndpointResolver.standard(info, region: region))
    }

    static func header(_ request: HTTPRequest?, _ name: String) -> String? {
        request?.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    @Test func serviceCatalogSpeaksJSON11WithTargetAndExactMemberNames() async throws {
        let http = StubHTTPClient(responses: [AWSStubResponses.json(#"{"PortfolioDetail":{"Id":"port-abc","DisplayName":"mesh","CreatedTime":1767323045.5}}"#)])
        let sc = LiveServiceCatalogClient(service: Self.service(.serviceCatalog, http))
        let output = try await sc.createPortfolio(ServiceCatalog.CreatePortfolioInput(DisplayName: "mesh", ProviderName: "platform", IdempotencyToken: "tok-1"))
        #expect(output.PortfolioDetail?.Id == "port-abc")
        #expect(output.PortfolioDetail?.CreatedTime == Date(timeIntervalSince1970: 1_767_323_045.5))
        let request = try #require(http.requests.first)
        #expect(request.url == "https://servicecatalog.eu-west-1.amazonaws.com/")
        #expect(Self.header(request, "X-Amz-Target") == "AWS242ServiceCatalogService.CreatePortfolio")
        #expect(Self.header(request, "Content-Type") == "application/x-amz-json-1.1")
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"DisplayName":"mesh","IdempotencyToken":"tok-1","ProviderName":"platform"}"#)
        #expect(Self.header(request, "authorization")?.contains("/eu-west-1/servicecatalog/aws4_request") == true)
    }

    @Test func paginationFollowsTokens() async throws {
        let http = StubHTTPClient { request, index in
            let body = String(decoding: request.body, as: UTF8.self)
            return index == 0 || !body.contains("PageToken")
                ? AWSStubResponses.json(#"{"PortfolioDetails":[{"Id":"port-1"}],"NextPageToken":"p2"}"#)
                : AWSStubResponses.json(#"{"PortfolioDetails":[{"Id":"port-2"}]}"#)
        }
        let portfolios = try await LiveServiceCatalogClient(service: Self.service(.serviceCatalog, http)).allPortfolios()
        #expect(portfolios.map(\.Id) == ["port-1", "port-2"])
        #expect(String(decoding: http.requests[1].body, as: UTF8.self).contains(#""PageToken":"p2""#))
    }

    @Test func serviceCatalogErrorsDecode() async throws {
        let http = StubHTTPClient(responses: [AWSStubResponses.jsonError("ResourceNotFoundException", "Product not found")])
        await #expect(throws: AWSServiceError(code: "ResourceNotFoundException", message: "Product not found", requestId: "req-1", status: 400,
                                              operation: "Service Catalog DescribeProductAsAdmin")) {
            _ = try await LiveServiceCatalogClient(service: Self.service(.serviceCatalog, http)).describeProductAsAdmin(ServiceCatalog.DescribeProductAsAdminInput(Id: "prod-x"))
        }
    }

    @Test func lakeFormationUsesRestJSONPaths() async throws {
        let http = StubHTTPClient(responses: [AWSStubResponses.json(#"{"DataLakeSettings":{"DataLakeAdmins":[{"DataLakePrincipalIdentifier":"arn:aws:iam::1:role/Admin"}]}}"#)])
        let output = try await LiveLakeFormationClient(service: Self.service(.lakeFormation, http)).getDataLakeSettings(LakeFormation.GetDataLakeSettingsRequest(CatalogId: "111111111111"))
        #expect(output.DataLakeSettings?.DataLakeAdmins?.first?.DataLakePrincipalIdentifier == "arn:aws:iam::1:role/Admin")
        #expect(http.requests.first?.url == "https://lakeformation.eu-west-1.amazonaws.com/GetDataLakeSettings")
        #expect(Self.header(http.requests.first, "Content-Type") == "application/json")
    }

    @Test func stsGetCallerIdentityOverQuery() async throws {
        let http = StubHTTPClient(responses: [AWSStubResponses.xml("""
            <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>
            <Arn>arn:aws:iam::111111111111:user/ci</Arn><UserId>AIDA1</UserId><Account>111111111111</Account>
            </GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>
            """)])
        let identity = try await LiveSTSClient(service: Self.service(.sts, http)).getCallerIdentity()
        #expect(identity == CallerIdentity(Account: "111111111111", Arn: "arn:aws:iam::111111111111:user/ci", UserId: "AIDA1"))
        #expect(String(decoding: http.requests[0].body, as: UTF8.self) == "Action=GetCallerIdentity&Version=2011-06-15")
    }

    @Test func cloudFormationFlattensListsAndReadsOutputs() async throws {
        let http = StubHTTPClient { _, index in
            index == 0
                ? AWSStubResponses.xml("<CreateStackResponse><CreateStackResult><StackId>arn:stack/x</StackId></CreateStackResult></CreateStackResponse>")
                : AWSStubResponses.xml("""
                    <DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>x</StackName><StackStatus>CREATE_COMPLETE</StackStatus>
                    <Outputs><member><OutputKey>Bucket</OutputKey><OutputValue>b-1</OutputValue></member></Outputs></member></Stacks></DescribeStacksResult></DescribeStacksResponse>
                    """)
        }
        let cfn = LiveCloudFormationClient(service: Self.service(.cloudFormation, http))
        _ = try await cfn.createStack(CloudFormation.StackInput(StackName: "x", TemplateBody: "{}", Parameters: [.init(ParameterKey: "Env", ParameterValue: "a b")],
                                                                Capabilities: ["CAPABILITY_IAM"], ClientRequestToken: "t"))
        #expect(String(decoding: http.requests[0].body, as: UTF8.self)
                == "Action=CreateStack&Capabilities.member.1=CAPABILITY_IAM&ClientRequestToken=t&Parameters.member.1.ParameterKey=Env&Parameters.member.1.ParameterValue=a%20b&StackName=x&TemplateBody=%7B%7D&Version=2010-05-15")
        let stack = try await cfn.describeStack(name: "x")
        #expect(stack?.Outputs.first?.OutputValue == "b-1")
    }

    @Test func cloudFormationMissingStackIsNil() async throws {
        let http = StubHTTPClient(responses: [AWSStubResponses.queryError("ValidationError", "Stack with id nope does not exist")])
        #expect(try await LiveCloudFormationClient(service: Self.service(.cloudFormation, http)).describeStack(name: "nope") == nil)
    }

    @Test func iamIsGlobalAndSignedForUsEast1() async throws {
        let http = StubHTTPClient(responses: [AWSStubResponses.queryError("NoSuchEntity", "no role", status: 404)])
        #expect(try await LiveIAMClient(service: Self.service(.iam, http)).getRole(name: "r") == nil)
        #expect(http.requests[0].url == "https://iam.amazonaws.com/")
        #expect(Self.header(http.requests[0], "authorization")?.contains("/us-east-1/iam/aws4_request") == true)
    }

    @Test func s3VirtualHostedOnAWSAndPathStyleOnCustomEndpoints() async throws {
        let aws = StubHTTPClient(responses: [HTTPResponse(status: 200, headers: ["ETag": "\"e\""])])
        _ = try await LiveS3Client(service: Self.service(.s3, aws)).putObject(bucket: "vend-artifacts", key: "a b/c+d.yaml", body: Data("x".utf8), options: S3PutOptions())
        #expect(aws.requests[0].url == "https://vend-artifacts.s3.eu-west-1.amazonaws.com/a%20b/c%2Bd.yaml")
        #expect(Self.header(aws.requests[0], "x-amz-content-sha256") == SigV4Signer.hexSHA256(Data("x".utf8)))
        #expect(Self.header(aws.requests[0], "x-amz-checksum-sha256") == Checksums.sha256Base64(Data("x".utf8)))

        let local = StubHTTPClient(responses: [HTTPResponse(status: 200)])
        let endpoint = ResolvedEndpoint(scheme: "http", host: "127.0.0.1", port: 4566, signingRegion: "us-east-1", source: "--endpoint-url")
        try await LiveS3Client(service: Self.service(.s3, local, endpoint: endpoint)).putBucketVersioning("vend-artifacts", status: "Enabled")
        #expect(local.requests[0].url == "http://127.0.0.1:4566/vend-artifacts?versioning=")
        #expect(Self.header(local.requests[0], "Content-MD5") != nil)
    }

    @Test func s3ConditionalPutsSendSignedIfNoneMatchAndIfMatchAndA412IsNotRetried() async throws {
        let http = StubHTTPClient { _, index in
            index < 2 ? HTTPResponse(status: 200, headers: ["ETag": "\"e1\""])
                : AWSStubResponses.xml("<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>", status: 412)
        }
        let s3 = LiveS3Client(service: Self.service(.s3, http))
        let created = try await s3.putObject(bucket: "vend-artifacts", key: "vend/locks/apply.json", body: Data("{}".utf8), options: S3PutOptions(IfNoneMatch: "*"))
        _ = try await s3.putObject(bucket: "vend-artifacts", key: "vend/locks/apply.json", body: Data("{}".utf8), options: S3PutOptions(IfMatch: created.ETag))
        #expect(Self.header(http.requests[0], "If-None-Match") == "*" && Self.header(http.requests[0], "If-Match") == nil)
        #expect(Self.header(http.requests[1], "If-Match") == "\"e1\"" && Self.header(http.requests[1], "If-None-Match") == nil)
        #expect(Self.header(http.requests[0], "authorization")?.contains("if-none-match") == true)
        #expect(Self.header(http.requests[1], "authorization")?.contains("if-match") == true)
        await #expect(throws: AWSServiceError.self) {
            do {
                _ = try await s3.putObject(bucket: "vend-artifacts", key: "k", body: Data(), options: S3PutOptions(IfNoneMatch: "*"))
            } catch let error as AWSServiceError {
                #expect(error.meaning == .preconditionFailed && error.status == 412)
                throw error
            }
        }
        #expect(http.requests.count == 3, "a failed condition is an answer, not a fault: no retry")
    }

    @Test func s3CreateBucketOutsideUsEast1SendsLocationConstraint() async throws {
        let http = StubHTTPClient(responses: [HTTPResponse(status: 200)])
        try await LiveS3Client(service: Self.service(.s3, http)).createBucket("b-1")
        #expect(String(decoding: http.requests[0].body, as: UTF8.self).contains("<LocationConstraint>eu-west-1</LocationConstraint>"))
        let east = StubHTTPClient(responses: [HTTPResponse(status: 200)])
        try await LiveS3Client(service: Self.service(.s3, east, region: "us-east-1")).createBucket("b-1")
        #expect(east.requests[0].body.isEmpty)
        #expect(east.requests[0].url == "https://b-1.s3.amazonaws.com/")
    }

    @Test func multipartUploadsPartsWithChecksumsAndCompletes() async throws {
        let http = StubHTTPClient { request, _ in
            if request.url.hasSuffix("?uploads=") {
                return AWSStubResponses.xml("<InitiateMultipartUploadResult><UploadId>up-1</UploadId></InitiateMultipartUploadResult>")
            }
            if request.method == "PUT" { return HTTPResponse(status: 200, headers: ["ETag": "\"part\""]) }
            return AWSStubResponses.xml("<CompleteMultipartUploadResult><ETag>\"all-3\"</ETag></CompleteMultipartUploadResult>")
        }
        var s3 = LiveS3Client(service: Self.service(.s3, http))
        s3.multipartThreshold = 10
        s3.partSize = 8
        let file = URL(fileURLWithPath: NSTemporaryDirectory() + "vend-multipart-\(UUID().uuidString).bin")
        try Data("0123456789abcdefghijk".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await s3.uploadFile(bucket: "bkt", key: "big", file: file, options: S3PutOptions(IfNoneMatch: "*"))
        #expect(result.ETag == "\"all-3\"")
        // The condition goes on the request that writes the object (CompleteMultipartUpload), not on the create.
        #expect(Self.header(http.requests.first, "If-None-Match") == nil && Self.header(http.requests.last, "If-None-Match") == "*")
        let parts = http.requests.filter { $0.method == "PUT" }
        #expect(parts.map(\.body.count) == [8, 8, 5])
        #expect(parts[0].url.hasSuffix("big?partNumber=1&uploadId=up-1"))
        #expect(Self.header(parts[2], "x-amz-checksum-sha256") == Checksums.sha256Base64(Data("hijk".utf8).prefix(0) + Data("ghijk".utf8)))
        let complete = String(decoding: http.requests.last?.body ?? Data(), as: UTF8.self)
        #expect(complete.contains("<PartNumber>3</PartNumber>"))
    }

    @Test func failedMultipartUploadIsAborted() async throws {
        let http = StubHTTPClient { request, _ in
            if request.url.hasSuffix("?uploads=") {
                return AWSStubResponses.xml("<InitiateMultipartUploadResult><UploadId>up-1</UploadId></InitiateMultipartUploadResult>")
            }
            if request.method == "DELETE" { return HTTPResponse(status: 204) }
            return AWSStubResponses.xml("<Error><Code>AccessDenied</Code></Error>", status: 403)
        }
        var s3 = LiveS3Client(service: Self.service(.s3, http))
        s3.multipartThreshold = 1
        s3.partSize = 5
        let file = URL(fileURLWithPath: NSTemporaryDirectory() + "vend-multipart-\(UUID().uuidString).bin")
        try Data("0123456789".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        await #expect(throws: AWSServiceError.self) { _ = try await s3.uploadFile(bucket: "bkt", key: "k", file: file, options: S3PutOptions()) }
        #expect(http.requests.last?.method == "DELETE")
    }

    @Test func s3RefusesKeysWithDotSegments() async throws {
        let http = StubHTTPClient(responses: [HTTPResponse(status: 200)])
        let s3 = LiveS3Client(service: Self.service(.s3, http))
        for key in ["a/./b", "../up", "x/.."] {
            await #expect(throws: AWSClientError.self) { _ = try await s3.putObject(bucket: "b", key: key, body: Data(), options: S3PutOptions()) }
        }
        _ = try await s3.putObject(bucket: "b", key: "a..b/.hidden/c.", body: Data(), options: S3PutOptions())
        #expect(http.requests.count == 1)
    }

    @Test func s3FollowsTheBucketsRegionOnce() async throws {
        let http = StubHTTPClient { request, index in
            index == 0
                ? HTTPResponse(status: 301, headers: ["x-amz-bucket-region": "ap-southeast-2"],
                               body: Data("<Error><Code>PermanentRedirect</Code><Message>use the right endpoint</Message></Error>".utf8))
                : HTTPResponse(status: 200)
        }
        try await LiveS3Client(service: Self.service(.s3, http)).headBucket("far-away", expectedOwner: nil)
        #expect(http.requests.count == 2)
        #expect(http.requests[1].url == "https://far-away.s3.ap-southeast-2.amazonaws.com/")
        #expect(Self.header(http.requests[1], "authorization")?.contains("/ap-southeast-2/s3/aws4_request") == true)
    }
}
