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

/// Every page of the Lake Formation lists `doctor` and `status` read whole.
extension LakeFormationClient {
    /// All permissions, optionally for one principal or resource.
    public func allPermissions(catalogId: String? = nil, principal: LakeFormation.DataLakePrincipal? = nil,
                               resource: LakeFormation.Resource? = nil) async throws -> [LakeFormation.PrincipalResourcePermissions] {
        try await Paginator.collect { token in
            let page = try await listPermissions(LakeFormation.ListPermissionsRequest(
                CatalogId: catalogId, Principal: principal, Resource: resource, NextToken: token, MaxResults: 100))
            return (page.PrincipalResourcePermissions ?? [], page.NextToken)
        }
    }

    /// All LF-Tags of a catalog.
    public func allLFTags(catalogId: String? = nil) async throws -> [LakeFormation.LFTagPair] {
        try await Paginator.collect { token in
            let page = try await listLFTags(LakeFormation.ListLFTagsRequest(CatalogId: catalogId, MaxResults: 100, NextToken: token))
            return (page.LFTags ?? [], page.NextToken)
        }
    }

    /// All registered data locations.
    public func allResources() async throws -> [LakeFormation.ResourceInfo] {
        try await Paginator.collect { token in
            let page = try await listResources(LakeFormation.ListResourcesRequest(MaxResults: 100, NextToken: token))
            return (page.ResourceInfoList ?? [], page.NextToken)
        }
    }
}

/// Every page of the SSM lists vend reads whole.
extension SSMClient {
    /// All documents matching key/value filters (e.g. `Owner` = `Self`, `DocumentType` = `Automation`).
    public func allDocuments(filters: [SSM.DocumentKeyValuesFilter]? = nil) async throws -> [SSM.DocumentIdentifier] {
        try await Paginator.collect { token in
            let page = try await listDocuments(SSM.ListDocumentsRequest(Filters: filters, MaxResults: 50, NextToken: token))
            return (page.DocumentIdentifiers ?? [], page.NextToken)
        }
    }

    /// All automation executions matching filters.
    public func allAutomationExecutions(filters: [SSM.AutomationExecutionFilter]? = nil) async throws -> [SSM.AutomationExecutionMetadata] {
        try await Paginator.collect { token in
            let page = try await describeAutomationExecutions(SSM.DescribeAutomationExecutionsRequest(Filters: filters, MaxResults: 50, NextToken: token))
            return (page.AutomationExecutionMetadataList ?? [], page.NextToken)
        }
    }
}
