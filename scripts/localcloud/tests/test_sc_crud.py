"""Service Catalog: the update / delete / list operations not walked by the other tests."""
import json

import pytest
from botocore.exceptions import ClientError

from conftest import CENTRAL, CONSUMER, make_client, wait_record
from helpers import SIMPLE_TEMPLATE, associate_me, catalog, make_launch_role, upload_template


def code(e):
    return e.value.response["Error"]["Code"]


def test_update_and_delete_everything():
    sc, pf, prod, pa = catalog()
    sc.update_portfolio(Id=pf, DisplayName="mesh2", AddTags=[{"Key": "team", "Value": "data"}])
    d = sc.describe_portfolio(Id=pf)
    assert d["PortfolioDetail"]["DisplayName"] == "mesh2" and d["Tags"] == [{"Key": "team", "Value": "data"}]
    sc.update_product(Id=prod, Name="bucket-product-2", Description="desc")
    v = sc.describe_product_as_admin(Id=prod)["ProductViewDetail"]["ProductViewSummary"]
    assert v["Name"] == "bucket-product-2" and v["ShortDescription"] == "desc"
    assert [p["Id"] for p in sc.list_portfolios_for_product(ProductId=prod)["PortfolioDetails"]] == [pf]
    # constraints
    cons = sc.list_constraints_for_portfolio(PortfolioId=pf)["ConstraintDetails"][0]["ConstraintId"]
    sc.update_constraint(Id=cons, Description="launch as VendLaunchRole")
    assert sc.describe_constraint(Id=cons)["ConstraintDetail"]["Description"] == "launch as VendLaunchRole"
    with pytest.raises(ClientError) as e:
        sc.disassociate_product_from_portfolio(ProductId=prod, PortfolioId=pf)
    assert code(e) == "ResourceInUseException"
    sc.delete_constraint(Id=cons)
    # tag options
    t = sc.create_tag_option(Key="k", Value="v")["TagOptionDetail"]["Id"]
    sc.associate_tag_option_with_resource(ResourceId=pf, TagOptionId=t)
    with pytest.raises(ClientError) as e:
        sc.delete_tag_option(Id=t)
    assert code(e) == "ResourceInUseException"
    sc.update_tag_option(Id=t, Active=False)
    assert sc.list_tag_options(Filters={"Active": False})["TagOptionDetails"][0]["Id"] == t
    sc.disassociate_tag_option_from_resource(ResourceId=pf, TagOptionId=t)
    sc.delete_tag_option(Id=t)
    # principals
    sc.associate_principal_with_portfolio(PortfolioId=pf, PrincipalARN="arn:aws:iam:::role/Analyst*",
                                          PrincipalType="IAM_PATTERN")
    sc.disassociate_principal_from_portfolio(PortfolioId=pf, PrincipalARN="arn:aws:iam:::role/Analyst*")
    assert sc.list_principals_for_portfolio(PortfolioId=pf)["Principals"] == []
    # artifacts: the last one cannot go
    url = upload_template(SIMPLE_TEMPLATE, key="t/v2.yaml")
    pa2 = sc.create_provisioning_artifact(ProductId=prod, IdempotencyToken="v2", Parameters={
        "Name": "2", "Info": {"LoadTemplateFromURL": url}, "Type": "CLOUD_FORMATION_TEMPLATE"})[
        "ProvisioningArtifactDetail"]["Id"]
    sc.delete_provisioning_artifact(ProductId=prod, ProvisioningArtifactId=pa)
    with pytest.raises(ClientError) as e:
        sc.delete_provisioning_artifact(ProductId=prod, ProvisioningArtifactId=pa2)
    assert code(e) == "InvalidParametersException"
    # product and portfolio
    with pytest.raises(ClientError) as e:
        sc.delete_product(Id=prod)
    assert code(e) == "ResourceInUseException"
    sc.disassociate_product_from_portfolio(ProductId=prod, PortfolioId=pf)
    sc.delete_product(Id=prod)
    sc.delete_portfolio(Id=pf)
    assert sc.list_portfolios()["PortfolioDetails"] == []
    with pytest.raises(ClientError) as e:
        sc.describe_product_as_admin(Id=prod)
    assert code(e) == "ResourceNotFoundException"


def test_reject_share():
    sc, pf, prod, pa = catalog()
    sc.create_portfolio_share(PortfolioId=pf, AccountId=CONSUMER)
    csc = make_client("servicecatalog", "consumer")
    csc.reject_portfolio_share(PortfolioId=pf)
    assert sc.list_portfolio_access(PortfolioId=pf)["AccountIds"] == []
    with pytest.raises(ClientError):
        csc.accept_portfolio_share(PortfolioId=pf)


def test_service_action_crud_and_outputs_queries(cli):
    sc, pf, prod, pa = catalog()
    associate_me(sc, pf, "central")
    make_launch_role("central")
    a = sc.create_service_action(Name="A", DefinitionType="SSM_AUTOMATION", Definition={
        "Name": "Doc", "Version": "1", "AssumeRole": "LAUNCH_ROLE",
        "Parameters": json.dumps([{"Name": "InstanceId", "Type": "TARGET"}, {"Name": "X", "Type": "TEXT_VALUE"}])})
    aid = a["ServiceActionDetail"]["ServiceActionSummary"]["Id"]
    sc.update_service_action(Id=aid, Description="updated")
    assert sc.describe_service_action(Id=aid)["ServiceActionDetail"]["ServiceActionSummary"]["Description"] == \
        "updated"
    assert [x["Id"] for x in sc.list_service_actions()["ServiceActionSummaries"]] == [aid]
    failed = sc.batch_associate_service_action_with_provisioning_artifact(ServiceActionAssociations=[
        {"ServiceActionId": aid, "ProductId": prod, "ProvisioningArtifactId": pa},
        {"ServiceActionId": aid, "ProductId": prod, "ProvisioningArtifactId": "pa-aaaaaaaaaaaaa"}])
    assert [f["ErrorCode"] for f in failed["FailedServiceActionAssociations"]] == ["RESOURCE_NOT_FOUND"]
    views = sc.list_provisioning_artifacts_for_service_action(ServiceActionId=aid)["ProvisioningArtifactViews"]
    assert views[0]["ProvisioningArtifact"]["Id"] == pa
    with pytest.raises(ClientError) as e:
        sc.delete_service_action(Id=aid)
    assert code(e) == "ResourceInUseException"
    rec = sc.provision_product(ProductId=prod, ProvisioningArtifactId=pa, PathId=pf, ProvisionedProductName="pp1",
                               ProvisionToken="x", ProvisioningParameters=[{"Key": "BucketName",
                                                                            "Value": "crud-bucket"}])["RecordDetail"]
    wait_record(sc, rec["RecordId"])
    pp = rec["ProvisionedProductId"]
    params = sc.describe_service_action_execution_parameters(ProvisionedProductId=pp, ServiceActionId=aid)
    assert params["ServiceActionParameters"][0] == {"Name": "InstanceId", "Type": "TARGET", "DefaultValues": [pp]}
    outs = sc.get_provisioned_product_outputs(ProvisionedProductId=pp)["Outputs"]
    assert {o["OutputKey"] for o in outs} == {"BucketName", "Env"}
    assert [x["Id"] for x in sc.scan_provisioned_products()["ProvisionedProducts"]] == [pp]
    out = json.loads(cli("central", "servicecatalog", "search-provisioned-products", "--filters",
                         "SearchQuery=name:pp1").stdout)
    assert out["TotalResultsCount"] == 1 and out["ProvisionedProducts"][0]["PhysicalId"].startswith(
        f"arn:aws:cloudformation:us-east-1:{CENTRAL}:stack/SC-{CENTRAL}-{pp}/")
    hist = json.loads(cli("central", "servicecatalog", "list-record-history").stdout)["RecordDetails"]
    assert hist[0]["RecordId"] == rec["RecordId"]
    sc.disassociate_service_action_from_provisioning_artifact(ServiceActionId=aid, ProductId=prod,
                                                              ProvisioningArtifactId=pa)
    sc.delete_service_action(Id=aid)


def test_tag_option_listings_page_with_their_own_token():
    """ListTagOptions and ListResourcesForTagOption name their next token PageToken (not
    NextPageToken, as the other Service Catalog listings do): botocore's paginators read only
    that, so a wrong name would end every listing after its first page."""
    sc, pf, prod, _ = catalog()
    first = None
    for index in range(23):
        t = sc.create_tag_option(Key="team", Value=f"t{index:02d}")["TagOptionDetail"]["Id"]
        first = first or t
    pages = list(sc.get_paginator("list_tag_options").paginate(PaginationConfig={"PageSize": 10}))
    assert len(pages) == 3
    assert sorted(t["Value"] for page in pages for t in page["TagOptionDetails"]) == [f"t{i:02d}" for i in range(23)]
    products = [prod]
    url = upload_template(SIMPLE_TEMPLATE)
    for index in range(22):
        out = sc.create_product(Name=f"p{index:02d}", Owner="o", ProductType="CLOUD_FORMATION_TEMPLATE",
                                ProvisioningArtifactParameters={"Name": "1.0.0", "Info": {"LoadTemplateFromURL": url},
                                                                "Type": "CLOUD_FORMATION_TEMPLATE"},
                                IdempotencyToken=f"page-{index}")
        products.append(out["ProductViewDetail"]["ProductViewSummary"]["ProductId"])
    for product in products:
        sc.associate_tag_option_with_resource(ResourceId=product, TagOptionId=first)
    sc.associate_tag_option_with_resource(ResourceId=pf, TagOptionId=first)
    listed = [r["Id"] for page in sc.get_paginator("list_resources_for_tag_option").paginate(
        TagOptionId=first, ResourceType="Product", PaginationConfig={"PageSize": 20}) for r in page["ResourceDetails"]]
    assert sorted(listed) == sorted(products)
