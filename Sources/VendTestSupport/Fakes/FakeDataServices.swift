import AWSCore
import AWSServices
import Foundation

/// Glue's Data Catalog in one account and region, as tests seed it (databases, tables,
/// crawlers); reads only, paged, EntityNotFoundException for what is missing.
public struct FakeGlue: GlueClient {
    /// Where the client acts.
    public let context: FakeContext

    /// A client of `context`.
    public init(_ context: FakeContext) { self.context = context }

    func read<T>(_ operation: String, _ body: (FakeGlueState) throws -> T) throws -> T {
        try context.call(operation) { state in try body(state.glue[context.scope] ?? FakeGlueState()) }
    }

    static func notFound(_ what: String) -> AWSServiceError { FakeError.make("EntityNotFoundException", "\(what) not found") }

    /// GetDatabase.
    public func getDatabase(_ input: Glue.GetDatabaseRequest) async throws -> Glue.GetDatabaseResponse {
        try read("GetDatabase") { glue in
            guard let database = glue.databases[input.Name] else { throw Self.notFound("Database \(input.Name)") }
            return .init(Database: database)
        }
    }

    /// GetDatabases, paged.
    public func getDatabases(_ input: Glue.GetDatabasesRequest) async throws -> Glue.GetDatabasesResponse {
        try read("GetDatabases") { glue in
            let page = try context.cloud.page(glue.databases.values.sorted { ($0.Name ?? "") < ($1.Name ?? "") }, token: input.NextToken, size: input.MaxResults)
            return .init(DatabaseList: page.items, NextToken: page.next)
        }
    }

    /// GetTables of a database, paged.
    public func getTables(_ input: Glue.GetTablesRequest) async throws -> Glue.GetTablesResponse {
        try read("GetTables") { glue in
            guard glue.databases[input.DatabaseName] != nil else { throw Self.notFound("Database \(input.DatabaseName)") }
            let tables = (glue.tables[input.DatabaseName] ?? [:]).values.sorted { ($0.Name ?? "") < ($1.Name ?? "") }
            let page = try context.cloud.page(tables, token: input.NextToken, size: input.MaxResults)
            return .init(TableList: page.items, NextToken: page.next)
        }
    }

    /// GetCrawler.
    public func getCrawler(_ input: Glue.GetCrawlerRequest) async throws -> Glue.GetCrawlerResponse {
        try read("GetCrawler") { glue in
            guard let crawler = glue.crawlers[input.Name] else { throw Self.notFound("Crawler \(input.Name)") }
            return .init(Crawler: crawler)
        }
    }

    /// GetCrawlers, paged.
    public func getCrawlers(_ input: Glue.GetCrawlersRequest) async throws -> Glue.GetCrawlersResponse {
        try read("GetCrawlers") { glue in
            let page = try context.cloud.page(glue.crawlers.values.sorted { ($0.Name ?? "") < ($1.Name ?? "") }, token: input.NextToken, size: input.MaxResults)
            return .init(Crawlers: page.items, NextToken: page.next)
        }
    }

}

/// Lake Formation in one account and region, as tests seed it (settings, grants, LF tags,
/// registered locations); reads only, paged.
public struct FakeLakeFormation: LakeFormationClient {
    /// Where the client acts.
    public let context: FakeContext

    /// A client of `context`.
    public init(_ context: FakeContext) { self.context = context }

    func read<T>(_ operation: String, _ body: (FakeLakeFormationState) throws -> T) throws -> T {
        try context.call(operation) { state in try body(state.lakeFormation[context.scope] ?? FakeLakeFormationState()) }
    }

    /// GetDataLakeSettings.
    public func getDataLakeSettings(_ input: LakeFormation.GetDataLakeSettingsRequest) async throws -> LakeFormation.GetDataLakeSettingsResponse {
        try read("GetDataLakeSettings") { lf in .init(DataLakeSettings: lf.settings) }
    }

    /// ListPermissions, optionally for one principal, paged.
    public func listPermissions(_ input: LakeFormation.ListPermissionsRequest) async throws -> LakeFormation.ListPermissionsResponse {
        try read("ListPermissions") { lf in
            let grants = lf.permissions.filter { input.Principal == nil || $0.Principal == input.Principal }
            let page = try context.cloud.page(grants, token: input.NextToken, size: input.MaxResults)
            return .init(PrincipalResourcePermissions: page.items, NextToken: page.next)
        }
    }

    /// ListLFTags, paged.
    public func listLFTags(_ input: LakeFormation.ListLFTagsRequest) async throws -> LakeFormation.ListLFTagsResponse {
        try read("ListLFTags") { lf in
            let page = try context.cloud.page(lf.tags, token: input.NextToken, size: input.MaxResults)
            return .init(LFTags: page.items, NextToken: page.next)
        }
    }

    /// GetResourceLFTags: a database's tags, or a table's own and its database's (tables inherit
    /// the database's tags; AWS lists both, the table's in LFTagsOnTable).
    public func getResourceLFTags(_ input: LakeFormation.GetResourceLFTagsRequest) async throws -> LakeFormation.GetResourceLFTagsResponse {
        try read("GetResourceLFTags") { lf in
            if let table = input.Resource.Table, let database = table.DatabaseName, let name = table.Name {
                return .init(LFTagOnDatabase: lf.assigned[database] ?? [], LFTagsOnTable: lf.assigned["\(database).\(name)"] ?? [])
            }
            guard let database = input.Resource.Database?.Name else { throw FakeError.make("InvalidInputException", "a database or a table is required") }
            return .init(LFTagOnDatabase: lf.assigned[database] ?? [])
        }
    }

    /// ListResources (registered locations), paged.
    public func listResources(_ input: LakeFormation.ListResourcesRequest) async throws -> LakeFormation.ListResourcesResponse {
        try read("ListResources") { lf in
            let page = try context.cloud.page(lf.resources, token: input.NextToken, size: input.MaxResults)
            return .init(ResourceInfoList: page.items, NextToken: page.next)
        }
    }

}

/// STS: GetCallerIdentity answers the client's account and caller; AssumeRole hands out
/// temporary credentials for a role that exists in the cloud.
public struct FakeSTS: STSClient {
    /// Where the client acts.
    public let context: FakeContext

    /// A client of `context`.
    public init(_ context: FakeContext) { self.context = context }

    /// GetCallerIdentity.
    public func getCallerIdentity() async throws -> CallerIdentity {
        try context.call("GetCallerIdentity") { _ in CallerIdentity(Account: context.account, Arn: context.caller, UserId: "AROAFAKE:\(context.account)") }
    }

    /// AssumeRole: AccessDenied unless the role exists in its account.
    public func assumeRole(roleArn: String, sessionName: String, externalId: String?, durationSeconds: Int?) async throws -> STSCredentials {
        try context.call("AssumeRole") { state in
            let parts = roleArn.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 6, let name = parts[5].split(separator: "/").last, state.roles[String(parts[4])]?[String(name)] != nil else {
                throw FakeError.make("AccessDenied", "User: \(context.caller) is not authorized to perform: sts:AssumeRole on resource: \(roleArn)", status: 403)
            }
            return FakeShapes.credentials(session: state.id("session"), expiring: state.now().addingTimeInterval(Double(durationSeconds ?? 3600)))
        }
    }

    /// AssumeRoleWithWebIdentity: not modelled.
    public func assumeRoleWithWebIdentity(roleArn: String, sessionName: String, webIdentityToken: String, durationSeconds: Int?) async throws -> STSCredentials {
        throw FakeError.notModelled("AssumeRoleWithWebIdentity")
    }
}

/// Athena in one account and region: work groups a test seeds.
public struct FakeAthena: AthenaClient {
    /// Where the client acts.
    public let context: FakeContext

    /// A client of `context`.
    public init(_ context: FakeContext) { self.context = context }

    /// GetWorkGroup: nil when there is none (as the live client reads AWS's "not found").
    public func getWorkGroup(name: String) async throws -> Athena.WorkGroup? {
        try context.call("GetWorkGroup") { state in state.workGroups[context.scope]?[name] }
    }
}
