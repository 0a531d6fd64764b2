import AWSCore
import Foundation

/// Why the apply lock could not be taken or kept. `isRefusal` marks a lock another run holds
/// (exit 2): nothing is wrong, the mesh is busy.
public enum ApplyLockError: EngineFailure, Equatable {
    /// Another run holds the lock and its lease has not ended.
    case held(holder: String, runId: String, since: Date, leaseUntil: Date, key: String, bucket: String)
    /// The lock object is not the JSON vend writes: vend cannot tell who holds it, so it never overwrites it.
    case malformed(key: String, bucket: String)
    /// A renewal found the lock taken over (`holder`) or removed (nil): this run no longer holds it.
    case lost(runId: String, holder: String?, key: String, bucket: String)
    /// The lock kept changing while vend tried to take it (other runs starting and ending at once).
    case contended(key: String, bucket: String)

    /// A lock held by another run is a refusal (exit 2); the rest are failures (exit 1).
    public var isRefusal: Bool {
        if case .held = self { return true }
        return false
    }

    /// What happened: why.
    public var description: String {
        switch self {
        case let .held(holder, runId, since, leaseUntil, _, _):
            return "another vend apply holds the mesh lock: \(holder) since \(AWSTimestamp.iso8601(since)) (run \(runId)), lease until \(AWSTimestamp.iso8601(leaseUntil))"
        case let .malformed(key, bucket):
            return "the mesh lock s3://\(bucket)/\(key) is held by an unknown holder: it is not the JSON vend writes, so vend cannot tell whose it is"
        case let .lost(runId, holder, key, bucket):
            let now = holder.map { "\($0) holds it now" } ?? "it was removed"
            return "run \(runId) lost the mesh lock s3://\(bucket)/\(key) while it worked: \(now), so this run stopped"
        case let .contended(key, bucket):
            return "the mesh lock s3://\(bucket)/\(key) kept changing while vend tried to take it: other runs are starting and ending at the same time"
        }
    }

    /// What to do next.
    public var nextStep: NextStep? {
        switch self {
        case let .held(_, _, _, leaseUntil, key, bucket):
            return .advice("wait for it to finish, then run again; if that run died, a run after \(AWSTimestamp.iso8601(leaseUntil)) takes the lock over, "
                           + "or remove s3://\(bucket)/\(key) once you are sure it is not running")
        case .malformed:
            return .advice("inspect the object, and remove it if no vend apply is running")
        case .lost:
            return .advice("let the other run finish, then run again")
        case .contended:
            return .advice("run again in a moment")
        }
    }
}
