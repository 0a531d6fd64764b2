import AWSServices
import VendModel

/// Fills an `AccessSnapshot` from the live accounts with read calls only: in every account
/// GetDataLakeSettings, ListPermissions and GetDatabases; in central (the owning catalog) also
/// ListResources, GetCrawlers, and GetTables and GetResourceLFTags of each producer domain's database
/// and its tables.
/// ListPermissions shows everything only to a data lake administrator: read with vend's profiles.
public enum AccessReader {
    /// One account to read: its id, how reports name it, and its clients.
    public struct Account: Sendable {
        /// The account id.
        public var accountId: String
        /// `central`, `producer retail`, `consumer analytics`.
        public var label: String
        /// Its clients.
        public var clients: AWSServiceClients
        /// Creates one.
        public init(accountId: String, label: String, clients: AWSServiceClients) {
            self.accountId = accountId
            self.label = label
            self.clients = clients
        }
    }

    /// Reads the snapshot of the mesh vend.yaml declares; `accounts` holds central and every spoke.
    public static func read(config: MeshConfig, accounts: [Account]) async throws -> AccessSnapshot {
        let producers = config.producers.compactMap { $0.domain }.map { AccessSnapshot.Producer(domain: $0, database: MeshRules.databaseName($0)) }
        let consumers = config.consumers.compactMap { account in account.domain.map { AccessSnapshot.Consumer(domain: $0, accountId: account.accountId) } }
        var catalogs: [String: AccessSnapshot.Catalog] = [:]
        var labels: [String: String] = [:]
        for account in accounts where catalogs[account.accountId] == nil {
            labels[account.accountId] = account.label
            var catalog = try await lakeFormation(account)
            for database in try await account.clients.glue.allDatabases() {
                guard let name = database.Name else { continue }
                catalog.databases[name] = AccessSnapshot.Database(
                    target: database.TargetDatabase.flatMap { target in target.DatabaseName.map { (target.CatalogId ?? account.accountId, $0) } },
                    tableDefaultIAMAllowed: database.CreateTableDefaultPermissions.map { Self.iamAllowed($0.map { $0.Principal?.DataLakePrincipalIdentifier }) })
            }
            if account.accountId == config.central.accountId {
                catalog.registered = try await account.clients.lakeFormation.allResources().compactMap(\.ResourceArn)
                try await readTables(of: producers.map(\.database), into: &catalog, clients: account.clients)
            }
            catalogs[account.accountId] = catalog
        }
        return AccessSnapshot(central: config.central.accountId, producers: producers, consumers: consumers, labels: labels, catalogs: catalogs)
    }

    /// Admins, default settings and grants of one account.
    static func lakeFormation(_ account: Account) async throws -> AccessSnapshot.Catalog {
        let lakeFormation = account.clients.lakeFormation
        let settings = try await lakeFormation.getDataLakeSettings(.init()).DataLakeSettings
        let grants = try await lakeFormation.allPermissions().compactMap { grant(from: $0, listedIn: account.accountId) }
        return AccessSnapshot.Catalog(
            accountId: account.accountId, admins: Set(settings?.DataLakeAdmins?.compactMap(\.DataLakePrincipalIdentifier) ?? []),
            tableDefaultIAMAllowed: iamAllowed(settings?.CreateTableDefaultPermissions?.map { $0.Principal?.DataLakePrincipalIdentifier } ?? []),
            grants: grants)
    }

    /// Tables, their LF-Tags and creators, for the central databases.
    static func readTables(of databases: [String], into catalog: inout AccessSnapshot.Catalog, clients: AWSServiceClients) async throws {
        // A crawler's tables carry UPDATED_BY_CRAWLER: their creator is the crawler's role when Glue names none.
        let crawlerRoles = Dictionary(try await clients.glue.allCrawlers().compactMap { crawler in crawler.Name.map { ($0, crawler.Role ?? "") } },
                                      uniquingKeysWith: { first, _ in first })
        for name in databases {
            guard var database = catalog.databases[name] else { continue }
            database.tags = tags(try await clients.lakeFormation.getResourceLFTags(.init(Resource: .init(Database: .init(CatalogId: catalog.accountId, Name: name)))).LFTagOnDatabase)
            for table in try await clients.glue.allTables(databaseName: name) {
                guard let tableName = table.Name else { continue }
                let own = try await clients.lakeFormation.getResourceLFTags(.init(Resource: .init(Table: .init(CatalogId: catalog.accountId, DatabaseName: name, Name: tableName))))
                let crawler = table.Parameters?["UPDATED_BY_CRAWLER"].flatMap { crawlerRoles[$0] }
                let columns = (table.StorageDescriptor?.Columns ?? []) + (table.PartitionKeys ?? [])
                database.tables[tableName] = AccessSnapshot.Table(
                    columns: columns.compactMap { $0.Name?.lowercased() }, location: table.StorageDescriptor?.Location ?? "",
                    // AWS may list the inherited tags among a table's own; the same values change nothing.
                    tags: tags(own.LFTagsOnTable).filter { database.tags[$0.key] != $0.value },
                    creator: table.CreatedBy ?? crawler.map { roleArn($0, account: catalog.accountId) })
            }
            catalog.databases[name] = database
        }
    }

    /// A ListPermissions entry as a grant; a resource without a catalog id is in the listing account's catalog.
    static func grant(from entry: LakeFormation.PrincipalResourcePermissions, listedIn account: String) -> AccessSnapshot.Grant? {
        guard let principal = entry.Principal?.DataLakePrincipalIdentifier, let resource = entry.Resource else { return nil }
        let permissions = Set((entry.Permissions ?? []) + (entry.PermissionsWithGrantOption ?? []))
        let converted: AccessSnapshot.Resource
        if let table = resource.TableWithColumns, let database = table.DatabaseName, let name = table.Name {
            converted = .columns(catalogId: table.CatalogId ?? account, database: database, table: name,
                                 included: table.ColumnWildcard == nil ? table.ColumnNames ?? [] : nil, excluded: table.ColumnWildcard?.ExcludedColumnNames ?? [])
        } else if let table = resource.Table, let database = table.DatabaseName {
            converted = .table(catalogId: table.CatalogId ?? account, database: database, name: table.TableWildcard == nil ? table.Name : nil)
        } else if let policy = resource.LFTagPolicy, let type = policy.ResourceType {
            converted = .tagPolicy(catalogId: policy.CatalogId ?? account, resourceType: type, expression: tags(policy.Expression))
        } else if let database = resource.Database, let name = database.Name {
            converted = .database(catalogId: database.CatalogId ?? account, name: name)
        } else {
            converted = .other
        }
        return AccessSnapshot.Grant(principal: principal, resource: converted, permissions: permissions)
    }

    /// Key → values of LF-Tag pairs or expressions.
    static func tags(_ pairs: [LakeFormation.LFTagPair]?) -> [String: Set<String>] {
        Dictionary((pairs ?? []).compactMap { pair in pair.TagKey.map { ($0, Set(pair.TagValues ?? [])) } }, uniquingKeysWith: { $0.union($1) })
    }

    static func tags(_ expression: [LakeFormation.LFTag]?) -> [String: Set<String>] {
        Dictionary((expression ?? []).compactMap { tag in tag.TagKey.map { ($0, Set(tag.TagValues ?? [])) } }, uniquingKeysWith: { $0.union($1) })
    }

    static func iamAllowed(_ principals: [String?]) -> Bool { principals.contains(AccessRules.iamAllowedPrincipals) }

    /// A crawler's role as an ARN (Glue accepts a bare role name).
    static func roleArn(_ role: String, account: String) -> String { role.hasPrefix("arn:") ? role : "arn:aws:iam::\(account):role/\(role)" }
}
