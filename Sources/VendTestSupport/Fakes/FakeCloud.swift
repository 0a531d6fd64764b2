import AWSCore
import AWSServices
import Foundation

/// An in-memory AWS of several accounts and regions, for engine tests that never start the
/// local cloud. It keeps state (portfolios, shares, provisioned products, stacks, buckets, …)
/// and models what the engine relies on: asynchronous states that settle after a poll or two,
/// the same idempotency token giving the same answer, small pages, and AWS's error codes.
/// Every call is logged per account, and any operation can be made to fail on request.
public final class FakeCloud: @unchecked Sendable {
    private let lock = NSLock()
    private var state = FakeState()
    /// Items per page of every paged list (small, so the engine's paginators are exercised).
    public let pageSize: Int
    /// Describe calls an asynchronous change takes to settle (CREATING → AVAILABLE, records, stacks);
    /// a test may change it between steps.
    public var polls: Int {
        get { withState { $0.polls } }
        set { withState { $0.polls = newValue } }
    }

    /// A cloud with no resources. `pageSize` and `polls` tune how much paging and polling the engine meets.
    public init(pageSize: Int = 2, polls: Int = 2) {
        self.pageSize = pageSize
        state.polls = polls
    }

    /// Runs `body` on the state under the lock.
    func withState<T>(_ body: (inout FakeState) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }

    // MARK: Clients

    /// The role ARN the clients of `account` act as unless a test names another caller.
    public static func defaultCaller(_ account: String) -> String { "arn:aws:iam::\(account):role/vend-tester" }

    /// Every service client vend uses, acting in `account` and `region` as `caller`
    /// (an IAM or STS ARN; STS GetCallerIdentity answers it).
    public func clients(account: String, region: String = "us-east-1", caller: String? = nil) -> AWSServiceClients {
        let context = FakeContext(cloud: self, account: account, region: region, caller: caller ?? Self.defaultCaller(account))
        return AWSServiceClients(sts: FakeSTS(context), serviceCatalog: FakeServiceCatalog(context), s3: FakeS3(context),
                                 cloudFormation: FakeCloudFormation(context), iam: FakeIAM(context), ssm: FakeSSM(context),
                                 glue: FakeGlue(context), lakeFormation: FakeLakeFormation(context), athena: FakeAthena(context))
    }

    /// Athena in `account` and `region` (not part of `AWSServiceClients`).
    public func athena(account: String, region: String = "us-east-1") -> FakeAthena {
        FakeAthena(FakeContext(cloud: self, account: account, region: region, caller: Self.defaultCaller(account)))
    }

    /// The URL the fake Service Catalog reads a template from: `https://s3.fake/<bucket>/<key>`.
    public static func objectURL(bucket: String, key: String) -> String { "https://s3.fake/\(bucket)/\(key)" }

    // MARK: Call log and faults

    /// One call a client made.
    public struct Call: Sendable, Equatable {
        /// The account the client acted in.
        public var account: String
        /// The region.
        public var region: String
        /// The operation's AWS name, e.g. `ProvisionProduct`.
        public var operation: String
    }

    /// Every call so far, in order.
    public var log: [Call] { withState { $0.calls } }

    /// The operations called in `account`, in order.
    public func calls(account: String) -> [String] { log.filter { $0.account == account }.map(\.operation) }

    /// The operations in `account` that change something (everything but Describe/Get/List/Search/Scan/Head).
    public func mutatingCalls(account: String) -> [String] { calls(account: account).filter(Self.isMutating) }

    /// Whether an operation name changes state.
    public static func isMutating(_ operation: String) -> Bool {
        !["Describe", "Get", "List", "Search", "Scan", "Head"].contains { operation.hasPrefix($0) }
    }

    /// Forgets the call log (state is kept).
    public func clearLog() { withState { $0.calls = [] } }

    /// Makes the next `times` calls of `operation` (in `account`, or in any account) throw `error`:
    /// before they change anything, or (`afterApplying`) after — an answer lost on the wire.
    public func fail(operation: String, account: String? = nil, times: Int = 1, with error: AWSServiceError, afterApplying: Bool = false) {
        withState { $0.faults.append(FakeState.Fault(operation: operation, account: account, remaining: times, error: error, afterApplying: afterApplying)) }
    }

    /// Logs a call; throws a fault injected to strike before it, and returns one to throw after it.
    func enter(_ operation: String, _ context: FakeContext) throws -> AWSServiceError? {
        try withState { state in
            state.calls.append(Call(account: context.account, region: context.region, operation: operation))
            guard let index = state.faults.firstIndex(where: { $0.operation == operation && ($0.account == nil || $0.account == context.account) && $0.remaining > 0 }) else { return nil }
            state.faults[index].remaining -= 1
            if state.faults[index].afterApplying { return state.faults[index].error }
            throw state.faults[index].error
        }
    }

    // MARK: Paging and ids

    /// One page of `items` after `token` (tokens are opaque `page-N` strings) and the next token.
    func page<T>(_ items: [T], token: String?, size: Int? = nil) throws -> (items: [T], next: String?) {
        let start: Int
        if let token, !token.isEmpty {
            guard token.hasPrefix("page-"), let index = Int(token.dropFirst(5)), index >= 0 else {
                throw FakeError.invalidParameters("the page token \(token) is not valid")
            }
            start = min(index, items.count)
        } else {
            start = 0
        }
        let end = min(start + min(size ?? pageSize, pageSize), items.count)
        return (Array(items[start..<end]), end < items.count ? "page-\(end)" : nil)
    }
}

/// Where a fake client acts: its cloud, account, region and caller.
public struct FakeContext: Sendable {
    /// The cloud holding the state.
    public let cloud: FakeCloud
    /// The account.
    public let account: String
    /// The region.
    public let region: String
    /// The caller's ARN.
    public let caller: String

    /// The account and region as a state key.
    var scope: FakeState.Scope { .init(account: account, region: region) }

    /// The caller as an IAM principal: an assumed-role session becomes its role.
    var callerPrincipal: String {
        let parts = caller.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[2] == "sts", parts[5].hasPrefix("assumed-role/") else { return caller }
        return "arn:\(parts[1]):iam::\(parts[4]):role/\(parts[5].split(separator: "/")[1])"
    }

    /// Logs the call (and throws an injected fault), then runs `body` on the state.
    func call<T>(_ operation: String, _ body: (inout FakeState) throws -> T) throws -> T {
        let after = try cloud.enter(operation, self)
        let result = try cloud.withState(body)
        if let after { throw after }
        return result
    }
}
