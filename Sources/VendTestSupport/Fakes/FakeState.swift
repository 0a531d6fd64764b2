import AWSCore
import AWSServices
import Foundation

/// Everything the fake cloud holds. Only `FakeCloud.withState` touches it, under the cloud's lock.
struct FakeState {
    /// An account in a region.
    struct Scope: Hashable { var account: String, region: String }

    /// A fault waiting to be thrown.
    struct Fault {
        var operation: String
        var account: String?
        var remaining: Int
        var error: AWSServiceError
        var afterApplying: Bool
    }

    var polls = 2
    var calls: [FakeCloud.Call] = []
    var faults: [Fault] = []
    private var counter = 0
    /// Starts at 2026-01-02T03:04:05Z and moves one second per change, so times order like calls.
    private var time = Date(timeIntervalSince1970: 1_767_323_045)

    /// A fresh id, `<prefix>-` and twelve digits, so ids sort in creation order.
    mutating func id(_ prefix: String) -> String {
        counter += 1
        return "\(prefix)-\(String(format: "%012d", counter))"
    }

    /// Moves the clock forward.
    mutating func advance(_ seconds: TimeInterval) { time += seconds }

    /// The time of a change.
    mutating func now() -> Date {
        time += 1
        return time
    }

    // Service Catalog, per account and region.
    var catalogs: [Scope: FakeCatalog] = [:]
    /// Service Catalog's own settings that tests steer.
    var catalogBehaviour = CatalogBehaviour()
    // CloudFormation, SSM, Glue, Lake Formation, Athena: per account and region.
    var stacks: [Scope: [String: FakeStack]] = [:]
    var stackBehaviour: [String: StackBehaviour] = [:]
    var ssm: [Scope: FakeSSMState] = [:]
    var glue: [Scope: FakeGlueState] = [:]
    var lakeFormation: [Scope: FakeLakeFormationState] = [:]
    var workGroups: [Scope: [String: Athena.WorkGroup]] = [:]
    var queries: [String: FakeQuery] = [:]
    /// How many polls a query stays RUNNING (default: the cloud's polls).
    var queryPolls: Int?
    /// What a test says a query answers: rows (the first is the header) or a failure reason.
    var queryAnswer: (@Sendable (FakeQuery) -> Result<[[String]], FakeQueryFailure>)?
    /// Assumed-role sessions: session token → role ARN.
    var sessions: [String: String] = [:]
    // S3 bucket names are global; IAM is global per account.
    var buckets: [String: FakeBucket] = [:]
    var roles: [String: [String: FakeRole]] = [:]
}

/// What a test asked Service Catalog to do differently from succeeding.
struct CatalogBehaviour {
    /// Provisioning artifacts of these product names end FAILED (count of artifacts still to fail).
    var failingArtifacts: [String: Int] = [:]
    /// Provision/update/terminate records of these product names end FAILED (count still to fail), with a message.
    var failingLaunches: [String: (remaining: Int, message: String)] = [:]
    /// Outputs per product name, from the launch's account and parameters.
    var outputs: [String: @Sendable (FakeLaunch) -> [String: String]] = [:]
    /// What a service action does when executed, by action name.
    var actions: [String: @Sendable (FakeExecution) throws -> [String: String]] = [:]
}

/// A stack's test-set behaviour: outputs and a failure.
struct StackBehaviour {
    var outputs: [String: String] = [:]
    var failure: String?
}

/// An IAM role with its inline policies.
struct FakeRole {
    var role: IAM.Role
    var policies: [String: String]
    var tags: [String: String]
}

/// An S3 bucket.
struct FakeBucket {
    var owner: String
    var region: String
    var versioning: String?
    var encryption: String?
    var publicAccessBlock: S3PublicAccessBlock?
    var policy: String?
    var objects: [String: FakeObject] = [:]
}

/// An S3 object (the latest version).
struct FakeObject {
    var body: Data
    var contentType: String?
    var metadata: [String: String]
    var versionId: String?
    var modified: Date
}

/// A CloudFormation stack.
struct FakeStack {
    var id: String
    var name: String
    var status: String
    var reason: String?
    var template: String
    var parameters: [CloudFormation.Parameter]
    var tags: [CloudFormation.Tag]
    var outputs: [String: String]
    var events: [CloudFormation.StackEvent]
    var created: Date
    var updated: Date?
    /// Describes left before the stack leaves its IN_PROGRESS status, and the status it reaches.
    var pollsLeft: Int
    var target: String
    var token: String?
}

/// SSM in one account and region.
struct FakeSSMState {
    struct Document {
        var name: String
        var versions: [String]
        var defaultVersion: Int
        var targetType: String?
        var format: String
        var type: String
        var sharedWith: Set<String>
        var created: Date
    }
    var documents: [String: Document] = [:]
    var executions: [String: SSM.AutomationExecution] = [:]
    struct Parameter {
        var value: String
        var type: String
        var version: Int
        var user: String
        var date: Date
    }
    var parameters: [String: Parameter] = [:]
}

/// Glue in one account and region.
struct FakeGlueState {
    var databases: [String: Glue.Database] = [:]
    var tables: [String: [String: Glue.Table]] = [:]
    var crawlers: [String: Glue.Crawler] = [:]
}

/// Lake Formation in one account and region.
struct FakeLakeFormationState {
    var settings = LakeFormation.DataLakeSettings()
    var permissions: [LakeFormation.PrincipalResourcePermissions] = []
    var tags: [LakeFormation.LFTagPair] = []
    var resources: [LakeFormation.ResourceInfo] = []
    /// LF-tags assigned to databases ("db") and tables ("db.table").
    var assigned: [String: [LakeFormation.LFTagPair]] = [:]
}

/// One Athena query execution: QUEUED/RUNNING for the cloud's polls, then what the test's answer says.
public struct FakeQuery: Sendable {
    /// The query's id.
    public var id: String
    /// The SQL.
    public var sql: String
    /// The database of the query's context.
    public var database: String?
    /// The work group.
    public var workGroup: String
    /// The account and the caller that started it.
    public var account: String, caller: String
    /// QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED.
    var state = "QUEUED"
    var pollsLeft: Int
    var rows: [[String]] = []
    var reason: String?
}

/// Why a fake query failed (Athena's StateChangeReason).
public struct FakeQueryFailure: Error, Sendable {
    /// The reason.
    public var reason: String
    /// Creates a failure.
    public init(_ reason: String) { self.reason = reason }
}
