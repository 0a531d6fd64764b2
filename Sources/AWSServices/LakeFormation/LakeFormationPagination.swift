import AWSCore

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
