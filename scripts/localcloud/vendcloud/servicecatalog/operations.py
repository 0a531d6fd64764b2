"""The Service Catalog operations the local cloud answers: AWS operation name -> handler.

Every servicecatalog request is answered here (moto's servicecatalog is bypassed); an
operation not in OPERATIONS answers 501 NotImplemented. A handler takes (ctx, params) and
returns the answer's dict or raises AwsError.
"""
from ..errors import AwsError
from . import (artifacts, constraints, launch_paths, plans, portfolios, principals, products, provisioning, records,
               service_actions, shares, tag_options)

OPERATIONS = {
    "AcceptPortfolioShare": shares.accept_portfolio_share,
    "AssociatePrincipalWithPortfolio": principals.associate_principal_with_portfolio,
    "AssociateProductWithPortfolio": portfolios.associate_product_with_portfolio,
    "AssociateServiceActionWithProvisioningArtifact":
        service_actions.associate_service_action_with_provisioning_artifact,
    "AssociateTagOptionWithResource": tag_options.associate_tag_option_with_resource,
    "BatchAssociateServiceActionWithProvisioningArtifact":
        service_actions.batch_associate_service_action_with_provisioning_artifact,
    "BatchDisassociateServiceActionFromProvisioningArtifact":
        service_actions.batch_disassociate_service_action_from_provisioning_artifact,
    "CreateConstraint": constraints.create_constraint,
    "CreatePortfolio": portfolios.create_portfolio,
    "CreatePortfolioShare": shares.create_portfolio_share,
    "CreateProduct": products.create_product,
    "CreateProvisionedProductPlan": plans.create_provisioned_product_plan,
    "CreateProvisioningArtifact": artifacts.create_provisioning_artifact,
    "CreateServiceAction": service_actions.create_service_action,
    "CreateTagOption": tag_options.create_tag_option,
    "DeleteConstraint": constraints.delete_constraint,
    "DeletePortfolio": portfolios.delete_portfolio,
    "DeletePortfolioShare": shares.delete_portfolio_share,
    "DeleteProduct": products.delete_product,
    "DeleteProvisionedProductPlan": plans.delete_provisioned_product_plan,
    "DeleteProvisioningArtifact": artifacts.delete_provisioning_artifact,
    "DeleteServiceAction": service_actions.delete_service_action,
    "DeleteTagOption": tag_options.delete_tag_option,
    "DescribeConstraint": constraints.describe_constraint,
    "DescribePortfolio": portfolios.describe_portfolio,
    "DescribePortfolioShareStatus": shares.describe_portfolio_share_status,
    "DescribePortfolioShares": shares.describe_portfolio_shares,
    "DescribeProduct": products.describe_product,
    "DescribeProductAsAdmin": products.describe_product_as_admin,
    "DescribeProductView": products.describe_product_view,
    "DescribeProvisionedProduct": provisioning.describe_provisioned_product,
    "DescribeProvisionedProductPlan": plans.describe_provisioned_product_plan,
    "DescribeProvisioningArtifact": artifacts.describe_provisioning_artifact,
    "DescribeProvisioningParameters": launch_paths.describe_provisioning_parameters,
    "DescribeRecord": records.describe_record,
    "DescribeServiceAction": service_actions.describe_service_action,
    "DescribeServiceActionExecutionParameters": service_actions.describe_service_action_execution_parameters,
    "DescribeTagOption": tag_options.describe_tag_option,
    "DisableAWSOrganizationsAccess": shares.disable_aws_organizations_access,
    "DisassociatePrincipalFromPortfolio": principals.disassociate_principal_from_portfolio,
    "DisassociateProductFromPortfolio": portfolios.disassociate_product_from_portfolio,
    "DisassociateServiceActionFromProvisioningArtifact":
        service_actions.disassociate_service_action_from_provisioning_artifact,
    "DisassociateTagOptionFromResource": tag_options.disassociate_tag_option_from_resource,
    "EnableAWSOrganizationsAccess": shares.enable_aws_organizations_access,
    "ExecuteProvisionedProductServiceAction": service_actions.execute_provisioned_product_service_action,
    "GetAWSOrganizationsAccessStatus": shares.get_aws_organizations_access_status,
    "GetProvisionedProductOutputs": provisioning.get_provisioned_product_outputs,
    "ListAcceptedPortfolioShares": shares.list_accepted_portfolio_shares,
    "ListConstraintsForPortfolio": constraints.list_constraints_for_portfolio,
    "ListLaunchPaths": launch_paths.list_launch_paths,
    "ListOrganizationPortfolioAccess": shares.list_organization_portfolio_access,
    "ListPortfolioAccess": shares.list_portfolio_access,
    "ListPortfolios": portfolios.list_portfolios,
    "ListPortfoliosForProduct": portfolios.list_portfolios_for_product,
    "ListPrincipalsForPortfolio": principals.list_principals_for_portfolio,
    "ListProvisionedProductPlans": plans.list_provisioned_product_plans,
    "ListProvisioningArtifacts": artifacts.list_provisioning_artifacts,
    "ListProvisioningArtifactsForServiceAction": service_actions.list_provisioning_artifacts_for_service_action,
    "ListRecordHistory": records.list_record_history,
    "ListResourcesForTagOption": tag_options.list_resources_for_tag_option,
    "ListServiceActions": service_actions.list_service_actions,
    "ListServiceActionsForProvisioningArtifact": service_actions.list_service_actions_for_provisioning_artifact,
    "ListTagOptions": tag_options.list_tag_options,
    "ProvisionProduct": provisioning.provision_product,
    "RejectPortfolioShare": shares.reject_portfolio_share,
    "ScanProvisionedProducts": provisioning.scan_provisioned_products,
    "SearchProducts": products.search_products,
    "SearchProductsAsAdmin": products.search_products_as_admin,
    "SearchProvisionedProducts": provisioning.search_provisioned_products,
    "TerminateProvisionedProduct": provisioning.terminate_provisioned_product,
    "UpdateConstraint": constraints.update_constraint,
    "UpdatePortfolio": portfolios.update_portfolio,
    "UpdatePortfolioShare": shares.update_portfolio_share,
    "UpdateProduct": products.update_product,
    "UpdateProvisionedProduct": provisioning.update_provisioned_product,
    "UpdateProvisioningArtifact": artifacts.update_provisioning_artifact,
    "UpdateServiceAction": service_actions.update_service_action,
    "UpdateTagOption": tag_options.update_tag_option,
}


def handler_for(op):
    """The handler of a servicecatalog operation (None for other services); the operations
    not written answer 501 NotImplemented."""
    if op.service != "servicecatalog":
        return None
    fn = OPERATIONS.get(op.name)
    if fn is None:
        def unimplemented(ctx, p):
            raise AwsError("NotImplemented", f"servicecatalog:{op.name} is not implemented by the local cloud",
                           status=501, sender=False)
        return unimplemented
    return fn
