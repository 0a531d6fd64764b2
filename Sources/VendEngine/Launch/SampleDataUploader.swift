import AWSCore
import AWSServices
import Foundation
import VendBundle

/// Uploads `sample-data/*.csv` to a producer bucket, one prefix per table (`<table>/<table>.csv`),
/// skipping objects whose content is already there.
public struct SampleDataUploader: Sendable {
    /// S3 in the producer account.
    public var s3: any S3Client
    /// One line per object.
    public var progress: @Sendable (String) -> Void

    /// Creates an uploader.
    public init(s3: any S3Client, progress: @escaping @Sendable (String) -> Void) {
        self.s3 = s3
        self.progress = progress
    }

    /// The metadata key holding the content's SHA-256 (compared before uploading again).
    static let digestKey = "vend-sha256"

    /// One uploaded (or already present) object.
    public struct Object: Sendable, Codable, Equatable {
        /// Its key.
        public var key: String
        /// `uploaded` or `unchanged`.
        public var action: String
    }

    /// Uploads every CSV file of `folder` to `bucket`.
    public func upload(folder: URL, bucket: String) async throws -> [Object] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".csv") }.sorted()
        guard !files.isEmpty else {
            throw LaunchError.noSampleData(folder: folder.path)
        }
        var objects: [Object] = []
        for file in files {
            let table = String(file.dropLast(4))
            let key = "\(table)/\(file)"
            let body = try Data(contentsOf: folder.appendingPathComponent(file))
            let digest = SHA256Hasher.hex(body)
            if let head = try? await s3.headObject(bucket: bucket, key: key, versionId: nil), head.Metadata[Self.digestKey] == digest {
                objects.append(Object(key: key, action: "unchanged"))
                continue
            }
            progress("s3://\(bucket)/\(key): uploading \(body.count) bytes")
            _ = try await s3.putObject(bucket: bucket, key: key, body: body, options: S3PutOptions(ContentType: "text/csv", Metadata: [Self.digestKey: digest]))
            objects.append(Object(key: key, action: "uploaded"))
        }
        return objects
    }
}
