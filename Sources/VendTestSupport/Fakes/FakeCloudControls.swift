import AWSServices
import Foundation

/// What tests steer (failures, outputs, action behaviour) and seed (state the engine only reads:
/// Glue, Lake Formation, Athena, buckets) without going through a client and its call log.
extension FakeCloud {
    // MARK: Behaviour

    /// What every Athena query answers once it has run: rows (the first is the header) or a failure.
    public func answerQueries(_ answer: @escaping @Sendable (FakeQuery) -> Result<[[String]], FakeQueryFailure>) {
        withState { $0.queryAnswer = answer }
    }

    /// Athena queries stay RUNNING for `polls` GetQueryExecution calls before they are answered.
    public func holdQueries(polls: Int) { withState { $0.queryPolls = polls } }

    /// Moves the cloud's clock (the times of records, parameters and products) forward.
    public func advanceTime(seconds: TimeInterval) { withState { $0.advance(seconds) } }

    /// The role an AssumeRole on this cloud handed out the session token for.
    public func assumedRole(session token: String) -> String? { withState { $0.sessions[token] } }

    /// Makes the share of `portfolioId` with `account` pending again, as a recipient's rejection
    /// leaves it (vend never rejects shares, so the client has no RejectPortfolioShare).
    public func makeSharePending(portfolioId: String, account: String) throws {
        try withState { state in
            guard let owner = state.catalogs.keys.first(where: { state.catalogs[$0]?.portfolios[portfolioId]?.shares["ACCOUNT/\(account)"] != nil }) else {
                throw FakeError.notFound("Portfolio \(portfolioId) is not shared with account \(account)")
            }
            state.catalogs[owner]?.portfolios[portfolioId]?.shares["ACCOUNT/\(account)"]?.accepted = false
        }
    }

    /// The next `times` versions created for `product` end FAILED instead of AVAILABLE.
    public func failArtifacts(product: String, times: Int = 1) {
        withState { $0.catalogBehaviour.failingArtifacts[product] = times }
    }

    /// The next `times` provision/update/terminate records of `product` end FAILED with `message`
    /// (the product goes ERROR after a first launch, TAINTED after an update).
    public func failLaunches(product: String, times: Int = 1, message: String = "Resource creation failed: the stack rolled back") {
        withState { $0.catalogBehaviour.failingLaunches[product] = (times, message) }
    }

    /// Puts the provisioned product `name` in ERROR with `message`, keeping its records: the state
    /// a failed update whose rollback also failed leaves (ERROR after a successful record), which
    /// `failLaunches` does not make (a failed update ends TAINTED there).
    public func breakProvisioned(_ name: String, message: String, account: String, region: String = "us-east-1") throws {
        try withState { state in
            let scope = FakeState.Scope(account: account, region: region)
            guard let id = state[catalog: scope].provisioned.values.first(where: { $0.name == name && !$0.terminated })?.id else {
                throw FakeError.notFound("Provisioned product \(name) not found")
            }
            state[catalog: scope].provisioned[id]?.status = "ERROR"
            state[catalog: scope].provisioned[id]?.message = message
        }
    }

    /// Outputs a successful launch or update of `product` produces (default: none). The closure
    /// must not call the cloud.
    public func outputs(product: String, _ outputs: @escaping @Sendable (FakeLaunch) -> [String: String]) {
        withState { $0.catalogBehaviour.outputs[product] = outputs }
    }

    /// What the service action `name` does when executed: its outputs, or a thrown error whose
    /// description becomes the record's FailureMessage. It runs outside the lock and may seed the cloud.
    public func onServiceAction(_ name: String, _ run: @escaping @Sendable (FakeExecution) throws -> [String: String]) {
        withState { $0.catalogBehaviour.actions[name] = run }
    }

    /// Outputs the stack `name` gets when a create or update completes.
    public func stackOutputs(_ name: String, _ outputs: [String: String]) {
        withState { $0.stackBehaviour[name, default: StackBehaviour()].outputs = outputs }
    }

    /// The stack `name`'s next create or update fails with `reason` and rolls back.
    public func failStack(_ name: String, reason: String) {
        withState { $0.stackBehaviour[name, default: StackBehaviour()].failure = reason }
    }

    // MARK: Seeding

    /// A bucket owned by `account`, optionally as vend's bootstrap leaves it (versioned, encrypted, private, TLS-only policy).
    public func addBucket(_ name: String, account: String, region: String = "us-east-1", hardened: Bool = false) {
        withState { state in
            var bucket = FakeBucket(owner: account, region: region)
            if hardened {
                bucket.versioning = "Enabled"
                bucket.encryption = "AES256"
                bucket.publicAccessBlock = .init(BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true)
                bucket.policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::\#(name)/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#
            }
            state.buckets[name] = bucket
        }
    }

    /// Sets a bucket's policy directly.
    public func setBucketPolicy(_ bucket: String, _ policy: String?) { withState { $0.buckets[bucket]?.policy = policy } }

    /// A Glue database.
    public func addDatabase(_ name: String, account: String, region: String = "us-east-1") {
        withState { $0.glue[.init(account: account, region: region), default: .init()].databases[name] = .init(Name: name, CatalogId: account) }
    }

    /// A Glue table whose data lies at `location`.
    public func addTable(_ name: String, database: String, location: String, account: String, region: String = "us-east-1") {
        withState { state in
            let scope = FakeState.Scope(account: account, region: region)
            state.glue[scope, default: .init()].tables[database, default: [:]][name] = .init(
                Name: name, DatabaseName: database, StorageDescriptor: .init(Location: location), CatalogId: account)
        }
    }

    /// A Glue crawler of `database` over `paths` whose last crawl ended `lastCrawl` (nil: never ran).
    public func addCrawler(_ name: String, database: String, paths: [String], lastCrawl: String?, account: String, region: String = "us-east-1") {
        withState { state in
            state.glue[.init(account: account, region: region), default: .init()].crawlers[name] = .init(
                Name: name, Targets: .init(S3Targets: paths.map { .init(Path: $0) }), DatabaseName: database, State: "READY",
                LastCrawl: lastCrawl.map { .init(Status: $0) })
        }
    }

    /// Assigns LF-tags (key → values) to a database, or to one of its tables, in `account`.
    public func assignLFTags(_ tags: [String: [String]], database: String, table: String? = nil, account: String, region: String = "us-east-1") {
        let pairs = tags.sorted { $0.key < $1.key }.map { LakeFormation.LFTagPair(CatalogId: account, TagKey: $0.key, TagValues: $0.value) }
        withState { $0.lakeFormation[.init(account: account, region: region), default: .init()].assigned[table.map { "\(database).\($0)" } ?? database] = pairs }
    }

    /// Lake Formation settings: admins, the IAM-only defaults (when `iamOnlyDefaults`) and the cross-account version.
    public func setDataLakeSettings(admins: [String], iamOnlyDefaults: Bool = false, crossAccountVersion: Int? = 4, account: String, region: String = "us-east-1") {
        let defaults = iamOnlyDefaults ? [LakeFormation.PrincipalPermissions(Principal: .init(DataLakePrincipalIdentifier: "IAM_ALLOWED_PRINCIPALS"), Permissions: ["ALL"])] : []
        withState { state in
            state.lakeFormation[.init(account: account, region: region), default: .init()].settings = .init(
                DataLakeAdmins: admins.map { .init(DataLakePrincipalIdentifier: $0) }, CreateDatabaseDefaultPermissions: defaults,
                CreateTableDefaultPermissions: defaults, Parameters: crossAccountVersion.map { ["CROSS_ACCOUNT_VERSION": "\($0)"] })
        }
    }

    /// A Lake Formation grant.
    public func addGrant(_ grant: LakeFormation.PrincipalResourcePermissions, account: String, region: String = "us-east-1") {
        withState { $0.lakeFormation[.init(account: account, region: region), default: .init()].permissions.append(grant) }
    }

    /// A location registered with Lake Formation.
    public func addRegisteredLocation(_ arn: String, role: String?, account: String, region: String = "us-east-1") {
        withState { $0.lakeFormation[.init(account: account, region: region), default: .init()].resources.append(.init(ResourceArn: arn, RoleArn: role)) }
    }

    /// An Athena work group.
    public func addWorkGroup(_ name: String, outputLocation: String?, enforced: Bool, account: String, region: String = "us-east-1") {
        withState { $0.workGroups[.init(account: account, region: region), default: [:]][name] = FakeShapes.workGroup(name: name, outputLocation: outputLocation, enforced: enforced) }
    }
}
