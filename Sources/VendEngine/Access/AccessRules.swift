/// Which grants and implicit permissions reach a table or a resource link, each rule next to the
/// AWS Lake Formation Developer Guide page it follows. Written from those pages, not from the
/// local cloud's enforcement; where a page leaves a choice open, the choice the local cloud's
/// contract tests (scripts/localcloud/tests/test_lf_enforcement.py) established is taken and said.
enum AccessRules {
    /// `IAMAllowedPrincipals` as ListPermissions and GrantPermissions name it.
    static let iamAllowedPrincipals = "IAM_ALLOWED_PRINCIPALS"

    /// The table's effective LF-Tags: its own keys, and the database's for every key it does not carry.
    /// *Assigning LF-Tags to Data Catalog resources*: "If a table inherits an LF-tag from a database …,
    /// you can override the inherited value by assigning a new value to the LF-tag key."
    /// https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-assigning-tags.html
    static func effectiveTags(database: AccessSnapshot.Database, table: AccessSnapshot.Table) -> [String: Set<String>] {
        database.tags.merging(table.tags) { _, own in own }
    }

    /// Does an LF-Tag policy's expression match these tags? *Lake Formation tag-based access control*:
    /// a resource matches when, for every key of the expression, it carries one of the key's values
    /// (values are OR-ed within a key, keys AND-ed). `*` matches any value of a key the resource carries.
    /// https://docs.aws.amazon.com/lake-formation/latest/dg/tag-based-access-control.html
    static func matches(_ expression: [String: Set<String>], _ tags: [String: Set<String>]) -> Bool {
        !expression.isEmpty && expression.allSatisfy { key, values in
            guard let have = tags[key], !have.isEmpty else { return false }
            return values.contains("*") || !have.isDisjoint(with: values)
        }
    }

    /// The columns one grant allows the principal to SELECT on `owner`'s `database.table` (nil: none).
    /// - Named resource: `Table` (one table, or every table with `TableWildcard`) — *Granting table
    ///   permissions using the named resource method*, https://docs.aws.amazon.com/lake-formation/latest/dg/granting-table-permissions.html
    /// - `TableWithColumns`: an include list, or every column but an exclude list — *Data filtering and
    ///   cell-level security*, https://docs.aws.amazon.com/lake-formation/latest/dg/data-filtering.html
    /// - `LFTagPolicy` of resource type TABLE whose catalog id is the table's owner (LF-Tags live in the
    ///   account that owns the resource) — https://docs.aws.amazon.com/lake-formation/latest/dg/tag-based-access-control.html
    /// SELECT or ALL grants reading (*Lake Formation permissions reference*: ALL is "Super").
    /// https://docs.aws.amazon.com/lake-formation/latest/dg/lf-permissions-reference.html
    static func selectColumns(_ grant: AccessSnapshot.Grant, owner: String, database: String, table: String, columns: [String],
                              tags: [String: Set<String>]) -> Set<String>? {
        guard !grant.permissions.isDisjoint(with: ["SELECT", "ALL"]) else { return nil }
        switch grant.resource {
        case let .table(catalog, db, name) where catalog == owner && db == database && (name == nil || name == table):
            return Set(columns)
        case let .columns(catalog, db, name, included, excluded) where catalog == owner && db == database && name == table:
            if let included { return Set(included.map { $0.lowercased() }).intersection(columns) }
            return Set(columns).subtracting(excluded.map { $0.lowercased() })
        case let .tagPolicy(catalog, "TABLE", expression) where catalog == owner && matches(expression, tags):
            return Set(columns)
        default:
            return nil
        }
    }

    /// Does the grant give DESCRIBE (or ALL) on the database resource link `name` in `catalogId`?
    /// *Granting resource link permissions*: "To permit other principals in your account to access the
    /// resource link, grant at least the DESCRIBE permission." A link is a database of its own catalog.
    /// https://docs.aws.amazon.com/lake-formation/latest/dg/granting-link-permissions.html
    static func describesLink(_ grant: AccessSnapshot.Grant, catalogId: String, name: String) -> Bool {
        guard !grant.permissions.isDisjoint(with: ["DESCRIBE", "ALL"]) else { return false }
        if case let .database(catalog, database) = grant.resource { return catalog == catalogId && database == name }
        return false
    }

    /// Is `location` under an S3 location registered with Lake Formation? *Registering an Amazon S3
    /// location*: registering a path registers everything below it. *Using Athena to query data
    /// registered with Lake Formation*: Athena reads with credentials Lake Formation vends for
    /// registered locations only. https://docs.aws.amazon.com/lake-formation/latest/dg/register-data-lake.html,
    /// https://docs.aws.amazon.com/athena/latest/ug/security-athena-lake-formation.html
    static func registered(_ location: String, in registered: [String]) -> String? {
        let path = trimmed(location.components(separatedBy: "://").last ?? location)
        return registered.first { arn in
            let root = trimmed(arn.components(separatedBy: ":::").last ?? arn)
            return !root.isEmpty && (path == root || path.hasPrefix(root + "/"))
        }
    }

    /// Whether the table gives ALL to IAMAllowedPrincipals from the default settings. *Changing the
    /// default settings for your data lake*: with "Use only IAM access control for new tables" (a
    /// `CreateTableDefaultPermissions` of ALL for IAM_ALLOWED_PRINCIPALS, on the database or else the
    /// catalog's settings) IAM alone governs new tables. The catalog's current default stands in for the
    /// one at the table's creation, which the API does not report.
    /// https://docs.aws.amazon.com/lake-formation/latest/dg/change-settings.html
    static func iamAllowedByDefault(catalog: AccessSnapshot.Catalog, database: AccessSnapshot.Database) -> Bool {
        database.tableDefaultIAMAllowed ?? catalog.tableDefaultIAMAllowed
    }

    private static func trimmed(_ path: String) -> String {
        var path = path
        while path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
