"""The operations vend calls, service by service, each in the group whose file holds its shapes.

Only operations called in Sources/ or Tests/ belong here: the protocol lists exactly these
calls. A group becomes `<Namespace>+<Group>.swift`; keep each group near one resource so its
file stays under ~400 lines (split a group by resource when it grows past that). A group of one
large operation is split by shape instead: `shape_files` names a file and the shapes it takes
from their group, each with every structure only it leads to in that group.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Service:
    """One service: botocore's name, the Swift namespace, the `AWSServiceInfo` member, and
    the groups (group name -> operations, in the order the protocol lists them)."""
    botocore_name: str
    namespace: str
    info: str
    groups: dict
    shape_files: dict = None

    def operations(self):
        """(group, operation) in protocol order."""
        return [(group, op) for group, names in self.groups.items() for op in names.split()]


SERVICES = [
    Service("servicecatalog", "ServiceCatalog", "serviceCatalog", {
        "Portfolios": """CreatePortfolio DescribePortfolio ListPortfolios DeletePortfolio
                         AssociateProductWithPortfolio DisassociateProductFromPortfolio""",
        "Products": "CreateProduct DescribeProductAsAdmin SearchProductsAsAdmin DescribeProduct",
        "ProvisioningArtifacts": """CreateProvisioningArtifact DescribeProvisioningArtifact ListProvisioningArtifacts
                                    UpdateProvisioningArtifact""",
        "Constraints": "CreateConstraint DescribeConstraint ListConstraintsForPortfolio UpdateConstraint",
        "TagOptions": """CreateTagOption ListTagOptions AssociateTagOptionWithResource DisassociateTagOptionFromResource
                         ListResourcesForTagOption""",
        "Shares": """CreatePortfolioShare UpdatePortfolioShare DeletePortfolioShare DescribePortfolioShareStatus
                     DescribePortfolioShares ListPortfolioAccess AcceptPortfolioShare ListAcceptedPortfolioShares""",
        "Principals": "AssociatePrincipalWithPortfolio ListPrincipalsForPortfolio",
        "LaunchPaths": "ListLaunchPaths DescribeProvisioningParameters",
        "Provisioning": "ProvisionProduct UpdateProvisionedProduct TerminateProvisionedProduct",
        "ProvisionedProducts": "SearchProvisionedProducts DescribeProvisionedProduct GetProvisionedProductOutputs",
        "Records": "DescribeRecord ListRecordHistory",
        "ProvisionedProductPlans": "CreateProvisionedProductPlan DescribeProvisionedProductPlan DeleteProvisionedProductPlan",
        "ServiceActions": """CreateServiceAction DescribeServiceAction ListServiceActions UpdateServiceAction
                             AssociateServiceActionWithProvisioningArtifact ListServiceActionsForProvisioningArtifact
                             ExecuteProvisionedProductServiceAction""",
    }),
    Service("ssm", "SSM", "ssm", {
        "Documents": "CreateDocument UpdateDocument DescribeDocument UpdateDocumentDefaultVersion DeleteDocument",
        "DocumentList": "ListDocuments",
        "DocumentPermissions": "ModifyDocumentPermission DescribeDocumentPermission",
        "AutomationExecutions": "StartAutomationExecution GetAutomationExecution",
        "AutomationExecutionList": "DescribeAutomationExecutions",
        "Parameters": "PutParameter GetParametersByPath DescribeParameters",
    }),
    Service("glue", "Glue", "glue", {
        "Databases": "GetDatabase GetDatabases CreateDatabase",
        "Tables": "GetTables",
        "Crawlers": "GetCrawler GetCrawlers",
        "CrawlerUpdates": "UpdateCrawler DeleteCrawler",
    }, shape_files={
        "TableStorage": "StorageDescriptor",
    }),
    Service("lakeformation", "LakeFormation", "lakeFormation", {
        "DataLakeSettings": "GetDataLakeSettings",
        "Permissions": "ListPermissions GrantPermissions",
        "LFTags": "ListLFTags GetResourceLFTags",
        "Resources": "ListResources",
    }),
]
