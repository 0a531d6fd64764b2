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

    /// CreateDatabase (a resource link when it names a TargetDatabase); AlreadyExistsException for a taken name.
    public func createDatabase(_ input: Glue.CreateDatabaseRequest) async throws -> Glue.CreateDatabaseResponse {
        try context.call("CreateDatabase") { state in
            var glue = state.glue[context.scope] ?? FakeGlueState()
            guard glue.databases[input.DatabaseInput.Name] == nil else {
                throw FakeError.make("AlreadyExistsException", "Database already exists.")
            }
            glue.databases[input.DatabaseInput.Name] = Glue.Database(Name: input.DatabaseInput.Name, TargetDatabase: input.DatabaseInput.TargetDatabase,
                                                                      CatalogId: context.account)
            state.glue[context.scope] = glue
            return .init()
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

    /// DeleteCrawler (EntityNotFoundException for an unknown crawler); tables stay.
    public func deleteCrawler(_ input: Glue.DeleteCrawlerRequest) async throws -> Glue.DeleteCrawlerResponse {
        try context.call("DeleteCrawler") { state in
            var glue = state.glue[context.scope] ?? FakeGlueState()
            guard glue.crawlers.removeValue(forKey: input.Name) != nil else { throw Self.notFound("Crawler \(input.Name)") }
            state.glue[context.scope] = glue
            return .init()
        }
    }

    /// UpdateCrawler: replaces the fields given (EntityNotFoundException for an unknown crawler).
    public func updateCrawler(_ input: Glue.UpdateCrawlerRequest) async throws -> Glue.UpdateCrawlerResponse {
        try context.call("UpdateCrawler") { state in
            var glue = state.glue[context.scope] ?? FakeGlueState()
            guard var crawler = glue.crawlers[input.Name] else { throw Self.notFound("Crawler \(input.Name)") }
            if let targets = input.Targets { crawler.Targets = targets }
            if let role = input.Role { crawler.Role = role }
            if let database = input.DatabaseName { crawler.DatabaseName = database }
            glue.crawlers[input.Name] = crawler
            state.glue[context.scope] = glue
            return .init()
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

    /// GrantPermissions: adds the grant (a repeat is a no-op, as Lake Formation answers it).
    public func grantPermissions(_ input: LakeFormation.GrantPermissionsRequest) async throws -> LakeFormation.GrantPermissionsResponse {
        try context.call("GrantPermissions") { state in
            let grant = LakeFormation.PrincipalResourcePermissions(Principal: input.Principal, Resource: input.Resource, Permissions: input.Permissions,
                                                                    PermissionsWithGrantOption: input.PermissionsWithGrantOption)
            var lf = state.lakeFormation[context.scope] ?? FakeLakeFormationState()
            if !lf.permissions.contains(grant) { lf.permissions.append(grant) }
            state.lakeFormation[context.scope] = lf
            return .init()
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
            let session = state.id("session")
            state.sessions[session] = roleArn
            return FakeShapes.credentials(session: session, expiring: state.now().addingTimeInterval(Double(durationSeconds ?? 3600)))
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

    /// StartQueryExecution: QUEUED, answered after the cloud's polls by the test's query answer
    /// (FAILED "not modelled" when the test registered none).
    public func startQueryExecution(_ input: Athena.StartQueryExecutionInput) async throws -> String {
        try context.call("StartQueryExecution") { state in
            let id = state.id("query")
            state.queries[id] = FakeQuery(id: id, sql: input.QueryString, database: input.QueryExecutionContext?.Database, workGroup: input.WorkGroup ?? "primary",
                                          account: context.account, caller: context.caller, pollsLeft: state.queryPolls ?? state.polls)
            return id
        }
    }

    /// GetQueryExecution: advances the query one poll.
    public func getQueryExecution(id: String) async throws -> Athena.QueryExecution {
        try context.call("GetQueryExecution") { state in
            guard var query = state.queries[id], query.account == context.account else { throw Self.unknown(id) }
            if query.state == "QUEUED" || query.state == "RUNNING" {
                if query.pollsLeft > 0 {
                    query.pollsLeft -= 1
                    query.state = "RUNNING"
                } else {
                    switch state.queryAnswer?(query) ?? .failure(FakeQueryFailure("queries are not modelled by the fake unless a test answers them")) {
                    case let .success(rows): query.state = "SUCCEEDED"; query.rows = rows
                    case let .failure(failure): query.state = "FAILED"; query.reason = failure.reason
                    }
                }
                state.queries[id] = query
            }
            var status: [String: Any] = ["State": query.state]
            status["StateChangeReason"] = query.reason
            return try Self.decode(["QueryExecutionId": id, "Status": status])
        }
    }

    /// GetQueryResults of a SUCCEEDED query, paged (the first row is the header, as Athena sends it).
    public func getQueryResults(id: String, nextToken: String?, maxResults: Int?) async throws -> Athena.QueryResultsPage {
        try context.call("GetQueryResults") { state in
            guard let query = state.queries[id], query.account == context.account else { throw Self.unknown(id) }
            guard query.state == "SUCCEEDED" else { throw FakeError.make("InvalidRequestException", "Query has not yet finished. Current state: \(query.state)") }
            let page = try context.cloud.page(query.rows, token: nextToken, size: maxResults)
            var answer: [String: Any] = ["ResultSet": ["Rows": page.items.map { ["Data": $0.map { ["VarCharValue": $0] }] }]]
            answer["NextToken"] = page.next
            return try Self.decode(answer)
        }
    }

    /// StopQueryExecution: a running query becomes CANCELLED; a finished one stays as it is.
    public func stopQueryExecution(id: String) async throws {
        try context.call("StopQueryExecution") { state in
            guard var query = state.queries[id], query.account == context.account else { throw Self.unknown(id) }
            if query.state == "QUEUED" || query.state == "RUNNING" { query.state = "CANCELLED" }
            state.queries[id] = query
        }
    }

    static func unknown(_ id: String) -> AWSServiceError { FakeError.make("InvalidRequestException", "QueryExecution \(id) was not found") }

    /// Athena's shapes are built from answers: decode one from JSON as the live client does.
    static func decode<T: Decodable>(_ object: [String: Any]) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONSerialization.data(withJSONObject: object))
    }
}
