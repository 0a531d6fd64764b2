import Testing
@testable import VendEngine

/// The access evaluator on hand-made snapshots: each Lake Formation rule, the seed's broken setups
/// and vend's own setup, without AWS.
@Suite("Access evaluator")
struct AccessEvaluatorTests {
    static let central = "111111111111", producer = "222222222222", consumer = "333333333333"
    static let analyst = "arn:aws:iam::333333333333:role/Analyst"
    static let consumerAdmin = "arn:aws:iam::333333333333:role/VendConsumerOnboardingLaunchRole"
    static let centralAdmin = "arn:aws:iam::111111111111:role/VendProducerRegistrationLaunchRole"
    static let crawler = "arn:aws:iam::111111111111:role/vend-crawler-retail"
    static let policy = AccessSnapshot.Resource.tagPolicy(catalogId: central, resourceType: "TABLE", expression: ["domain": ["retail"]])
    static let link = AccessSnapshot.Resource.database(catalogId: consumer, name: "retail_link")

    /// vend's mesh: central's retail database (domain=retail) with orders and customers, crawled;
    /// the bucket registered; the consumer account granted by tag policy; the link; the analyst's grants.
    static func mesh(analystGrants: [AccessSnapshot.Resource] = [link, policy]) -> AccessSnapshot {
        let table = { (name: String) in
            AccessSnapshot.Table(columns: ["id", "name", "amount"], location: "s3://mesh-retail-222222222222/\(name)/", creator: crawler)
        }
        let retail = AccessSnapshot.Database(tags: ["domain": ["retail"], "classification": ["internal"]], tableDefaultIAMAllowed: false,
                                             tables: ["orders": table("orders"), "customers": table("customers")])
        let centralCatalog = AccessSnapshot.Catalog(
            accountId: central, admins: [centralAdmin],
            grants: [.init(principal: consumer, resource: policy, permissions: ["SELECT", "DESCRIBE"]),
                     .init(principal: producer, resource: policy, permissions: ["SELECT", "DESCRIBE", "INSERT", "ALTER"])],
            databases: ["retail": retail], registered: ["arn:aws:s3:::mesh-retail-222222222222"])
        let consumerCatalog = AccessSnapshot.Catalog(
            accountId: consumer, admins: [consumerAdmin],
            grants: analystGrants.map { .init(principal: analyst, resource: $0, permissions: ["SELECT", "DESCRIBE"]) },
            databases: ["retail_link": .init(target: (central, "retail"))])
        return AccessSnapshot(central: central, producers: [.init(domain: "retail", database: "retail")],
                              consumers: [.init(domain: "analytics", accountId: consumer)],
                              labels: [central: "central", producer: "producer retail", consumer: "consumer analytics"],
                              catalogs: [central: centralCatalog, consumer: consumerCatalog, producer: .init(accountId: producer)])
    }

    static func verdict(_ principal: String, _ snapshot: AccessSnapshot, table: String = "orders") throws -> AccessVerdict {
        try #require(AccessEvaluator.evaluate(principal: principal, snapshot: snapshot).first { $0.table == table })
    }

    @Test("vend's setup: the analyst reads every table through the link, with the whole chain")
    func vendSetupAllows() throws {
        let verdicts = AccessEvaluator.evaluate(principal: Self.analyst, snapshot: Self.mesh())
        #expect(verdicts.map(\.table) == ["customers", "orders"])
        #expect(verdicts.allSatisfy { $0.allowed && $0.database == "retail_link" && $0.consumer == "analytics" && $0.domain == "retail" })
        #expect(verdicts[0].chain.map(\.kind) == [.link, .account, .target, .location])
        #expect(verdicts[0].chain[2].text.contains("LF-Tag policy TABLE domain=retail in catalog 111111111111"))
    }

    @Test("the seed's broken setup: DESCRIBE on the link alone reads nothing; the fix is the analyst's launch")
    func linkOnlyIsDenied() throws {
        let verdict = try Self.verdict(Self.analyst, Self.mesh(analystGrants: [Self.link]))
        #expect(!verdict.allowed)
        #expect(verdict.missing?.kind == .target)
        #expect(verdict.missing?.nextStep == .run(.launchConsumer(domain: "analytics", analystRole: Self.analyst), " to make it the domain's analyst role"))
        #expect(verdict.chain.map(\.kind) == [.link, .account])
    }

    @Test("the seed's broken setup: a tag policy in the consumer's own catalog matches no central table")
    func tagPolicyWithoutCentralCatalogIsDenied() throws {
        let local = AccessSnapshot.Resource.tagPolicy(catalogId: Self.consumer, resourceType: "TABLE", expression: ["domain": ["retail"]])
        #expect(try Self.verdict(Self.analyst, Self.mesh(analystGrants: [Self.link, local])).missing?.kind == .target)
    }

    @Test("the seed's broken setup: without the central grant to the account, a re-grant reads nothing")
    func noAccountGrantIsDenied() throws {
        var snapshot = Self.mesh()
        snapshot.catalogs[Self.central]?.grants.removeAll { $0.principal == Self.consumer }
        let verdict = try Self.verdict(Self.analyst, snapshot)
        #expect(verdict.missing?.kind == .account)
        #expect(verdict.missing?.nextStep == .run(.launchConsumer(domain: "analytics"), " (its central registration grants the account)"))
    }

    @Test("the first missing link is reported: no DESCRIBE on the link comes before the target")
    func linkFirst() throws {
        let verdict = try Self.verdict("arn:aws:iam::333333333333:role/Other", Self.mesh())
        #expect(verdict.missing?.kind == .link)
        #expect(verdict.chain.isEmpty)
    }

    @Test("a table's own LF-Tag overrides its database's: the tag policies miss it, the other table stays readable")
    func tableTagOverrides() throws {
        var snapshot = Self.mesh()
        snapshot.catalogs[Self.central]?.databases["retail"]?.tables["orders"]?.tags = ["domain": ["analytics"]]
        let verdict = try Self.verdict(Self.analyst, snapshot)
        #expect(verdict.missing?.kind == .account)
        #expect(verdict.missing?.text.contains("override") == true)
        #expect(try Self.verdict(Self.analyst, snapshot, table: "customers").allowed)
    }

    @Test("column grants limit the columns: an include list, or all but an exclude list; cross-account both grants count")
    func columnGrants() throws {
        let include = AccessSnapshot.Resource.columns(catalogId: Self.central, database: "retail", table: "orders", included: ["id", "name"], excluded: [])
        #expect(try Self.verdict(Self.analyst, Self.mesh(analystGrants: [Self.link, include])).columns == ["id", "name"])
        let exclude = AccessSnapshot.Resource.columns(catalogId: Self.central, database: "retail", table: "orders", included: nil, excluded: ["amount"])
        let verdict = try Self.verdict(Self.analyst, Self.mesh(analystGrants: [Self.link, exclude]))
        #expect(verdict.allowed && verdict.columns == ["id", "name"])
        #expect(try !Self.verdict(Self.analyst, Self.mesh(analystGrants: [Self.link, exclude]), table: "customers").allowed)
    }

    @Test("named grants on the target: one table, or every table of the database")
    func namedGrants() throws {
        let one = AccessSnapshot.Resource.table(catalogId: Self.central, database: "retail", name: "orders")
        #expect(try Self.verdict(Self.analyst, Self.mesh(analystGrants: [Self.link, one])).allowed)
        #expect(try !Self.verdict(Self.analyst, Self.mesh(analystGrants: [Self.link, one]), table: "customers").allowed)
        let all = AccessSnapshot.Resource.table(catalogId: Self.central, database: "retail", name: nil)
        #expect(try Self.verdict(Self.analyst, Self.mesh(analystGrants: [Self.link, all]), table: "customers").allowed)
    }

    @Test("implicit permissions in central: the table creator reads; a data lake admin does not until it grants itself")
    func implicitPermissions() throws {
        var snapshot = Self.mesh()
        #expect(try Self.verdict(Self.crawler, snapshot).allowed)
        let admin = try Self.verdict(Self.centralAdmin, snapshot)
        #expect(admin.missing?.kind == .target && admin.missing?.text.contains("no implicit SELECT") == true)
        #expect(admin.consumer == "central" && admin.database == "retail")
        snapshot.catalogs[Self.central]?.grants.append(.init(principal: Self.centralAdmin, resource: .table(catalogId: Self.central, database: "retail", name: "orders"),
                                                             permissions: ["SELECT"]))
        #expect(try Self.verdict(Self.centralAdmin, snapshot).allowed)
    }

    @Test("the consumer's admin describes the link implicitly but reads only after granting itself")
    func consumerAdmin() throws {
        var snapshot = Self.mesh()
        let before = try Self.verdict(Self.consumerAdmin, snapshot)
        #expect(before.chain.first?.text.contains("implicit, a data lake administrator") == true)
        #expect(before.missing?.kind == .target)
        snapshot.catalogs[Self.consumer]?.grants.append(.init(principal: Self.consumerAdmin, resource: Self.policy, permissions: ["SELECT"]))
        #expect(try Self.verdict(Self.consumerAdmin, snapshot).allowed)
    }

    @Test("IAMAllowedPrincipals lets the owning account's principals in without a registered location, and nobody else")
    func iamAllowedPrincipals() throws {
        var snapshot = Self.mesh(analystGrants: [Self.link])
        snapshot.catalogs[Self.central]?.registered = []
        snapshot.catalogs[Self.central]?.grants.append(.init(principal: "IAM_ALLOWED_PRINCIPALS",
                                                             resource: .table(catalogId: Self.central, database: "retail", name: "orders"), permissions: ["ALL"]))
        let other = try Self.verdict("arn:aws:iam::111111111111:role/Reader", snapshot)
        #expect(other.allowed && other.chain.map(\.kind) == [.target])
        #expect(try !Self.verdict(Self.analyst, snapshot).allowed)
    }

    @Test("an unregistered location is the missing link, restored by launching the producer")
    func unregisteredLocation() throws {
        var snapshot = Self.mesh()
        snapshot.catalogs[Self.central]?.registered = ["arn:aws:s3:::another-bucket"]
        let verdict = try Self.verdict(Self.analyst, snapshot)
        #expect(verdict.missing?.kind == .location)
        #expect(verdict.missing?.nextStep == .run(.launchProducer(domain: "retail"), " (its registration registers the bucket)"))
    }

    @Test("an assumed-role session is evaluated as its role")
    func sessions() throws {
        #expect(try Self.verdict("arn:aws:sts::333333333333:assumed-role/Analyst/probe", Self.mesh()).allowed)
    }

    @Test("a producer account's role: no link, so the central catalog by name; the account grant without a re-grant reads nothing")
    func producerRole() throws {
        let verdict = try Self.verdict("arn:aws:iam::222222222222:role/Engineer", Self.mesh())
        #expect(verdict.consumer == "producer retail" && verdict.database == "retail")
        #expect(verdict.chain.map(\.kind) == [.account])
        #expect(verdict.missing?.kind == .target)
        if case .advice = verdict.missing?.nextStep {} else { Issue.record("a producer's role gets advice, not a vend command") }
    }
}
