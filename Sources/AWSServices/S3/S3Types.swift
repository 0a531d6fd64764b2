import AWSCore
import Foundation

/// What HeadObject (and GetObject) tell about an object.
public struct S3ObjectHead: Sendable, Equatable {
    /// Size in bytes.
    public var ContentLength: Int?
    /// The entity tag, quotes included as S3 sends it.
    public var ETag: String?
    /// `Content-Type`.
    public var ContentType: String?
    /// The version id, when the bucket is versioned.
    public var VersionId: String?
    /// When it was last written.
    public var LastModified: Date?
    /// The stored SHA-256 checksum (base64), when the upload sent one.
    public var ChecksumSHA256: String?
    /// `x-amz-meta-*` values, keys without the prefix.
    public var Metadata: [String: String]

    /// Reads the head from response headers.
    init(headers: [String: String]) {
        ContentLength = headers["content-length"].flatMap { Int($0) }
        ETag = headers["etag"]
        ContentType = headers["content-type"]
        VersionId = headers["x-amz-version-id"]
        LastModified = headers["last-modified"].flatMap(AWSTimestamp.parse)
        ChecksumSHA256 = headers["x-amz-checksum-sha256"]
        var metadata: [String: String] = [:]
        for (name, value) in headers where name.hasPrefix("x-amz-meta-") { metadata[String(name.dropFirst("x-amz-meta-".count))] = value }
        Metadata = metadata
    }
}

/// What PutObject (or a completed multipart upload) returns.
public struct S3PutResult: Sendable, Equatable {
    /// The entity tag.
    public var ETag: String?
    /// The new version id, when the bucket is versioned.
    public var VersionId: String?
    /// Creates a result.
    public init(ETag: String?, VersionId: String?) {
        self.ETag = ETag
        self.VersionId = VersionId
    }
}

/// Options for writing an object.
public struct S3PutOptions: Sendable, Equatable {
    /// `Content-Type`.
    public var ContentType: String?
    /// `x-amz-server-side-encryption`: `AES256` or `aws:kms`.
    public var ServerSideEncryption: String?
    /// `x-amz-server-side-encryption-aws-kms-key-id`.
    public var SSEKMSKeyId: String?
    /// `x-amz-meta-*` values.
    public var Metadata: [String: String]
    /// `x-amz-expected-bucket-owner`.
    public var ExpectedBucketOwner: String?
    /// `If-None-Match`: `*` writes only when no object has the key. S3 answers 412 `PreconditionFailed`
    /// when one does, and 409 `ConditionalRequestConflict` when another conditional write to the key
    /// is in flight (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
    public var IfNoneMatch: String?
    /// `If-Match`: writes only over the object with this ETag. S3 answers 412 `PreconditionFailed`
    /// when the ETag differs, 404 `NoSuchKey` when there is no object, and 409
    /// `ConditionalRequestConflict` on a concurrent conditional write (same page as `IfNoneMatch`).
    public var IfMatch: String?

    /// Creates options.
    public init(ContentType: String? = nil, ServerSideEncryption: String? = nil, SSEKMSKeyId: String? = nil, Metadata: [String: String] = [:],
                ExpectedBucketOwner: String? = nil, IfNoneMatch: String? = nil, IfMatch: String? = nil) {
        self.ContentType = ContentType
        self.ServerSideEncryption = ServerSideEncryption
        self.SSEKMSKeyId = SSEKMSKeyId
        self.Metadata = Metadata
        self.ExpectedBucketOwner = ExpectedBucketOwner
        self.IfNoneMatch = IfNoneMatch
        self.IfMatch = IfMatch
    }

    /// The request headers the object's attributes become (PutObject, CreateMultipartUpload).
    var headers: [(name: String, value: String)] {
        var out: [(name: String, value: String)] = []
        if let ContentType { out.append(("Content-Type", ContentType)) }
        if let ServerSideEncryption { out.append(("x-amz-server-side-encryption", ServerSideEncryption)) }
        if let SSEKMSKeyId { out.append(("x-amz-server-side-encryption-aws-kms-key-id", SSEKMSKeyId)) }
        if let ExpectedBucketOwner { out.append(("x-amz-expected-bucket-owner", ExpectedBucketOwner)) }
        for (key, value) in Metadata.sorted(by: { $0.key < $1.key }) { out.append(("x-amz-meta-\(key)", value)) }
        return out
    }

    /// The conditions' headers: sent on the request that writes the object (PutObject, or
    /// CompleteMultipartUpload, which takes them too; CreateMultipartUpload does not).
    var conditionHeaders: [(name: String, value: String)] {
        [("If-None-Match", IfNoneMatch), ("If-Match", IfMatch)].compactMap { name, value in value.map { (name, $0) } }
    }
}

/// The four public access block switches.
public struct S3PublicAccessBlock: Sendable, Equatable {
    /// `BlockPublicAcls`.
    public var BlockPublicAcls: Bool
    /// `IgnorePublicAcls`.
    public var IgnorePublicAcls: Bool
    /// `BlockPublicPolicy`.
    public var BlockPublicPolicy: Bool
    /// `RestrictPublicBuckets`.
    public var RestrictPublicBuckets: Bool

    /// All four on (what vend's buckets use).
    public static let all = S3PublicAccessBlock(BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true)

    /// Creates a block.
    public init(BlockPublicAcls: Bool, IgnorePublicAcls: Bool, BlockPublicPolicy: Bool, RestrictPublicBuckets: Bool) {
        self.BlockPublicAcls = BlockPublicAcls
        self.IgnorePublicAcls = IgnorePublicAcls
        self.BlockPublicPolicy = BlockPublicPolicy
        self.RestrictPublicBuckets = RestrictPublicBuckets
    }
}


/// One entry of ListObjectsV2.
public struct S3ObjectSummary: Sendable, Equatable {
    /// `Key`.
    public var Key: String
    /// `Size` in bytes.
    public var Size: Int?
    /// `ETag`.
    public var ETag: String?
    /// `LastModified`.
    public var LastModified: Date?
    /// Creates a summary.
    public init(Key: String, Size: Int?, ETag: String?, LastModified: Date?) {
        self.Key = Key
        self.Size = Size
        self.ETag = ETag
        self.LastModified = LastModified
    }
}
