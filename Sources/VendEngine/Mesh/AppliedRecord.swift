import AWSCore
import AWSServices
import Foundation

/// What `vend apply` made, kept in central's artifact bucket (`vend/mesh/applied.json`): a
/// declared object later removed from vend.yaml is "not declared" (apply revokes it, or with
/// `--prune` removes it), while a live object apply never made — `add-source`, `vend subscribe`,
/// a launch by hand — is "hand-made" and never reverted or removed.
public struct AppliedRecord: Sendable, Equatable, Codable {
    /// The record's format.
    public var formatVersion = 1
    /// Producer domains apply launched.
    public var producers: [String] = []
    /// Consumer domains apply launched.
    public var consumers: [String] = []
    /// Sources apply added, as `domain/source`.
    public var sources: [String] = []
    /// Subscriptions apply requested, as `consumer/domain`.
    public var subscriptions: [String] = []
    /// The account of each consumer domain apply launched: once the domain and its account leave
    /// vend.yaml, this is how apply still finds central's grants to that account.
    public var consumerAccounts: [String: String] = [:]

    /// The object's key in the artifact bucket.
    public static let key = "vend/mesh/applied.json"

    /// Creates an empty record.
    public init() {}

    enum CodingKeys: String, CodingKey { case formatVersion, producers, consumers, sources, subscriptions, consumerAccounts }

    /// Reads a record; one written before `consumerAccounts` existed reads with none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        producers = try container.decode([String].self, forKey: .producers)
        consumers = try container.decode([String].self, forKey: .consumers)
        sources = try container.decode([String].self, forKey: .sources)
        subscriptions = try container.decode([String].self, forKey: .subscriptions)
        consumerAccounts = try container.decodeIfPresent([String: String].self, forKey: .consumerAccounts) ?? [:]
    }

    /// `subscriptions` as pairs (entries that are not `consumer/domain` are skipped).
    public var pairs: [Subscription] {
        subscriptions.compactMap { entry in
            let parts = entry.split(separator: "/").map(String.init)
            return parts.count == 2 ? Subscription(consumer: parts[0], domain: parts[1]) : nil
        }
    }

    /// One comparable line per entry.
    var lines: [String] {
        producers.map { "producer:\($0)" } + consumers.map { "consumer:\($0)" } + sources.map { "source:\($0)" } + subscriptions.map { "subscription:\($0)" }
            + consumerAccounts.sorted { $0.key < $1.key }.map { "consumer-account:\($0.key)=\($0.value)" }
    }

    /// The record in `bucket`, or an empty one when there is none (or no bucket yet: before bootstrap).
    public static func read(s3: any S3Client, bucket: String) async throws -> AppliedRecord {
        do {
            let (body, _) = try await s3.getObject(bucket: bucket, key: Self.key, versionId: nil)
            do {
                return try JSONDecoder().decode(AppliedRecord.self, from: body)
            } catch {
                throw MeshError.unreadablePlan(file: "s3://\(bucket)/\(Self.key)", why: "it is not apply's record (\(error)); move it aside so apply can write a new one")
            }
        } catch let error as AWSServiceError where error.meaning == .notFound || error.code == "NoSuchBucket" || error.code == "NoSuchKey" {
            return AppliedRecord()
        }
    }

    /// Writes the record (sorted, so an unchanged record is the same bytes and is not rewritten).
    public func write(s3: any S3Client, bucket: String, previous: AppliedRecord) async throws {
        var sorted = self
        sorted.producers = Array(Set(producers)).sorted()
        sorted.consumers = Array(Set(consumers)).sorted()
        sorted.sources = Array(Set(sources)).sorted()
        sorted.subscriptions = Array(Set(subscriptions)).sorted()
        var old = previous
        old.producers.sort(); old.consumers.sort(); old.sources.sort(); old.subscriptions.sort()
        guard sorted != old else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        _ = try await s3.putObject(bucket: bucket, key: Self.key, body: try encoder.encode(sorted), options: .init(ContentType: "application/json", ServerSideEncryption: "AES256"))
    }
}
