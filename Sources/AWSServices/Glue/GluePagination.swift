import AWSCore

/// Every page of the Glue lists `doctor` and `status` read whole.
extension GlueClient {
    /// All databases of a catalog (the caller's when nil).
    public func allDatabases(catalogId: String? = nil) async throws -> [Glue.Database] {
        try await Paginator.collect { token in
            let page = try await getDatabases(Glue.GetDatabasesRequest(CatalogId: catalogId, NextToken: token, MaxResults: 100))
            return (page.DatabaseList ?? [], page.NextToken)
        }
    }

    /// All tables of a database.
    public func allTables(databaseName: String, catalogId: String? = nil) async throws -> [Glue.Table] {
        try await Paginator.collect { token in
            let page = try await getTables(Glue.GetTablesRequest(CatalogId: catalogId, DatabaseName: databaseName, NextToken: token, MaxResults: 100))
            return (page.TableList ?? [], page.NextToken)
        }
    }

    /// All crawlers of the account.
    public func allCrawlers() async throws -> [Glue.Crawler] {
        try await Paginator.collect { token in
            let page = try await getCrawlers(Glue.GetCrawlersRequest(MaxResults: 100, NextToken: token))
            return (page.Crawlers ?? [], page.NextToken)
        }
    }
}
