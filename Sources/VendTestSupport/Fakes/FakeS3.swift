import AWSCore
import AWSServices
import Foundation

/// S3 as seen from one account: bucket names are global, each bucket has an owner; objects keep
/// their body, metadata and (in a versioned bucket) a version id. Errors carry S3's codes and statuses.
public struct FakeS3: S3Client {
    /// Where the client acts.
    public let context: FakeContext

    /// A client of `context`.
    public init(_ context: FakeContext) { self.context = context }

    /// S3's answer to a conditional write whose condition does not hold.
    static let preconditionFailed = FakeError.make("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", status: 412)

    static func noSuchBucket(_ bucket: String) -> AWSServiceError { FakeError.make("NoSuchBucket", "The specified bucket does not exist: \(bucket)", status: 404) }

    /// Runs `body` on an existing bucket (not found otherwise; another account's bucket is AccessDenied).
    func bucket<T>(_ operation: String, _ name: String, _ body: (inout FakeBucket, inout FakeState) throws -> T) throws -> T {
        try context.call(operation) { state in
            guard var bucket = state.buckets[name] else { throw Self.noSuchBucket(name) }
            guard bucket.owner == context.account else { throw FakeError.make("AccessDenied", "Access Denied", status: 403) }
            defer { state.buckets[name] = bucket }
            return try body(&bucket, &state)
        }
    }

    /// CreateBucket: BucketAlreadyOwnedByYou / BucketAlreadyExists (409) when the name is taken.
    public func createBucket(_ bucket: String) async throws {
        try context.call("CreateBucket") { state in
            if let existing = state.buckets[bucket] {
                throw existing.owner == context.account
                    ? FakeError.make("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.", status: 409)
                    : FakeError.make("BucketAlreadyExists", "The requested bucket name is not available.", status: 409)
            }
            state.buckets[bucket] = FakeBucket(owner: context.account, region: context.region)
        }
    }

    /// HeadBucket: 404 NotFound (no body, as a HEAD answer) or 403 for another owner.
    public func headBucket(_ bucket: String, expectedOwner: String?) async throws {
        try context.call("HeadBucket") { state in
            guard let found = state.buckets[bucket] else { throw FakeError.make("NotFound", "", status: 404) }
            if found.owner != context.account || (expectedOwner != nil && expectedOwner != found.owner) { throw FakeError.make("Forbidden", "", status: 403) }
        }
    }

    /// PutBucketVersioning.
    public func putBucketVersioning(_ bucket: String, status: String) async throws {
        try self.bucket("PutBucketVersioning", bucket) { found, _ in found.versioning = status }
    }

    /// GetBucketVersioning: nil when never set.
    public func getBucketVersioning(_ bucket: String) async throws -> String? {
        try self.bucket("GetBucketVersioning", bucket) { found, _ in found.versioning }
    }

    /// PutBucketEncryption.
    public func putBucketEncryption(_ bucket: String, algorithm: String, kmsKeyId: String?, bucketKeyEnabled: Bool) async throws {
        try self.bucket("PutBucketEncryption", bucket) { found, _ in found.encryption = algorithm }
    }

    /// GetBucketEncryption: ServerSideEncryptionConfigurationNotFoundError when none was set.
    public func getBucketEncryption(_ bucket: String) async throws -> String? {
        try self.bucket("GetBucketEncryption", bucket) { found, _ in
            guard let algorithm = found.encryption else {
                throw FakeError.make("ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found", status: 404)
            }
            return algorithm
        }
    }

    /// PutPublicAccessBlock.
    public func putPublicAccessBlock(_ bucket: String, _ block: S3PublicAccessBlock) async throws {
        try self.bucket("PutPublicAccessBlock", bucket) { found, _ in found.publicAccessBlock = block }
    }

    /// GetPublicAccessBlock: NoSuchPublicAccessBlockConfiguration when none was set.
    public func getPublicAccessBlock(_ bucket: String) async throws -> S3PublicAccessBlock {
        try self.bucket("GetPublicAccessBlock", bucket) { found, _ in
            guard let block = found.publicAccessBlock else {
                throw FakeError.make("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found", status: 404)
            }
            return block
        }
    }

    /// PutBucketPolicy (must be JSON).
    public func putBucketPolicy(_ bucket: String, policy: String) async throws {
        try self.bucket("PutBucketPolicy", bucket) { found, _ in
            guard (try? JSONSerialization.jsonObject(with: Data(policy.utf8))) != nil else { throw FakeError.make("MalformedPolicy", "Policies must be valid JSON") }
            found.policy = policy
        }
    }

    /// GetBucketPolicy: NoSuchBucketPolicy when none.
    public func getBucketPolicy(_ bucket: String) async throws -> String {
        try self.bucket("GetBucketPolicy", bucket) { found, _ in
            guard let policy = found.policy else { throw FakeError.make("NoSuchBucketPolicy", "The bucket policy does not exist", status: 404) }
            return policy
        }
    }

    /// PutObject: replaces the object (a new version id in a versioned bucket). Conditions are checked
    /// atomically with the write, as S3 does: `If-None-Match: *` fails 412 when the key exists; `If-Match`
    /// fails 412 when the ETag differs (quotes ignored) and 404 `NoSuchKey` when there is no object
    /// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
    public func putObject(bucket: String, key: String, body: Data, options: S3PutOptions) async throws -> S3PutResult {
        try self.bucket("PutObject", bucket) { found, state in
            if let condition = options.IfNoneMatch {
                guard condition == "*" else { throw FakeError.make("NotModelledByFake", "If-None-Match other than * is not modelled (S3's writes expect *)", status: 501) }
                if found.objects[key] != nil { throw Self.preconditionFailed }
            }
            if let etag = options.IfMatch {
                guard let existing = found.objects[key] else { throw FakeError.make("NoSuchKey", "The specified key does not exist.", status: 404) }
                if Self.bare(etag) != FakeShapes.etag(existing.body) { throw Self.preconditionFailed }
            }
            let version = found.versioning == "Enabled" ? state.id("v") : nil
            found.objects[key] = FakeObject(body: body, contentType: options.ContentType, metadata: options.Metadata, versionId: version, modified: state.now())
            return S3PutResult(ETag: "\"\(FakeShapes.etag(body))\"", VersionId: version)
        }
    }

    /// The object at `key` (404 NoSuchKey otherwise; only the latest version is kept).
    func object(_ operation: String, bucket: String, key: String, versionId: String?, missing: String) throws -> FakeObject {
        try self.bucket(operation, bucket) { found, _ in
            guard let object = found.objects[key], versionId == nil || versionId == object.versionId else {
                throw FakeError.make(missing, missing == "NoSuchKey" ? "The specified key does not exist." : "", status: 404)
            }
            return object
        }
    }

    /// HeadObject: 404 NotFound without a body.
    public func headObject(bucket: String, key: String, versionId: String?) async throws -> S3ObjectHead {
        FakeShapes.head(try object("HeadObject", bucket: bucket, key: key, versionId: versionId, missing: "NotFound"))
    }

    /// GetObject: 404 NoSuchKey.
    public func getObject(bucket: String, key: String, versionId: String?) async throws -> (body: Data, head: S3ObjectHead) {
        let object = try object("GetObject", bucket: bucket, key: key, versionId: versionId, missing: "NoSuchKey")
        return (object.body, FakeShapes.head(object))
    }

    /// Every object under `prefix` (pages followed).
    public func listObjects(bucket: String, prefix: String?) async throws -> [S3ObjectSummary] {
        var all: [S3ObjectSummary] = []
        var token: String?
        repeat {
            let page = try await listObjectsPage(bucket: bucket, prefix: prefix, continuationToken: token)
            all += page.objects
            token = page.next
        } while token != nil
        return all
    }

    /// ListObjectsV2: keys in UTF-8 order, a page of the cloud's page size.
    public func listObjectsPage(bucket: String, prefix: String?, continuationToken: String?) async throws -> (objects: [S3ObjectSummary], next: String?) {
        let objects = try self.bucket("ListObjectsV2", bucket) { found, _ in
            found.objects.filter { $0.key.hasPrefix(prefix ?? "") }.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
                .map { S3ObjectSummary(Key: $0.key, Size: $0.value.body.count, ETag: "\"\(FakeShapes.etag($0.value.body))\"", LastModified: $0.value.modified) }
        }
        let page = try context.cloud.page(objects, token: continuationToken)
        return (page.items, page.next)
    }

    /// DeleteObject (a missing key is not an error, as on S3, unless `ifMatch` is given: then 404
    /// NoSuchKey, and 412 when the ETag differs, quotes ignored).
    public func deleteObject(bucket: String, key: String, versionId: String?, ifMatch: String?) async throws {
        try self.bucket("DeleteObject", bucket) { found, _ in
            if let etag = ifMatch {
                guard let existing = found.objects[key] else { throw FakeError.make("NoSuchKey", "The specified key does not exist.", status: 404) }
                if etag != "*" && Self.bare(etag) != FakeShapes.etag(existing.body) { throw Self.preconditionFailed }
            }
            found.objects[key] = nil
        }
    }

    /// An ETag without its quotes.
    static func bare(_ etag: String) -> String { etag.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }

    /// Reads the file and puts it.
    public func uploadFile(bucket: String, key: String, file: URL, options: S3PutOptions) async throws -> S3PutResult {
        try await putObject(bucket: bucket, key: key, body: try Data(contentsOf: file), options: options)
    }
}

/// IAM of one account (global): roles with trust policies and inline policies. Policies are
/// stored re-serialised, as IAM reformats what it is given, so callers must compare them as JSON.
public struct FakeIAM: IAMClient {
    /// Where the client acts.
    public let context: FakeContext

    /// A client of `context`.
    public init(_ context: FakeContext) { self.context = context }

    static func noSuchEntity(_ role: String) -> AWSServiceError { FakeError.make("NoSuchEntity", "The role with name \(role) cannot be found.", status: 404) }

    /// A policy as IAM hands it back: the same JSON value, keys reordered, whitespace dropped.
    static func stored(_ policy: String) throws -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(policy.utf8)),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            throw FakeError.make("MalformedPolicyDocument", "The policy is not valid JSON")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// CreateRole: EntityAlreadyExists (409) when the name is taken.
    public func createRole(name: String, path: String?, trustPolicy: String, description: String?, tags: [String: String]) async throws -> IAM.Role {
        try context.call("CreateRole") { state in
            if state.roles[context.account]?[name] != nil { throw FakeError.make("EntityAlreadyExists", "Role with name \(name) already exists.", status: 409) }
            let role = FakeShapes.role(name: name, id: state.id("AROA"), arn: "arn:aws:iam::\(context.account):role\(path ?? "/")\(name)", path: path ?? "/",
                                       trust: try Self.stored(trustPolicy), description: description)
            state.roles[context.account, default: [:]][name] = FakeRole(role: role, policies: [:], tags: tags)
            return role
        }
    }

    /// GetRole: nil when there is none.
    public func getRole(name: String) async throws -> IAM.Role? {
        try context.call("GetRole") { state in state.roles[context.account]?[name]?.role }
    }

    /// Runs `body` on an existing role (NoSuchEntity otherwise).
    func role<T>(_ operation: String, _ name: String, _ body: (inout FakeRole) throws -> T) throws -> T {
        try context.call(operation) { state in
            guard var role = state.roles[context.account]?[name] else { throw Self.noSuchEntity(name) }
            defer { state.roles[context.account, default: [:]][name] = role }
            return try body(&role)
        }
    }

    /// UpdateAssumeRolePolicy.
    public func updateAssumeRolePolicy(roleName: String, policy: String) async throws {
        try role("UpdateAssumeRolePolicy", roleName) { role in role.role.AssumeRolePolicyDocument = try Self.stored(policy) }
    }

    /// DeleteRole: DeleteConflict while inline policies remain.
    public func deleteRole(name: String) async throws {
        try context.call("DeleteRole") { state in
            guard let role = state.roles[context.account]?[name] else { throw Self.noSuchEntity(name) }
            if !role.policies.isEmpty { throw FakeError.make("DeleteConflict", "Cannot delete entity, must delete policies first.", status: 409) }
            state.roles[context.account, default: [:]][name] = nil
        }
    }

    /// PutRolePolicy.
    public func putRolePolicy(roleName: String, policyName: String, policy: String) async throws {
        try role("PutRolePolicy", roleName) { role in role.policies[policyName] = try Self.stored(policy) }
    }

    /// GetRolePolicy: nil when the role or the policy does not exist (the live client reads NoSuchEntity so).
    public func getRolePolicy(roleName: String, policyName: String) async throws -> String? {
        try context.call("GetRolePolicy") { state in state.roles[context.account]?[roleName]?.policies[policyName] }
    }

    /// ListRolePolicies.
    public func listRolePolicies(roleName: String) async throws -> [String] {
        try role("ListRolePolicies", roleName) { role in role.policies.keys.sorted() }
    }

    /// DeleteRolePolicy.
    public func deleteRolePolicy(roleName: String, policyName: String) async throws {
        try role("DeleteRolePolicy", roleName) { role in
            guard role.policies.removeValue(forKey: policyName) != nil else { throw Self.noSuchEntity("\(roleName) policy \(policyName)") }
        }
    }
}
