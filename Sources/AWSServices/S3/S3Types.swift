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

    /// Creates options.
    public init(ContentType: String? = nil, ServerSideEncryption: String? = nil, SSEKMSKeyId: String? = nil, Metadata: [String: String] = [:], ExpectedBucketOwner: String? = nil) {
        self.ContentType = ContentType
        self.ServerSideEncryption = ServerSideEncryption
        self.SSEKMSKeyId = SSEKMSKeyId
        self.Metadata = Metadata
        self.ExpectedBucketOwner = ExpectedBucketOwner
    }

    /// The request headers these options become.
    var headers: [(name: String, value: String)] {
        var out: [(name: String, value: String)] = []
        if let ContentType { out.append(("Content-Type", ContentType)) }
        if let ServerSideEncryption { out.append(("x-amz-server-side-encryption", ServerSideEncryption)) }
        if let SSEKMSKeyId { out.append(("x-amz-server-side-encryption-aws-kms-key-id", SSEKMSKeyId)) }
        if let ExpectedBucketOwner { out.append(("x-amz-expected-bucket-owner", ExpectedBucketOwner)) }
        for (key, value) in Metadata.sorted(by: { $0.key < $1.key }) { out.append(("x-amz-meta-\(key)", value)) }
        return out
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
