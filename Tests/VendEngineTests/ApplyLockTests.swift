import AWSCore
import AWSServices
import Foundation
import Testing
import VendEngine
import VendTestSupport

/// The apply lock on the fake S3: one run at a time, stale locks taken over by exactly one run,
/// renewals that notice a lost lock, releases that never remove another run's lock, and a lock
/// object vend did not write never overwritten. Each test reads back the stored object.
@Suite("Apply lock on the fake S3")
struct ApplyLockTests {
    static let account = "111111111111"
    static let bucket = "vend-artifacts-111111111111"
    static let alice = "arn:aws:iam::111111111111:role/alice"
    static let bob = "arn:aws:sts::111111111111:assumed-role/bob/session-1"
    static let carol = "arn:aws:iam::111111111111:user/carol"

    /// A cloud with central's bucket, its S3 client, and a manual clock.
    struct Setup {
        let cloud = FakeCloud()
        let clock = ManualClock()
        var s3: any S3Client { cloud.clients(account: ApplyLockTests.account).s3 }
        var lock: ApplyLock { ApplyLock(s3: s3, bucket: ApplyLockTests.bucket, clock: clock) }

        static func make() async throws -> Setup {
            let setup = Setup()
            try await setup.s3.createBucket(ApplyLockTests.bucket)
            return setup
        }

        /// The stored lock object (its bytes and ETag), nil when there is none.
        func stored() async throws -> Stored? {
            let keys = try await s3.listObjects(bucket: ApplyLockTests.bucket, prefix: ApplyLock.key).map(\.Key)
            guard keys.contains(ApplyLock.key) else { return nil }
            let object = try await s3.getObject(bucket: ApplyLockTests.bucket, key: ApplyLock.key, versionId: nil)
            let fields = (try? JSONSerialization.jsonObject(with: object.body)) as? [String: String] ?? [:]
            return Stored(body: object.body, etag: object.head.ETag, fields: fields)
        }
    }

    /// The lock object as stored: bytes, ETag and (when it is JSON of strings) its fields.
    struct Stored: Equatable {
        var body: Data
        var etag: String?
        var fields: [String: String]
    }

    static func iso(_ date: Date) -> String { AWSTimestamp.iso8601(date) }

    @Test("an empty bucket: the lock is written with the run, holder, start, lease and command, and its ETag is kept")
    func acquireOnEmpty() async throws {
        let setup = try await Setup.make()
        let start = setup.clock.now()
        let held = try await setup.lock.acquire(runId: "run-a", holder: Self.alice, leaseSeconds: 900)
        let stored = try await setup.stored()
        #expect(stored?.fields == ["runId": "run-a", "holder": Self.alice, "startedAt": Self.iso(start), "leaseUntil": Self.iso(start + 900), "command": "apply"])
        #expect(held.etag == stored?.etag)
        #expect(held.record == ApplyLock.Record(runId: "run-a", holder: Self.alice, startedAt: start, leaseUntil: start + 900, command: "apply"))
        #expect(ApplyLock.key == "vend/locks/apply.json")
    }

    @Test("a second run is refused, naming the holder, its run and lease, and the lock is not overwritten")
    func secondAcquireRefused() async throws {
        let setup = try await Setup.make()
        let start = setup.clock.now()
        _ = try await setup.lock.acquire(runId: "run-a", holder: Self.alice, leaseSeconds: 900)
        let before = try await setup.stored()
        setup.clock.advance(899)
        await #expect(throws: ApplyLockError.held(holder: Self.alice, runId: "run-a", since: start, leaseUntil: start + 900,
                                                  key: ApplyLock.key, bucket: Self.bucket)) {
            _ = try await setup.lock.acquire(runId: "run-b", holder: Self.bob, leaseSeconds: 900)
        }
        let after = try await setup.stored()
        #expect(after == before && after?.fields["holder"] == Self.alice)
    }

    @Test("a lock whose lease has ended is taken over by the next run")
    func staleTakenOver() async throws {
        let setup = try await Setup.make()
        _ = try await setup.lock.acquire(runId: "run-a", holder: Self.alice, leaseSeconds: 60)
        setup.clock.advance(61)
        let held = try await setup.lock.acquire(runId: "run-b", holder: Self.bob, leaseSeconds: 60)
        let stored = try await setup.stored()
        #expect(stored?.fields["runId"] == "run-b" && stored?.fields["holder"] == Self.bob)
        #expect(held.etag == stored?.etag)
    }

    @Test("two runs taking over one stale lock: the one whose If-Match no longer holds is refused, naming the winner")
    func takeoverRaceLost() async throws {
        let setup = try await Setup.make()
        _ = try await setup.lock.acquire(runId: "run-a", holder: Self.alice, leaseSeconds: 60)
        setup.clock.advance(61)
        let carolsLock = setup.lock
        // Carol's takeover lands between Bob's read of the stale lock and Bob's conditional write.
        let racing = RacingS3(inner: setup.s3) { _ = try await carolsLock.acquire(runId: "run-c", holder: Self.carol, leaseSeconds: 60) }
        let bobsLock = ApplyLock(s3: racing, bucket: Self.bucket, clock: setup.clock)
        let now = setup.clock.now()
        await #expect(throws: ApplyLockError.held(holder: Self.carol, runId: "run-c", since: now, leaseUntil: now + 60, key: ApplyLock.key, bucket: Self.bucket)) {
            _ = try await bobsLock.acquire(runId: "run-b", holder: Self.bob, leaseSeconds: 60)
        }
        let stored = try await setup.stored()
        #expect(stored?.fields["runId"] == "run-c")
        #expect(racing.conditionalWrites == ["If-None-Match: *", "If-Match", "If-None-Match: *"])
    }

    @Test("a write that landed but answered 412 (as a retry of it would) is recognised as this run's by its bytes")
    func retriedWriteRecognised() async throws {
        let setup = try await Setup.make()
        setup.cloud.fail(operation: "PutObject", with: FakeError.make("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", status: 412),
                         afterApplying: true)
        let held = try await setup.lock.acquire(runId: "run-a", holder: Self.alice, leaseSeconds: 60)
        let stored = try await setup.stored()
        #expect(held.etag == stored?.etag && stored?.fields["runId"] == "run-a")
    }

    @Test("a renewal extends the lease from now over the held object, and the next one uses the new ETag")
    func renewExtends() async throws {
        let setup = try await Setup.make()
        let start = setup.clock.now()
        let held = try await setup.lock.acquire(runId: "run-a", holder: Self.alice, leaseSeconds: 60)
        setup.clock.advance(30)
        let renewed = try await setup.lock.renew(held)
        let stored = try await setup.stored()
        #expect(stored?.fields["leaseUntil"] == Self.iso(start + 90) && stored?.fields["startedAt"] == Self.iso(start))
        #expect(renewed.etag != held.etag && renewed.etag == stored?.etag)
        setup.clock.advance(30)
        _ = try await setup.lock.renew(renewed)
        let again = try await setup.stored()
        #expect(again?.fields["leaseUntil"] == Self.iso(start + 120))
    }

    @Test("a renewal after another run took the lock over is lost, naming that run's holder, and changes nothing")
    func renewAfterTakeoverLost() async throws {
        let setup = try await Setup.make()
        let held = try await setup.lock.acquire(runId: "run-a", holder: Self.alice, leaseSeconds: 60)
        setup.clock.advance(61)
        _ = try await setup.lock.acquire(runId: "run-b", holder: Self.bob, leaseSeconds: 60)
        let bobs = try await setup.stored()
        await #expect(throws: ApplyLockError.lost(runId: "run-a", holder: Self.bob, key: ApplyLock.key, bucket: Self.bucket)) {
            _ = try await setup.lock.renew(held)
        }
        let after = try await setup.stored()
        #expect(after == bobs)
    }

    @Test("a renewal of a removed lock is lost and does not write it again")
    func renewAfterRemovalLost() async throws {
        let setup = try await Setup.make()
        let held = try await setup.lock.acquire(runId: "run-a", holder: Self.alice, leaseSeconds: 60)
        try await setup.s3.deleteObject(bucket: Self.bucket, key: ApplyLock.key, versionId: nil)
        await #expect(throws: ApplyLockError.lost(runId: "run-a", holder: nil, key: ApplyLock.key, bucket: Self.bucket)) {
            _ = try await setup.lock.renew(held)
        }
        let after = try await setup.stored()
        #expect(after == nil)
    }

    @Test("a release by a run that no longer holds the lock leaves the holder's lock; the holder's release removes it")
    func releaseByNonHolder() async throws {
        let setup = try await Setup.make()
        let alices = try await setup.lock.acquire(runId: "run-a", holder: Self.alice, leaseSeconds: 60)
        setup.clock.advance(61)
        let bobs = try await setup.lock.acquire(runId: "run-b", holder: Self.bob, leaseSeconds: 60)
        let before = try await setup.stored()
        let releasedByAlice = try await setup.lock.release(alices)
        let afterAlice = try await setup.stored()
        #expect(!releasedByAlice && afterAlice == before && afterAlice?.fields["runId"] == "run-b")
        let releasedByBob = try await setup.lock.release(bobs)
        let afterBob = try await setup.stored()
        #expect(releasedByBob && afterBob == nil)
        let releasedTwice = try await setup.lock.release(bobs)
        #expect(!releasedTwice, "releasing twice is harmless")
    }

    @Test("a takeover between a release's read and its delete: the delete is conditional on the ETag read, so the new holder's lock stays")
    func takeoverDuringRelease() async throws {
        let setup = try await Setup.make()
        let alices = try await setup.lock.acquire(runId: "run-a", holder: Self.alice, leaseSeconds: 60)
        let clock = setup.clock
        // Alice's lease runs out between her read and her delete, and Bob takes the lock over then.
        let bobsLock = setup.lock
        let racing = RacingS3(inner: setup.s3, beforeFirstIfMatch: {}, beforeFirstConditionalDelete: {
            clock.advance(61)
            _ = try await bobsLock.acquire(runId: "run-b", holder: Self.bob, leaseSeconds: 60)
        })
        let released = try await ApplyLock(s3: racing, bucket: Self.bucket, clock: clock).release(alices)
        let after = try await setup.stored()
        #expect(!released && after?.fields["runId"] == "run-b", "\(String(describing: after?.fields))")
    }

    @Test("an object that is not vend's JSON is held by an unknown holder: refused, never overwritten, even long after")
    func malformedRefused() async throws {
        let setup = try await Setup.make()
        _ = try await setup.s3.putObject(bucket: Self.bucket, key: ApplyLock.key, body: Data("locked by hand".utf8), options: S3PutOptions())
        setup.clock.advance(365 * 86_400)
        await #expect(throws: ApplyLockError.malformed(key: ApplyLock.key, bucket: Self.bucket)) {
            _ = try await setup.lock.acquire(runId: "run-a", holder: Self.alice, leaseSeconds: 60)
        }
        let after = try await setup.stored()
        #expect(after?.body == Data("locked by hand".utf8))
        #expect(ApplyLockError.malformed(key: ApplyLock.key, bucket: Self.bucket).description.contains("unknown holder"))
    }
}

/// `withLock`: the lock is held while the body runs, renewed, released at the end whatever
/// happens, and a lost lock stops the body.
@Suite("Apply lock around a body")
struct ApplyLockScopeTests {
    typealias Setup = ApplyLockTests.Setup
    struct BodyFailed: Error, Equatable {}

    @Test("the body runs under the lock; it is released after the body returns and after it throws")
    func releasesAfterBody() async throws {
        let setup = try await Setup.make()
        let lock = ApplyLock(s3: setup.s3, bucket: ApplyLockTests.bucket, clock: TickingClock())
        let seen = try await lock.withLock(runId: "run-a", holder: ApplyLockTests.alice, leaseSeconds: 3_600) {
            try await setup.stored()?.fields["runId"]
        }
        let afterReturn = try await setup.stored()
        #expect(seen == "run-a" && afterReturn == nil)

        await #expect(throws: BodyFailed()) {
            try await lock.withLock(runId: "run-b", holder: ApplyLockTests.bob, leaseSeconds: 3_600) {
                let during = try await setup.stored()
                #expect(during?.fields["runId"] == "run-b")
                throw BodyFailed()
            }
        }
        let afterThrow = try await setup.stored()
        #expect(afterThrow == nil)
    }

    @Test("the lease is renewed while the body runs")
    func renewsWhileRunning() async throws {
        let setup = try await Setup.make()
        let clock = TickingClock()
        let lock = ApplyLock(s3: setup.s3, bucket: ApplyLockTests.bucket, clock: clock)
        let first = AWSTimestamp.iso8601(clock.now() + 60)
        let renewedTo = try await lock.withLock(runId: "run-a", holder: ApplyLockTests.alice, leaseSeconds: 60) {
            for _ in 0..<2_000 {
                let lease = try await setup.stored()?.fields["leaseUntil"] ?? ""
                if lease > first { return lease }
                try await Task.sleep(nanoseconds: 1_000_000)
            }
            return first
        }
        let after = try await setup.stored()
        #expect(renewedTo > first && after == nil)
    }

    @Test("a lock taken from under the body stops it with lost, and the other run's lock is left in place")
    func lostStopsBody() async throws {
        let setup = try await Setup.make()
        let lock = ApplyLock(s3: setup.s3, bucket: ApplyLockTests.bucket, clock: TickingClock())
        let rival = Data(#"{"command":"apply","holder":"someone","leaseUntil":"2099-01-01T00:00:00Z","runId":"run-z","startedAt":"2026-01-01T00:00:00Z"}"#.utf8)
        await #expect(throws: ApplyLockError.lost(runId: "run-a", holder: "someone", key: ApplyLock.key, bucket: ApplyLockTests.bucket)) {
            try await lock.withLock(runId: "run-a", holder: ApplyLockTests.alice, leaseSeconds: 60) {
                _ = try await setup.s3.putObject(bucket: ApplyLockTests.bucket, key: ApplyLock.key, body: rival, options: S3PutOptions())
                try await Task.sleep(nanoseconds: 60_000_000_000)  // cancelled when the renewal finds the lock lost
            }
        }
        let after = try await setup.stored()
        #expect(after?.body == rival)
    }
}

/// A manual clock whose sleeps take a millisecond of real time (so renewals interleave with the
/// body, and cancellation ends them) and move its time by the amount slept.
struct TickingClock: AWSClock {
    let manual = ManualClock()
    func now() -> Date { manual.now() }
    func sleep(seconds: Double) async throws {
        try await Task.sleep(nanoseconds: 1_000_000)
        manual.advance(seconds)
    }
}

/// S3 through the fake that runs `beforeFirstIfMatch` before the first `If-Match` PutObject (and
/// `beforeFirstConditionalDelete` before the first `If-Match` DeleteObject) and records every
/// write's condition: a rival's write lands between a read and the write after it.
final class RacingS3: S3Client, @unchecked Sendable {
    let inner: any S3Client
    let beforeFirstIfMatch: @Sendable () async throws -> Void
    let beforeFirstConditionalDelete: @Sendable () async throws -> Void
    private let lock = NSLock()
    private var recorded: [String] = []
    private var raced = false
    private var racedDelete = false

    init(inner: any S3Client, beforeFirstIfMatch: @escaping @Sendable () async throws -> Void,
         beforeFirstConditionalDelete: @escaping @Sendable () async throws -> Void = {}) {
        self.inner = inner
        self.beforeFirstIfMatch = beforeFirstIfMatch
        self.beforeFirstConditionalDelete = beforeFirstConditionalDelete
    }

    /// The conditions of the conditional writes so far (`If-None-Match: *` or `If-Match`).
    var conditionalWrites: [String] { lock.withLock { recorded } }

    func putObject(bucket: String, key: String, body: Data, options: S3PutOptions) async throws -> S3PutResult {
        let race = lock.withLock { () -> Bool in
            if let condition = options.IfMatch != nil ? "If-Match" : options.IfNoneMatch.map({ "If-None-Match: \($0)" }) { recorded.append(condition) }
            guard options.IfMatch != nil, !raced else { return false }
            raced = true
            return true
        }
        if race { try await beforeFirstIfMatch() }
        return try await inner.putObject(bucket: bucket, key: key, body: body, options: options)
    }

    func createBucket(_ bucket: String) async throws { try await inner.createBucket(bucket) }
    func headBucket(_ bucket: String, expectedOwner: String?) async throws { try await inner.headBucket(bucket, expectedOwner: expectedOwner) }
    func putBucketVersioning(_ bucket: String, status: String) async throws { try await inner.putBucketVersioning(bucket, status: status) }
    func getBucketVersioning(_ bucket: String) async throws -> String? { try await inner.getBucketVersioning(bucket) }
    func putBucketEncryption(_ bucket: String, algorithm: String, kmsKeyId: String?, bucketKeyEnabled: Bool) async throws {
        try await inner.putBucketEncryption(bucket, algorithm: algorithm, kmsKeyId: kmsKeyId, bucketKeyEnabled: bucketKeyEnabled)
    }
    func getBucketEncryption(_ bucket: String) async throws -> String? { try await inner.getBucketEncryption(bucket) }
    func putPublicAccessBlock(_ bucket: String, _ block: S3PublicAccessBlock) async throws { try await inner.putPublicAccessBlock(bucket, block) }
    func getPublicAccessBlock(_ bucket: String) async throws -> S3PublicAccessBlock { try await inner.getPublicAccessBlock(bucket) }
    func putBucketPolicy(_ bucket: String, policy: String) async throws { try await inner.putBucketPolicy(bucket, policy: policy) }
    func getBucketPolicy(_ bucket: String) async throws -> String { try await inner.getBucketPolicy(bucket) }
    func headObject(bucket: String, key: String, versionId: String?) async throws -> S3ObjectHead { try await inner.headObject(bucket: bucket, key: key, versionId: versionId) }
    func getObject(bucket: String, key: String, versionId: String?) async throws -> (body: Data, head: S3ObjectHead) {
        try await inner.getObject(bucket: bucket, key: key, versionId: versionId)
    }
    func listObjects(bucket: String, prefix: String?) async throws -> [S3ObjectSummary] { try await inner.listObjects(bucket: bucket, prefix: prefix) }
    func listObjectsPage(bucket: String, prefix: String?, continuationToken: String?) async throws -> (objects: [S3ObjectSummary], next: String?) {
        try await inner.listObjectsPage(bucket: bucket, prefix: prefix, continuationToken: continuationToken)
    }
    func deleteObject(bucket: String, key: String, versionId: String?, ifMatch: String?) async throws {
        let race = lock.withLock { () -> Bool in
            guard ifMatch != nil, !racedDelete else { return false }
            racedDelete = true
            return true
        }
        if race { try await beforeFirstConditionalDelete() }
        try await inner.deleteObject(bucket: bucket, key: key, versionId: versionId, ifMatch: ifMatch)
    }
    func uploadFile(bucket: String, key: String, file: URL, options: S3PutOptions) async throws -> S3PutResult {
        try await inner.uploadFile(bucket: bucket, key: key, file: file, options: options)
    }
}

