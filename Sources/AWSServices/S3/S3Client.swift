import AWSCore
import Foundation

/// The S3 calls vend makes: its artifact bucket and the templates and bundles in it.
public protocol S3Client: Sendable {
    /// CreateBucket in the client's region (LocationConstraint outside us-east-1).
    func createBucket(_ bucket: String) async throws
    /// HeadBucket: nil when the bucket exists and is reachable, the error otherwise.
    func headBucket(_ bucket: String, expectedOwner: String?) async throws
    /// PutBucketVersioning (Enabled / Suspended).
    func putBucketVersioning(_ bucket: String, status: String) async throws
    /// GetBucketVersioning: `Enabled`, `Suspended`, or nil when never set.
    func getBucketVersioning(_ bucket: String) async throws -> String?
    /// PutBucketEncryption with one default rule (`AES256`, or `aws:kms` with a key).
    func putBucketEncryption(_ bucket: String, algorithm: String, kmsKeyId: String?, bucketKeyEnabled: Bool) async throws
    /// GetBucketEncryption: the default algorithm.
    func getBucketEncryption(_ bucket: String) async throws -> String?
    /// PutPublicAccessBlock.
    func putPublicAccessBlock(_ bucket: String, _ block: S3PublicAccessBlock) async throws
    /// GetPublicAccessBlock.
    func getPublicAccessBlock(_ bucket: String) async throws -> S3PublicAccessBlock
    /// PutBucketPolicy (JSON text).
    func putBucketPolicy(_ bucket: String, policy: String) async throws
    /// GetBucketPolicy (JSON text).
    func getBucketPolicy(_ bucket: String) async throws -> String
    /// PutObject in one request.
    func putObject(bucket: String, key: String, body: Data, options: S3PutOptions) async throws -> S3PutResult
    /// HeadObject.
    func headObject(bucket: String, key: String, versionId: String?) async throws -> S3ObjectHead
    /// GetObject: the bytes and the head.
    func getObject(bucket: String, key: String, versionId: String?) async throws -> (body: Data, head: S3ObjectHead)
    /// ListObjectsV2, every page: keys under a prefix.
    func listObjects(bucket: String, prefix: String?) async throws -> [S3ObjectSummary]
    /// ListObjectsV2, one page (up to 1,000 keys, in key order) and the token of the next, if any.
    func listObjectsPage(bucket: String, prefix: String?, continuationToken: String?) async throws -> (objects: [S3ObjectSummary], next: String?)
    /// DeleteObject (a delete marker in a versioned bucket, or one version when given); with
    /// `ifMatch`, only while the object's ETag is that one (412 `PreconditionFailed` otherwise).
    func deleteObject(bucket: String, key: String, versionId: String?, ifMatch: String?) async throws
    /// Uploads a file, with multipart above `LiveS3Client.multipartThreshold` (SHA-256 checksums on every part).
    func uploadFile(bucket: String, key: String, file: URL, options: S3PutOptions) async throws -> S3PutResult
}

extension S3Client {
    /// DeleteObject without a condition.
    public func deleteObject(bucket: String, key: String, versionId: String?) async throws {
        try await deleteObject(bucket: bucket, key: key, versionId: versionId, ifMatch: nil)
    }
}

/// S3 over AWSCore's REST-XML: path-style for custom endpoints and IP hosts, virtual-hosted otherwise.
public struct LiveS3Client: S3Client {
    /// The service client.
    public let service: AWSServiceClient
    /// Parts above this size go multipart.
    public var multipartThreshold: Int = 16 * 1024 * 1024
    /// The size of each part (S3's minimum is 5 MiB).
    public var partSize: Int = 8 * 1024 * 1024

    /// Creates the client for a session.
    public init(session: AWSSession) throws { service = try session.serviceClient(.s3) }
    /// Creates the client over a service client.
    public init(service: AWSServiceClient) { self.service = service }

    /// Whether a bucket is addressed in the path (custom endpoint, IP host, or a name DNS cannot carry).
    public func usesPathStyle(_ bucket: String) -> Bool {
        let endpoint = service.endpoint
        if endpoint.isCustom || endpoint.isIPAddress { return true }
        let dnsSafe = bucket.count >= 3 && bucket.count <= 63 && !bucket.contains("..")
            && bucket.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" || ($0 == "." && endpoint.scheme == "http") }
        return !dnsSafe
    }

    /// One S3 call; when S3 answers that the bucket lives in another region, the call is
    /// sent once more, signed for (and, on AWS's endpoints, addressed to) that region.
    func call(_ operation: String, method: String, bucket: String, key: String? = nil, query: [(name: String, value: String)] = [],
              headers: [(name: String, value: String)] = [], body: Data = Data(), idempotent: Bool = true) async throws -> HTTPResponse {
        do {
            return try await send(operation, method: method, bucket: bucket, key: key, query: query, headers: headers, body: body, idempotent: idempotent)
        } catch let error as AWSServiceError where [301, 307, 400].contains(error.status) && error.bucketRegion.map({ $0 != service.region }) == true {
            guard let region = error.bucketRegion else { throw error }
            var endpoint = service.endpoint.isCustom ? service.endpoint : EndpointResolver.standard(.s3, region: region)
            endpoint.signingRegion = region
            let moved = LiveS3Client(service: AWSServiceClient(client: service.client, service: service.service, endpoint: endpoint))
            return try await moved.send(operation, method: method, bucket: bucket, key: key, query: query, headers: headers, body: body, idempotent: idempotent)
        }
    }

    /// One S3 call, addressed path-style or virtual-hosted.
    func send(_ operation: String, method: String, bucket: String, key: String? = nil, query: [(name: String, value: String)] = [],
              headers: [(name: String, value: String)] = [], body: Data = Data(), idempotent: Bool = true) async throws -> HTTPResponse {
        if let key, key.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == "." || $0 == ".." }) {
            // libcurl rewrites dot segments in the path, so the request would not arrive as signed.
            throw AWSClientError("S3 key \"\(key)\" has a \".\" or \"..\" path segment, which the HTTP library rewrites before sending — use a key without such segments")
        }
        let keyPath = key.map { "/" + $0 } ?? "/"
        if usesPathStyle(bucket) {
            let path = "/\(bucket)" + (key.map { "/" + $0 } ?? "")
            return try await service.restXML(operation, method: method, path: path, query: query, headers: headers, body: body, idempotent: idempotent)
        }
        return try await service.restXML(operation, method: method, path: keyPath, query: query, headers: headers, body: body,
                                         idempotent: idempotent, hostPrefix: "\(bucket).")
    }

    /// An XML configuration body with its `Content-MD5` (S3 requires one on these PUTs).
    func xmlBody(_ xml: String) -> (Data, [(name: String, value: String)]) {
        let data = Data(xml.utf8)
        return (data, [("Content-Type", "application/xml"), ("Content-MD5", Checksums.md5Base64(data))])
    }

    /// CreateBucket.
    public func createBucket(_ bucket: String) async throws {
        var body = Data()
        var headers: [(name: String, value: String)] = []
        if service.region != "us-east-1" {
            (body, headers) = xmlBody("<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>\(XMLEscape.text(service.region))</LocationConstraint></CreateBucketConfiguration>")
        }
        _ = try await call("CreateBucket", method: "PUT", bucket: bucket, headers: headers, body: body)
    }

    /// HeadBucket.
    public func headBucket(_ bucket: String, expectedOwner: String?) async throws {
        _ = try await call("HeadBucket", method: "HEAD", bucket: bucket, headers: expectedOwner.map { [("x-amz-expected-bucket-owner", $0)] } ?? [])
    }

    /// PutBucketVersioning.
    public func putBucketVersioning(_ bucket: String, status: String) async throws {
        let (body, headers) = xmlBody("<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>\(XMLEscape.text(status))</Status></VersioningConfiguration>")
        _ = try await call("PutBucketVersioning", method: "PUT", bucket: bucket, query: [("versioning", "")], headers: headers, body: body)
    }

    /// GetBucketVersioning.
    public func getBucketVersioning(_ bucket: String) async throws -> String? {
        let response = try await call("GetBucketVersioning", method: "GET", bucket: bucket, query: [("versioning", "")])
        return try service.parseXML(response, operation: "GetBucketVersioning").string("Status")
    }

    /// PutBucketEncryption.
    public func putBucketEncryption(_ bucket: String, algorithm: String, kmsKeyId: String?, bucketKeyEnabled: Bool) async throws {
        let key = kmsKeyId.map { "<KMSMasterKeyID>\(XMLEscape.text($0))</KMSMasterKeyID>" } ?? ""
        let (body, headers) = xmlBody("""
            <ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ApplyServerSideEncryptionByDefault>\
            <SSEAlgorithm>\(XMLEscape.text(algorithm))</SSEAlgorithm>\(key)</ApplyServerSideEncryptionByDefault>\
            <BucketKeyEnabled>\(bucketKeyEnabled)</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>
            """)
        _ = try await call("PutBucketEncryption", method: "PUT", bucket: bucket, query: [("encryption", "")], headers: headers, body: body)
    }

    /// GetBucketEncryption.
    public func getBucketEncryption(_ bucket: String) async throws -> String? {
        let response = try await call("GetBucketEncryption", method: "GET", bucket: bucket, query: [("encryption", "")])
        return try service.parseXML(response, operation: "GetBucketEncryption").descendant("SSEAlgorithm")?.text
    }

    /// PutPublicAccessBlock.
    public func putPublicAccessBlock(_ bucket: String, _ block: S3PublicAccessBlock) async throws {
        let (body, headers) = xmlBody("""
            <PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\
            <BlockPublicAcls>\(block.BlockPublicAcls)</BlockPublicAcls><IgnorePublicAcls>\(block.IgnorePublicAcls)</IgnorePublicAcls>\
            <BlockPublicPolicy>\(block.BlockPublicPolicy)</BlockPublicPolicy><RestrictPublicBuckets>\(block.RestrictPublicBuckets)</RestrictPublicBuckets>\
            </PublicAccessBlockConfiguration>
            """)
        _ = try await call("PutPublicAccessBlock", method: "PUT", bucket: bucket, query: [("publicAccessBlock", "")], headers: headers, body: body)
    }

    /// GetPublicAccessBlock.
    public func getPublicAccessBlock(_ bucket: String) async throws -> S3PublicAccessBlock {
        let response = try await call("GetPublicAccessBlock", method: "GET", bucket: bucket, query: [("publicAccessBlock", "")])
        let root = try service.parseXML(response, operation: "GetPublicAccessBlock")
        return S3PublicAccessBlock(BlockPublicAcls: root.string("BlockPublicAcls") == "true", IgnorePublicAcls: root.string("IgnorePublicAcls") == "true",
                                   BlockPublicPolicy: root.string("BlockPublicPolicy") == "true", RestrictPublicBuckets: root.string("RestrictPublicBuckets") == "true")
    }

    /// PutBucketPolicy.
    public func putBucketPolicy(_ bucket: String, policy: String) async throws {
        let body = Data(policy.utf8)
        _ = try await call("PutBucketPolicy", method: "PUT", bucket: bucket, query: [("policy", "")],
                           headers: [("Content-Type", "application/json"), ("Content-MD5", Checksums.md5Base64(body))], body: body)
    }

    /// GetBucketPolicy.
    public func getBucketPolicy(_ bucket: String) async throws -> String {
        let response = try await call("GetBucketPolicy", method: "GET", bucket: bucket, query: [("policy", "")])
        return String(decoding: response.body, as: UTF8.self)
    }

    /// PutObject with a SHA-256 checksum.
    public func putObject(bucket: String, key: String, body: Data, options: S3PutOptions) async throws -> S3PutResult {
        let headers = options.headers + options.conditionHeaders + [("x-amz-checksum-sha256", Checksums.sha256Base64(body))]
        let response = try await call("PutObject", method: "PUT", bucket: bucket, key: key, headers: headers, body: body)
        return S3PutResult(ETag: response.header("etag"), VersionId: response.header("x-amz-version-id"))
    }

    /// HeadObject.
    public func headObject(bucket: String, key: String, versionId: String?) async throws -> S3ObjectHead {
        let response = try await call("HeadObject", method: "HEAD", bucket: bucket, key: key, query: versionId.map { [("versionId", $0)] } ?? [],
                                      headers: [("x-amz-checksum-mode", "ENABLED")])
        return S3ObjectHead(headers: response.headers)
    }

    /// ListObjectsV2, following continuation tokens.
    public func listObjects(bucket: String, prefix: String?) async throws -> [S3ObjectSummary] {
        try await Paginator.collect { token in
            let page = try await listObjectsPage(bucket: bucket, prefix: prefix, continuationToken: token)
            return (items: page.objects, next: page.next)
        }
    }

    /// ListObjectsV2, one page.
    public func listObjectsPage(bucket: String, prefix: String?, continuationToken: String?) async throws -> (objects: [S3ObjectSummary], next: String?) {
        var query: [(name: String, value: String)] = [("list-type", "2")]
        if let prefix { query.append(("prefix", prefix)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        let response = try await call("ListObjectsV2", method: "GET", bucket: bucket, query: query)
        let root = try service.parseXML(response, operation: "ListObjectsV2")
        let objects = root.all("Contents").map {
            S3ObjectSummary(Key: $0.string("Key") ?? "", Size: $0.string("Size").flatMap { Int($0) }, ETag: $0.string("ETag"),
                            LastModified: $0.string("LastModified").flatMap(AWSTimestamp.parse))
        }
        return (objects, root.string("IsTruncated") == "true" ? root.string("NextContinuationToken") : nil)
    }

    /// DeleteObject. Assumption (S3): general purpose buckets honour `If-Match` on DeleteObject,
    /// answering 412 when the ETag differs and 404 NoSuchKey when there is no object
    /// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html).
    public func deleteObject(bucket: String, key: String, versionId: String?, ifMatch: String?) async throws {
        _ = try await call("DeleteObject", method: "DELETE", bucket: bucket, key: key, query: versionId.map { [("versionId", $0)] } ?? [],
                           headers: ifMatch.map { [("If-Match", $0)] } ?? [])
    }

    /// GetObject.
    public func getObject(bucket: String, key: String, versionId: String?) async throws -> (body: Data, head: S3ObjectHead) {
        let response = try await call("GetObject", method: "GET", bucket: bucket, key: key, query: versionId.map { [("versionId", $0)] } ?? [])
        return (response.body, S3ObjectHead(headers: response.headers))
    }
}
