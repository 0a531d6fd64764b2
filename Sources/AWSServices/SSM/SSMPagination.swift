import AWSCore

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
