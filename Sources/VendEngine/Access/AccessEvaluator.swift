/// `vend access`'s pure core: from a snapshot of the live grants, may a principal SELECT each table
/// of the mesh? Every table of each producer domain's central database is evaluated along the way
/// the principal reaches it: through each resource link its account holds to that database, directly
/// in central, or — in an account without a link — by naming the central catalog (an Athena data
/// catalog of type GLUE). Only Lake Formation is evaluated: IAM policies, S3 bucket policies and RAM
/// share acceptance are not (the principal is taken to hold the IAM permissions it needs).
public enum AccessEvaluator {
    /// One verdict per (way in, table), in domain, consumer and table order.
    public static func evaluate(principal arn: String, snapshot: AccessSnapshot) -> [AccessVerdict] {
        let principal = AccessSnapshot.principal(of: arn)
        let account = AccessSnapshot.account(of: principal)
        let home = snapshot.catalogs[account] ?? AccessSnapshot.Catalog(accountId: account)
        guard let owner = snapshot.catalogs[snapshot.central] else { return [] }
        var verdicts: [AccessVerdict] = []
        for producer in snapshot.producers {
            guard let database = owner.databases[producer.database] else { continue }
            let links = account == owner.accountId ? [] : home.databases
                .filter { $0.value.target?.catalogId == owner.accountId && $0.value.target?.name == producer.database }.keys.sorted()
            let consumer = snapshot.consumers.first { $0.accountId == account }?.domain ?? snapshot.label(account)
            let ways: [String?] = links.isEmpty ? [nil] : links.map { $0 }
            for link in ways {
                for (name, table) in database.tables.sorted(by: { $0.key < $1.key }) {
                    let way = Way(principal: principal, home: home, owner: owner, domain: producer.domain, consumer: consumer,
                                  consumerDomain: snapshot.consumers.first { $0.accountId == account }?.domain, link: link,
                                  database: producer.database, databaseState: database, table: name, tableState: table)
                    verdicts.append(way.verdict())
                }
            }
        }
        return verdicts
    }
}

/// One way a principal reaches one table, and the links it needs.
private struct Way {
    let principal: String
    let home: AccessSnapshot.Catalog
    let owner: AccessSnapshot.Catalog
    let domain: String
    let consumer: String
    let consumerDomain: String?
    let link: String?
    let database: String
    let databaseState: AccessSnapshot.Database
    let table: String
    let tableState: AccessSnapshot.Table

    var qualified: String { "\(owner.accountId):\(database).\(table)" }
    var tags: [String: Set<String>] { AccessRules.effectiveTags(database: databaseState, table: tableState) }

    func verdict() -> AccessVerdict {
        var chain: [AccessLink] = []
        func denied(_ missing: AccessLink) -> AccessVerdict {
            AccessVerdict(allowed: false, domain: domain, consumer: consumer, database: link ?? database, table: table, chain: chain, missing: missing)
        }
        if let link {
            switch linkDescribe(link) {
            case let .success(found): chain.append(found)
            case let .failure(missing): return denied(missing.link)
            }
        }
        let columns: Set<String>, viaIAM: Bool
        switch home.accountId == owner.accountId ? sameAccountSelect() : crossAccountSelect(&chain) {
        case let .success(found):
            chain.append(found.link)
            (columns, viaIAM) = (found.columns, found.viaIAM)
        case let .failure(missing): return denied(missing.link)
        }
        // IAMAllowedPrincipals: IAM governs, Lake Formation vends nothing (change-settings.html); else
        // the location must be registered for Athena to get credentials (register-data-lake.html).
        if !viaIAM {
            guard let root = AccessRules.registered(tableState.location, in: owner.registered) else {
                return denied(AccessLink(.location, "\(tableState.location) is not registered with Lake Formation in \(owner.accountId)",
                                         nextStep: .run(.launchProducer(domain: domain), " (its registration registers the bucket)")))
            }
            chain.append(AccessLink(.location, "\(tableState.location) under \(root), registered in \(owner.accountId)"))
        }
        let readable = tableState.columns.filter(columns.contains)
        guard !readable.isEmpty else {
            return denied(AccessLink(.target, "\(principal) may read no column of \(qualified)", nextStep: .advice("grant it columns of \(qualified)")))
        }
        return AccessVerdict(allowed: true, domain: domain, consumer: consumer, database: link ?? database, table: table, chain: chain, missing: nil,
                             columns: readable.count == tableState.columns.count ? nil : readable)
    }

    /// A missing link, as a failure value.
    struct Missing: Error { let link: AccessLink }
    /// SELECT found: how, the columns, and whether IAM (IAMAllowedPrincipals) decides instead of Lake Formation.
    struct Found { let link: AccessLink; let columns: Set<String>; var viaIAM = false }

    /// DESCRIBE on the resource link, in the principal's own catalog.
    func linkDescribe(_ link: String) -> Result<AccessLink, Missing> {
        let where_ = "the resource link \(link) in \(home.accountId)"
        // *Implicit Lake Formation permissions*: data lake administrators "have Describe access to all
        // resources in the Data Catalog" of their account. https://docs.aws.amazon.com/lake-formation/latest/dg/implicit-permissions.html
        if home.admins.contains(principal) { return .success(AccessLink(.link, "DESCRIBE on \(where_): implicit, a data lake administrator")) }
        for grantee in [principal, AccessRules.iamAllowedPrincipals] {
            if home.grants.contains(where: { $0.principal == grantee && AccessRules.describesLink($0, catalogId: home.accountId, name: link) }) {
                return .success(AccessLink(.link, "DESCRIBE on \(where_), granted to \(grantee)"))
            }
        }
        return .failure(Missing(link: AccessLink(.link, "\(principal) holds no DESCRIBE on \(where_)", nextStep: analystStep)))
    }

    /// Same account: the principal's grants, then the table creator's implicit permissions, then
    /// IAMAllowedPrincipals. Data lake administrators and database creators get no implicit SELECT.
    func sameAccountSelect() -> Result<Found, Missing> {
        if let found = union(of: owner.grants, for: principal, in: owner.accountId) { return .success(found) }
        // *Implicit Lake Formation permissions*: "Table creators have all permissions on tables that they create."
        // https://docs.aws.amazon.com/lake-formation/latest/dg/implicit-permissions.html
        if tableState.creator == principal {
            return .success(Found(link: AccessLink(.target, "SELECT on \(qualified): implicit, \(principal) created the table"), columns: Set(tableState.columns)))
        }
        // *Changing the default settings for your data lake*: IAMAllowedPrincipals (explicit, or from the
        // default settings) lets every principal of the account in, as far as IAM allows.
        // https://docs.aws.amazon.com/lake-formation/latest/dg/change-settings.html
        if union(of: owner.grants, for: AccessRules.iamAllowedPrincipals, in: owner.accountId) != nil
            || AccessRules.iamAllowedByDefault(catalog: owner, database: databaseState) {
            return .success(Found(link: AccessLink(.target, "SELECT on \(qualified) for IAMAllowedPrincipals: IAM alone decides (not evaluated)"),
                                  columns: Set(tableState.columns), viaIAM: true))
        }
        let admin = owner.admins.contains(principal) ? " (a data lake administrator has no implicit SELECT; it may grant itself)" : ""
        return .failure(Missing(link: AccessLink(.target, "\(principal) holds no SELECT on \(qualified)\(admin)",
                                                 nextStep: .advice("grant it SELECT on \(qualified), by name or by LF-Tag policy"))))
    }

    /// Another account's table. *Accessing the underlying data of a shared table*: the owner grants the
    /// account, and "the data lake administrator must re-grant to the principal the Lake Formation SELECT
    /// permission that account A granted", naming A's catalog; either alone reads nothing. The re-grant is
    /// worth what the account still holds (the local cloud's contract tests check it at query time).
    /// Implicit permissions and IAMAllowedPrincipals of the owning account reach no other account.
    /// https://docs.aws.amazon.com/lake-formation/latest/dg/cross-account-read-data.html
    func crossAccountSelect(_ chain: inout [AccessLink]) -> Result<Found, Missing> {
        guard let shared = union(of: owner.grants, for: home.accountId, in: owner.accountId) else {
            let step: NextStep = consumerDomain.map { .run(.launchConsumer(domain: $0), " (its central registration grants the account)") }
                ?? .advice("vend grants only consumer accounts read access; grant \(home.accountId) SELECT on \(qualified) in \(owner.accountId)")
            return .failure(Missing(link: AccessLink(.account, "catalog \(owner.accountId) grants account \(home.accountId) no SELECT on \(qualified)\(overrideNote)",
                                                     nextStep: overrideNote.isEmpty ? step : .advice("remove the table's own LF-Tags or grant it by name"))))
        }
        chain.append(AccessLink(.account, shared.link.text))
        guard let mine = union(of: home.grants, for: principal, in: home.accountId) else {
            let admin = home.admins.contains(principal) ? "; a data lake administrator has no implicit SELECT, it may grant itself" : ""
            return .failure(Missing(link: AccessLink(.target, "\(principal) holds no SELECT on \(qualified) granted in \(home.accountId) "
                                                     + "naming catalog \(owner.accountId)\(admin)", nextStep: analystStep)))
        }
        return .success(Found(link: mine.link, columns: shared.columns.intersection(mine.columns)))
    }

    /// The union of the columns `grantee`'s SELECT grants (stored in `catalog`) allow, with the first grant found.
    func union(of grants: [AccessSnapshot.Grant], for grantee: String, in catalog: String) -> Found? {
        var first: AccessSnapshot.Grant?, columns = Set<String>()
        for grant in grants where grant.principal == grantee {
            guard let allowed = AccessRules.selectColumns(grant, owner: owner.accountId, database: database, table: table,
                                                          columns: tableState.columns, tags: tags) else { continue }
            if first == nil { first = grant }
            columns.formUnion(allowed)
        }
        return first.map { Found(link: AccessLink(grantee == principal ? .target : .account, "SELECT on \(qualified) by \(Self.describe($0.resource)), "
                                                  + "granted to \(grantee) in \(catalog)"), columns: columns) }
    }

    /// Why a tag policy that matches the database misses the table: its own LF-Tags override the database's.
    var overrideNote: String {
        let overridden = tableState.tags.filter { key, own in databaseState.tags[key].map { $0 != own } ?? false }
        guard !overridden.isEmpty else { return "" }
        return " (the table's own LF-Tags \(Self.describe(overridden)) override its database's)"
    }

    /// What restores an analyst's grants: launching the consumer with this principal as its analyst role.
    var analystStep: NextStep {
        consumerDomain.map { .run(.launchConsumer(domain: $0, analystRole: principal), " to make it the domain's analyst role") }
            ?? .advice("a data lake administrator of \(home.accountId) grants it, naming catalog \(owner.accountId)")
    }

    static func describe(_ tags: [String: Set<String>]) -> String {
        tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.sorted().joined(separator: "|"))" }.joined(separator: ",")
    }

    static func describe(_ resource: AccessSnapshot.Resource) -> String {
        switch resource {
        case let .table(catalog, database, name): return "a grant on \(catalog):\(database).\(name ?? "*")"
        case let .columns(catalog, database, table, included, excluded):
            return "a column grant on \(catalog):\(database).\(table) (" + (included.map { $0.joined(separator: ",") } ?? "all but \(excluded.joined(separator: ","))") + ")"
        case let .tagPolicy(catalog, type, expression): return "LF-Tag policy \(type) \(describe(expression)) in catalog \(catalog)"
        case let .database(catalog, name): return "a grant on \(catalog):\(name)"
        case .other: return "a grant"
        }
    }
}
