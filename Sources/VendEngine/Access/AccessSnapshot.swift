/// What `vend access` decides from: the Lake Formation and Glue state of every account of the
/// mesh, as read (`AccessReader`) or written by hand in tests. Plain values, no AWS shapes, so
/// the evaluator is a pure function of it.
public struct AccessSnapshot: Sendable, Equatable {
    /// The central (owning) catalog's account id.
    public var central: String
    /// Producer domains and their central databases.
    public var producers: [Producer]
    /// Consumer domains and their accounts.
    public var consumers: [Consumer]
    /// How reports name an account (`central`, `producer retail`, `consumer analytics`).
    public var labels: [String: String]
    /// Every catalog read, by account id.
    public var catalogs: [String: Catalog]

    /// Creates a snapshot.
    public init(central: String, producers: [Producer], consumers: [Consumer], labels: [String: String] = [:], catalogs: [String: Catalog]) {
        self.central = central
        self.producers = producers
        self.consumers = consumers
        self.labels = labels
        self.catalogs = catalogs
    }

    /// A producer domain: its name and the Glue database its registration made in central.
    public struct Producer: Sendable, Equatable {
        /// The domain, e.g. `retail`.
        public var domain: String
        /// Its database in the central catalog.
        public var database: String
        /// Creates one.
        public init(domain: String, database: String) { self.domain = domain; self.database = database }
    }

    /// A consumer domain and the account it lives in.
    public struct Consumer: Sendable, Equatable {
        /// The domain, e.g. `analytics`.
        public var domain: String
        /// Its account.
        public var accountId: String
        /// Creates one.
        public init(domain: String, accountId: String) { self.domain = domain; self.accountId = accountId }
    }

    /// One account's Data Catalog and Lake Formation state.
    public struct Catalog: Sendable, Equatable {
        /// The account id (= catalog id).
        public var accountId: String
        /// Data lake administrators (DataLakeSettings.DataLakeAdmins).
        public var admins: Set<String> = []
        /// Whether new tables get ALL for IAMAllowedPrincipals (DataLakeSettings.CreateTableDefaultPermissions).
        public var tableDefaultIAMAllowed = false
        /// Every grant ListPermissions returned in this account.
        public var grants: [Grant] = []
        /// Databases (and database resource links) by name.
        public var databases: [String: Database] = [:]
        /// S3 locations registered with Lake Formation here (ListResources ARNs).
        public var registered: [String] = []
        /// Creates a catalog.
        public init(accountId: String, admins: Set<String> = [], tableDefaultIAMAllowed: Bool = false, grants: [Grant] = [],
                    databases: [String: Database] = [:], registered: [String] = []) {
            self.accountId = accountId
            self.admins = admins
            self.tableDefaultIAMAllowed = tableDefaultIAMAllowed
            self.grants = grants
            self.databases = databases
            self.registered = registered
        }
    }

    /// A Glue database, or a database resource link when `target` is set.
    public struct Database: Sendable, Equatable {
        /// The target of a resource link: the owning catalog and the database there.
        public var target: (catalogId: String, name: String)?
        /// The database's own LF-Tags (key → values).
        public var tags: [String: Set<String>] = [:]
        /// Whether tables created in it get ALL for IAMAllowedPrincipals (nil: the catalog's default applies).
        public var tableDefaultIAMAllowed: Bool?
        /// Its tables by name.
        public var tables: [String: Table] = [:]
        /// Creates a database.
        public init(target: (catalogId: String, name: String)? = nil, tags: [String: Set<String>] = [:], tableDefaultIAMAllowed: Bool? = nil,
                    tables: [String: Table] = [:]) {
            self.target = target
            self.tags = tags
            self.tableDefaultIAMAllowed = tableDefaultIAMAllowed
            self.tables = tables
        }

        /// Equal when every member is (tuples are not Equatable).
        public static func == (lhs: Database, rhs: Database) -> Bool {
            lhs.target?.catalogId == rhs.target?.catalogId && lhs.target?.name == rhs.target?.name && lhs.tags == rhs.tags
                && lhs.tableDefaultIAMAllowed == rhs.tableDefaultIAMAllowed && lhs.tables == rhs.tables
        }
    }

    /// A Glue table.
    public struct Table: Sendable, Equatable {
        /// Its columns (data columns, then partition keys).
        public var columns: [String]
        /// Its S3 location.
        public var location: String
        /// Its own LF-Tags (key → values); keys it does not carry are inherited from the database.
        public var tags: [String: Set<String>] = [:]
        /// The principal that created it (Glue `CreatedBy`, or the role of the crawler that wrote it).
        public var creator: String?
        /// Creates a table.
        public init(columns: [String], location: String, tags: [String: Set<String>] = [:], creator: String? = nil) {
            self.columns = columns
            self.location = location
            self.tags = tags
            self.creator = creator
        }
    }

    /// One Lake Formation grant: who, on what, which permissions (grantable ones included).
    public struct Grant: Sendable, Equatable {
        /// The principal: an IAM ARN, an account id, or `IAM_ALLOWED_PRINCIPALS`.
        public var principal: String
        /// What it is on.
        public var resource: Resource
        /// The permissions (with or without the grant option).
        public var permissions: Set<String>
        /// Creates a grant.
        public init(principal: String, resource: Resource, permissions: Set<String>) {
            self.principal = principal
            self.resource = resource
            self.permissions = permissions
        }
    }

    /// The resource of a grant, each with the catalog it names.
    public enum Resource: Sendable, Equatable {
        /// A database or database resource link.
        case database(catalogId: String, name: String)
        /// A table (`name` nil: every table of the database, `TableWildcard`).
        case table(catalogId: String, database: String, name: String?)
        /// A table's columns: an include list, or every column but `excluded` (`ColumnWildcard`).
        case columns(catalogId: String, database: String, table: String, included: [String]?, excluded: [String])
        /// An LF-Tag policy on resource type `DATABASE` or `TABLE`: every key must match one of its values.
        case tagPolicy(catalogId: String, resourceType: String, expression: [String: Set<String>])
        /// Anything else (data locations, LF-Tags themselves, catalogs, filters).
        case other
    }
}

extension AccessSnapshot {
    /// The Lake Formation principal of an ARN: an assumed-role session is its role
    /// (arn:aws:sts::A:assumed-role/R/s → arn:aws:iam::A:role/R); anything else as given.
    public static func principal(of arn: String) -> String { Bootstrapper.principal(fromCallerArn: arn) }

    /// The account of an IAM ARN (its fifth field), or the value itself for an account id.
    public static func account(of principal: String) -> String {
        let parts = principal.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count > 4 ? String(parts[4]) : principal
    }

    /// How reports name an account.
    public func label(_ accountId: String) -> String { labels[accountId] ?? "account \(accountId)" }
}
