import AWSCore
import AWSServices
import Foundation
import Testing

/// S3 bucket configuration and objects (odd keys, multipart) through the local cloud's signature check.
@Suite(.enabled(if: LocalCloudProfiles.isConfigured, LocalCloudProfiles.skipReason))
struct StorageIntegrationTests {
    @Test func bucketConfigurationRoundTrip() async throws {
        let s3 = try LocalCloudProfiles.clients("central").s3
        let bucket = LocalCloudProfiles.unique("vend-it-config")
        try await s3.createBucket(bucket)
        try await s3.headBucket(bucket, expectedOwner: nil)
        try await s3.putBucketVersioning(bucket, status: "Enabled")
        #expect(try await s3.getBucketVersioning(bucket) == "Enabled")
        try await s3.putPublicAccessBlock(bucket, .all)
        #expect(try await s3.getPublicAccessBlock(bucket) == .all)
        let policy = #"{"Version":"2012-10-17","Statement":[{"Sid":"ReadOwn","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::\#(bucket)/*"}]}"#
        try await s3.putBucketPolicy(bucket, policy: policy)
        #expect(try await s3.getBucketPolicy(bucket).contains("ReadOwn"))
    }

    @Test func bucketEncryption() async throws {
        let s3 = try LocalCloudProfiles.clients("central").s3
        let bucket = LocalCloudProfiles.unique("vend-it-sse")
        try await s3.createBucket(bucket)
        try await s3.putBucketEncryption(bucket, algorithm: "AES256", kmsKeyId: nil, bucketKeyEnabled: true)
        #expect(try await s3.getBucketEncryption(bucket) == "AES256")
    }

    @Test(arguments: ["plain.txt", "dir/sub dir/a+b=c.txt", "ünï/ሴ 😀.json", "percent%20literal", "~tilde/(x)!*'"])
    func objectRoundTripWithOddKeys(key: String) async throws {
        let s3 = try LocalCloudProfiles.clients("producer").s3
        let bucket = LocalCloudProfiles.unique("vend-it-keys")
        try await s3.createBucket(bucket)
        let body = Data("content of \(key)".utf8)
        let put = try await s3.putObject(bucket: bucket, key: key, body: body, options: S3PutOptions(ContentType: "text/plain", Metadata: ["owner": "vend"]))
        #expect(put.ETag != nil)
        let head = try await s3.headObject(bucket: bucket, key: key, versionId: nil)
        #expect(head.ContentLength == body.count)
        #expect(head.Metadata["owner"] == "vend")
        #expect(try await s3.getObject(bucket: bucket, key: key, versionId: nil).body == body)
        #expect(try await s3.listObjects(bucket: bucket, prefix: nil).map(\.Key) == [key])
        try await s3.deleteObject(bucket: bucket, key: key, versionId: nil)
        #expect(try await s3.listObjects(bucket: bucket, prefix: nil).isEmpty)
    }

    @Test func largeFilesGoMultipart() async throws {
        var s3 = try LiveS3Client(session: LocalCloudProfiles.session("central"))
        s3.multipartThreshold = 6 * 1024 * 1024
        s3.partSize = 5 * 1024 * 1024
        let bucket = LocalCloudProfiles.unique("vend-it-multipart")
        try await s3.createBucket(bucket)
        let file = URL(fileURLWithPath: NSTemporaryDirectory() + LocalCloudProfiles.unique("vend-it") + ".bin")
        var data = Data(count: 11 * 1024 * 1024 + 3)
        for index in stride(from: 0, to: data.count, by: 4096) { data[index] = UInt8(index / 4096 % 251) }
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await s3.uploadFile(bucket: bucket, key: "bundles/big.tar.gz", file: file, options: S3PutOptions(ContentType: "application/gzip"))
        #expect(result.ETag?.hasSuffix("-3\"") == true)
        #expect(try await s3.getObject(bucket: bucket, key: "bundles/big.tar.gz", versionId: nil).body == data)
    }

    @Test func missingObjectsAreNotFound() async throws {
        let s3 = try LocalCloudProfiles.clients("central").s3
        let bucket = LocalCloudProfiles.unique("vend-it-missing")
        try await s3.createBucket(bucket)
        do {
            _ = try await s3.headObject(bucket: bucket, key: "nope", versionId: nil)
            Issue.record("expected NotFound")
        } catch let error as AWSServiceError {
            #expect(error.status == 404)
            #expect(error.code == "NotFound")
        }
    }
}
