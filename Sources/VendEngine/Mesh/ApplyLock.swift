import AWSCore
import AWSServices
import Foundation

/// The mesh's apply lock: one JSON object in central's artifact bucket, so that two applies never
/// run at once. It is taken with a create-only write and kept with compare-and-swap renewals of a
/// lease; a lock whose lease has ended (its run died) is taken over, and a lock vend cannot read is
/// never overwritten.
///
/// Assumptions (AWS): PutObject with `If-None-Match: *` writes only when no object has the key and
/// with `If-Match: <ETag>` only over that exact object, both atomically; a failed condition answers
/// 412 `PreconditionFailed` (404 `NoSuchKey` for `If-Match` on a missing key) and a concurrent
/// conditional write 409 `ConditionalRequestConflict` — both read as `.preconditionFailed` /
/// `.notFound`, after which the lock is read again
/// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
/// A write whose answer was lost and that the transport sent again fails its own condition; the
/// lock then holds exactly the bytes this run wrote, which is how such a write is recognised.
public struct ApplyLock: Sendable {
    /// Where the lock lives in the bucket.
    public static let key = "vend/locks/apply.json"

    /// What the lock object holds.
    public struct Record: Codable, Sendable, Equatable {
        /// The run holding the lock.
        public var runId: String
        /// The caller ARN of that run.
        public var holder: String
        /// When the run took the lock (whole seconds, as stored).
        public var startedAt: Date
        /// Until when the lock is the run's without a renewal; after it, another run may take it over.
        public var leaseUntil: Date
        /// The command that took it, e.g. `apply`.
        public var command: String

        /// Creates a record.
        public init(runId: String, holder: String, startedAt: Date, leaseUntil: Date, command: String) {
            self.runId = runId
            self.holder = holder
            self.startedAt = startedAt
            self.leaseUntil = leaseUntil
            self.command = command
        }
    }

    /// A lock this run holds: what it wrote, the ETag S3 gave that write, and the lease's length.
    public struct Held: Sendable, Equatable {
        /// The record written.
        public var record: Record
        /// The ETag of the written object (the condition of the next renewal).
        public var etag: String
        /// Seconds each renewal extends the lease by.
        public var leaseSeconds: Double
    }

    /// S3 in central's account.
    public let s3: any S3Client
    /// Central's artifact bucket.
    public let bucket: String
    /// The clock leases are measured and renewals paced with.
    public let clock: any AWSClock

    /// Creates the lock over a bucket.
    public init(s3: any S3Client, bucket: String, clock: any AWSClock) {
        self.s3 = s3
        self.bucket = bucket
        self.clock = clock
    }

    /// Takes the lock for `runId`, or throws `ApplyLockError.held` naming the run that has it
    /// (`.malformed` when the object is not vend's). A lock whose lease has ended is taken over
    /// with `If-Match` its ETag, so of two runs taking over the same stale lock one wins.
    public func acquire(runId: String, holder: String, leaseSeconds: Double, command: String = "apply") async throws -> Held {
        let now = Self.wholeSeconds(clock.now())
        let record = Record(runId: runId, holder: holder, startedAt: now, leaseUntil: now.addingTimeInterval(leaseSeconds), command: command)
        let body = try Self.encode(record)
        // Each round either ends or sees the lock change under it (released, taken over); three are plenty.
        for _ in 0..<3 {
            if let etag = try await write(body, S3PutOptions(ContentType: "application/json", IfNoneMatch: "*")) {
                return Held(record: record, etag: etag, leaseSeconds: leaseSeconds)
            }
            guard let found = try await read() else { continue }
            if found.body == body { return Held(record: record, etag: found.etag, leaseSeconds: leaseSeconds) }
            guard let current = found.record else { throw ApplyLockError.malformed(key: Self.key, bucket: bucket) }
            if current.leaseUntil >= now {
                throw ApplyLockError.held(holder: current.holder, runId: current.runId, since: current.startedAt, leaseUntil: current.leaseUntil,
                                          key: Self.key, bucket: bucket)
            }
            if let etag = try await write(body, S3PutOptions(ContentType: "application/json", IfMatch: found.etag)) {
                return Held(record: record, etag: etag, leaseSeconds: leaseSeconds)
            }
            // Another run took the stale lock first: the next round reads it and refuses, naming that run.
        }
        throw ApplyLockError.contended(key: Self.key, bucket: bucket)
    }

    /// Extends the lease from now, over exactly the object `held` wrote; throws `ApplyLockError.lost`
    /// when another run took the lock over or it was removed.
    public func renew(_ held: Held) async throws -> Held {
        var record = held.record
        record.leaseUntil = Self.wholeSeconds(clock.now()).addingTimeInterval(held.leaseSeconds)
        let body = try Self.encode(record)
        if let etag = try await write(body, S3PutOptions(ContentType: "application/json", IfMatch: held.etag)) {
            return Held(record: record, etag: etag, leaseSeconds: held.leaseSeconds)
        }
        let found = try await read()
        if let found, found.body == body { return Held(record: record, etag: found.etag, leaseSeconds: held.leaseSeconds) }
        throw ApplyLockError.lost(runId: held.record.runId, holder: found.map { $0.record?.holder ?? "an unknown holder" }, key: Self.key, bucket: bucket)
    }

    /// Removes the lock if it is still `held`'s run's; another run's lock (or none) is left as it is.
    /// Returns whether it removed the lock.
    @discardableResult
    public func release(_ held: Held) async throws -> Bool {
        guard let found = try await read(), found.record?.runId == held.record.runId else { return false }
        // Deleted only while it is the object just read: a takeover between the read and the delete
        // (this run's lease ended) changes the ETag, and S3 refuses the delete.
        do {
            try await s3.deleteObject(bucket: bucket, key: Self.key, versionId: nil, ifMatch: found.etag)
            return true
        } catch where error.isAWS(.preconditionFailed) {
            return false
        } catch where error.isAWS(.notFound) {
            // Gone already: a retried delete whose first attempt removed it (its answer was lost).
            return true
        }
    }

    // MARK: The object

    /// The lock object as found: its bytes, its record (nil when it is not vend's JSON) and its ETag.
    struct Found {
        var body: Data
        var record: Record?
        var etag: String
    }

    /// The lock object, or nil when there is none.
    func read() async throws -> Found? {
        let object: (body: Data, head: S3ObjectHead)
        do {
            object = try await s3.getObject(bucket: bucket, key: Self.key, versionId: nil)
        } catch where error.isAWS(.notFound) {
            // A missing bucket reads as no lock too; acquire's create-only write reports it first.
            return nil
        }
        return Found(body: object.body, record: Self.decode(object.body), etag: try Self.etag(object.head.ETag, operation: "S3 GetObject"))
    }

    /// Writes the lock under a condition: the new ETag, or nil when the condition did not hold.
    func write(_ body: Data, _ options: S3PutOptions) async throws -> String? {
        do {
            return try Self.etag(try await s3.putObject(bucket: bucket, key: Self.key, body: body, options: options).ETag, operation: "S3 PutObject")
        } catch where error.isAWS(.preconditionFailed) || (options.IfMatch != nil && error.isAWS(.notFound)) {
            // `If-Match` on a missing key answers 404 NoSuchKey: the lock is gone, which the read that follows sees.
            return nil
        }
    }

    /// The ETag S3 answered, which every successful write and read carries.
    static func etag(_ etag: String?, operation: String) throws -> String {
        guard let etag, !etag.isEmpty else {
            throw AWSServiceError(code: "InvalidResponse", message: "the answer has no ETag, which the mesh lock needs", status: 200,
                                  operation: operation, retryKind: .client)
        }
        return etag
    }

    /// A time as the lock stores it (whole seconds, so a record reads back equal).
    static func wholeSeconds(_ date: Date) -> Date { Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)) }

    /// The record as JSON (keys sorted, ISO 8601 times).
    static func encode(_ record: Record) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(record)
    }

    /// The record in a lock object, or nil when the bytes are not vend's JSON.
    static func decode(_ body: Data) -> Record? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(Record.self, from: body)
    }
}
