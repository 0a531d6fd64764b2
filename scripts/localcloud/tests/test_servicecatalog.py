"""Service Catalog: ids, unknown ids, idempotency, artifacts, associations, constraints,
TagOptions, shares on both sides, principals, launch paths, service-action quota."""
import json
import re
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from conftest import CENTRAL, CONSUMER, PRODUCER, make_client
from helpers import SIMPLE_TEMPLATE, associate_me, catalog, share_and_accept, upload_template

ID = {p: re.compile(rf"^{p}-[a-z0-9]{{13}}$") for p in ("port", "prod", "pa", "cons", "tag", "act", "pp", "rec")}


def code(e):
    return e.value.response["Error"]["Code"]


def test_ids_look_like_aws_and_unknown_ids_are_not_found():
    sc, pf, prod, pa = catalog()
    assert ID["port"].match(pf) and ID["prod"].match(prod) and ID["pa"].match(pa)
    cons = sc.list_constraints_for_portfolio(PortfolioId=pf)["ConstraintDetails"]
    assert ID["cons"].match(cons[0]["ConstraintId"])
    for call in (lambda: sc.describe_portfolio(Id="port-aaaaaaaaaaaaa"),
                 lambda: sc.describe_product_as_admin(Id="prod-aaaaaaaaaaaaa"),
                 lambda: sc.describe_provisioning_artifact(ProductId=prod, ProvisioningArtifactId="pa-aaaaaaaaaaaaa"),
                 lambda: sc.describe_constraint(Id="cons-aaaaaaaaaaaaa"),
                 lambda: sc.describe_record(Id="rec-aaaaaaaaaaaaa"),
                 lambda: sc.describe_provisioned_product(Id="pp-aaaaaaaaaaaaa"),
                 lambda: sc.describe_service_action(Id="act-aaaaaaaaaaaaa"),
                 lambda: sc.describe_tag_option(Id="tag-aaaaaaaaaaaaa")):
        with pytest.raises(ClientError) as e:
            call()
        assert code(e) == "ResourceNotFoundException"


def test_idempotency_token_returns_the_same_portfolio():
    sc = make_client("servicecatalog")
    a = sc.create_portfolio(DisplayName="p", ProviderName="x", IdempotencyToken="tok-1")["PortfolioDetail"]["Id"]
    b = sc.create_portfolio(DisplayName="p", ProviderName="x", IdempotencyToken="tok-1")["PortfolioDetail"]["Id"]
    c = sc.create_portfolio(DisplayName="p", ProviderName="x", IdempotencyToken="tok-2")["PortfolioDetail"]["Id"]
    assert a == b != c
    assert len(sc.list_portfolios()["PortfolioDetails"]) == 2


def test_artifacts_template_from_s3_creating_then_available_and_guidance():
    sc, pf, prod, pa = catalog()
    url = upload_template(SIMPLE_TEMPLATE, key="t/v2.yaml")
    local_url = url.replace("https://s3.amazonaws.com", make_client("s3").meta.endpoint_url)
    new = sc.create_provisioning_artifact(ProductId=prod, IdempotencyToken="pa-v2", Parameters={
        "Name": "2.0.0", "Info": {"LoadTemplateFromURL": local_url}, "Type": "CLOUD_FORMATION_TEMPLATE"})
    assert new["Status"] == "CREATING"
    pa2 = new["ProvisioningArtifactDetail"]["Id"]
    statuses = []
    for _ in range(50):
        d = sc.describe_provisioning_artifact(ProductId=prod, ProvisioningArtifactId=pa2, Verbose=True,
                                              IncludeProvisioningArtifactParameters=True)
        statuses.append(d["Status"])
        if d["Status"] != "CREATING":
            break
        time.sleep(0.1)
    assert statuses[0] == "CREATING"  # AWS: poll until AVAILABLE
    assert d["Status"] == "AVAILABLE" and d["ProvisioningArtifactDetail"]["Guidance"] == "DEFAULT"
    assert {p["ParameterKey"] for p in d["ProvisioningArtifactParameters"]} == {"BucketName", "Env"}
    sc.update_provisioning_artifact(ProductId=prod, ProvisioningArtifactId=pa, Guidance="DEPRECATED")
    arts = {a["Id"]: a for a in sc.list_provisioning_artifacts(ProductId=prod)["ProvisioningArtifactDetails"]}
    assert arts[pa]["Guidance"] == "DEPRECATED" and arts[pa2]["Active"] is True
    with pytest.raises(ClientError) as e:
        sc.create_provisioning_artifact(ProductId=prod, IdempotencyToken="pa-v3", Parameters={
            "Name": "3", "Info": {"LoadTemplateFromURL": "https://s3.amazonaws.com/vend-artifacts-111111111111/no"},
            "Type": "CLOUD_FORMATION_TEMPLATE"})
    assert code(e) == "InvalidParametersException"


def test_constraints_one_launch_per_pair_and_types():
    sc, pf, prod, pa = catalog()
    with pytest.raises(ClientError) as e:
        sc.create_constraint(PortfolioId=pf, ProductId=prod, Type="LAUNCH",
                             Parameters=json.dumps({"RoleArn": f"arn:aws:iam::{CENTRAL}:role/X"}),
                             IdempotencyToken="c2")
    assert code(e) == "DuplicateResourceException"
    sc.create_constraint(PortfolioId=pf, ProductId=prod, Type="TEMPLATE", IdempotencyToken="c3",
                         Parameters=json.dumps({"Rules": {"R": {"Assertions": []}}}))
    sc.create_constraint(PortfolioId=pf, ProductId=prod, Type="NOTIFICATION", IdempotencyToken="c4",
                         Parameters=json.dumps({"NotificationArns": [f"arn:aws:sns:us-east-1:{CENTRAL}:t"]}))
    types = sorted(c["Type"] for c in sc.list_constraints_for_portfolio(PortfolioId=pf)["ConstraintDetails"])
    assert types == ["LAUNCH", "NOTIFICATION", "TEMPLATE"]
    with pytest.raises(ClientError) as e:
        sc.delete_portfolio(Id=pf)
    assert code(e) == "ResourceInUseException"


def test_tag_options_and_quota():
    sc, pf, prod, pa = catalog()
    t = sc.create_tag_option(Key="classification", Value="internal")["TagOptionDetail"]
    assert ID["tag"].match(t["Id"])
    with pytest.raises(ClientError) as e:
        sc.create_tag_option(Key="classification", Value="internal")
    assert code(e) == "DuplicateResourceException"
    sc.associate_tag_option_with_resource(ResourceId=prod, TagOptionId=t["Id"])
    assert sc.describe_product_as_admin(Id=prod)["TagOptions"][0]["Value"] == "internal"
    ids = [sc.create_tag_option(Key=f"k{i}", Value="v")["TagOptionDetail"]["Id"] for i in range(25)]
    for i in ids[:24]:
        sc.associate_tag_option_with_resource(ResourceId=pf, TagOptionId=i)
    sc.associate_tag_option_with_resource(ResourceId=pf, TagOptionId=ids[24])
    with pytest.raises(ClientError) as e:
        sc.associate_tag_option_with_resource(ResourceId=pf, TagOptionId=t["Id"])
    assert code(e) == "LimitExceededException"
    res = sc.list_resources_for_tag_option(TagOptionId=t["Id"])["ResourceDetails"]
    assert [r["Id"] for r in res] == [prod]


def test_share_pending_then_accepted_on_both_sides():
    sc, pf, prod, pa = catalog()
    sc.create_portfolio_share(PortfolioId=pf, AccountId=PRODUCER)
    sc.create_portfolio_share(PortfolioId=pf, AccountId=PRODUCER)  # no-op, as in AWS
    shares = sc.describe_portfolio_shares(PortfolioId=pf, Type="ACCOUNT")["PortfolioShareDetails"]
    assert shares == [{"PrincipalId": PRODUCER, "Type": "ACCOUNT", "Accepted": False, "ShareTagOptions": False,
                       "SharePrincipals": False}]
    assert sc.list_portfolio_access(PortfolioId=pf)["AccountIds"] == [PRODUCER]
    psc = make_client("servicecatalog", "producer")
    assert psc.list_accepted_portfolio_shares()["PortfolioDetails"] == []
    # pending: the recipient sees the portfolio but cannot use its products
    assert psc.describe_portfolio(Id=pf)["PortfolioDetail"]["Id"] == pf
    with pytest.raises(ClientError):
        psc.list_launch_paths(ProductId=prod)
    with pytest.raises(ClientError) as e:
        make_client("servicecatalog", "consumer").accept_portfolio_share(PortfolioId=pf)
    assert code(e) == "ResourceNotFoundException"
    psc.accept_portfolio_share(PortfolioId=pf)
    assert [p["Id"] for p in psc.list_accepted_portfolio_shares()["PortfolioDetails"]] == [pf]
    assert sc.describe_portfolio_shares(PortfolioId=pf, Type="ACCOUNT")["PortfolioShareDetails"][0]["Accepted"]
    # an imported portfolio shows the owner's constraints; principals are the recipient's own
    assert psc.list_constraints_for_portfolio(PortfolioId=pf)["ConstraintDetails"][0]["Type"] == "LAUNCH"
    assert psc.search_products()["ProductViewSummaries"] == []  # no principal associated yet
    associate_me(psc, pf, "producer")
    assert [p["ProductId"] for p in psc.search_products()["ProductViewSummaries"]] == [prod]
    paths = psc.list_launch_paths(ProductId=prod)["LaunchPathSummaries"]
    assert re.match(r"^lpv3-[a-z0-9]{13}$", paths[0]["Id"]) and paths[0]["Name"] == "mesh"
    assert paths[0]["ConstraintSummaries"][0]["Type"] == "LAUNCH"
    params = psc.describe_provisioning_parameters(ProductId=prod, ProvisioningArtifactId=pa, PathId=paths[0]["Id"])
    assert {p["ParameterKey"] for p in params["ProvisioningArtifactParameters"]} == {"BucketName", "Env"}
    assert sc.list_principals_for_portfolio(PortfolioId=pf)["Principals"] == []
    sc.delete_portfolio_share(PortfolioId=pf, AccountId=PRODUCER)
    assert psc.list_accepted_portfolio_shares()["PortfolioDetails"] == []


def test_cli_share_and_accept(cli):
    sc, pf, prod, pa = catalog()
    cli("central", "servicecatalog", "create-portfolio-share", "--portfolio-id", pf, "--account-id", CONSUMER)
    cli("consumer", "servicecatalog", "accept-portfolio-share", "--portfolio-id", pf)
    out = json.loads(cli("consumer", "servicecatalog", "list-accepted-portfolio-shares").stdout)
    assert [p["Id"] for p in out["PortfolioDetails"]] == [pf]
    out = json.loads(cli("central", "servicecatalog", "describe-portfolio-shares", "--portfolio-id", pf,
                         "--type", "ACCOUNT").stdout)
    assert out["PortfolioShareDetails"][0]["Accepted"] is True
    p = cli("consumer", "servicecatalog", "describe-portfolio", "--id", "port-zzzzzzzzzzzzz", check=False)
    assert p.returncode != 0 and "ResourceNotFoundException" in p.stderr


def test_search_products_as_admin_and_describe_product():
    sc, pf, prod, pa = catalog()
    found = sc.search_products_as_admin(PortfolioId=pf)["ProductViewDetails"]
    assert [x["ProductViewSummary"]["ProductId"] for x in found] == [prod]
    with pytest.raises(ClientError):
        sc.describe_product(Id=prod)  # end-user view needs a principal association
    associate_me(sc, pf, "central")
    d = sc.describe_product(Id=prod)
    assert d["ProvisioningArtifacts"][0]["Id"] == pa and d["LaunchPaths"][0]["Id"].startswith("lpv3-")
    view = sc.describe_product_view(Id=d["ProductViewSummary"]["Id"])
    assert view["ProductViewSummary"]["ProductId"] == prod


def test_service_action_association_quota_25_per_version():
    sc, pf, prod, pa = catalog()
    ids = []
    for i in range(26):
        a = sc.create_service_action(Name=f"a{i}", DefinitionType="SSM_AUTOMATION", IdempotencyToken=f"sa{i}",
                                     Definition={"Name": "Doc", "Version": "1", "AssumeRole": "LAUNCH_ROLE"})
        ids.append(a["ServiceActionDetail"]["ServiceActionSummary"]["Id"])
    assert ID["act"].match(ids[0])
    for i in ids[:25]:
        sc.associate_service_action_with_provisioning_artifact(ProductId=prod, ProvisioningArtifactId=pa,
                                                               ServiceActionId=i)
    with pytest.raises(ClientError) as e:
        sc.associate_service_action_with_provisioning_artifact(ProductId=prod, ProvisioningArtifactId=pa,
                                                               ServiceActionId=ids[25])
    assert code(e) == "LimitExceededException"
    listed = sc.list_service_actions_for_provisioning_artifact(ProductId=prod, ProvisioningArtifactId=pa,
                                                               PageSize=20)
    assert len(listed["ServiceActionSummaries"]) == 20 and "NextPageToken" in listed
    sc.disassociate_service_action_from_provisioning_artifact(ProductId=prod, ProvisioningArtifactId=pa,
                                                              ServiceActionId=ids[0])
    sc.associate_service_action_with_provisioning_artifact(ProductId=prod, ProvisioningArtifactId=pa,
                                                           ServiceActionId=ids[25])
    d = sc.describe_service_action(Id=ids[3])["ServiceActionDetail"]
    assert d["Definition"]["AssumeRole"] == "LAUNCH_ROLE"


def test_unimplemented_operation_is_501_and_not_retried():
    from conftest import requests_log
    sc = make_client("servicecatalog", retries=3)
    with pytest.raises(ClientError) as e:
        sc.list_budgets_for_resource(ResourceId="port-aaaaaaaaaaaaa")
    assert code(e) == "NotImplemented"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert len(requests_log(operation="ListBudgetsForResource")) == 1


def test_organization_share_needs_management_account_and_is_tracked():
    sc, pf, prod, pa = catalog()
    with pytest.raises(ClientError) as e:
        sc.create_portfolio_share(PortfolioId=pf, OrganizationNode={"Type": "ORGANIZATION", "Value": "o-abcdefghij"})
    assert code(e) == "InvalidStateException"
    org = make_client("organizations")
    org_id = org.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    root = org.list_roots()["Roots"][0]["Id"]
    member = org.create_account(Email="m@example.com", AccountName="member")["CreateAccountStatus"]["AccountId"]
    with pytest.raises(ClientError) as e:  # AWS: Service Catalog's Organizations access comes first
        sc.create_portfolio_share(PortfolioId=pf, OrganizationNode={"Type": "ORGANIZATION", "Value": org_id})
    assert code(e) == "InvalidStateException"
    sc.enable_aws_organizations_access()
    assert sc.get_aws_organizations_access_status()["AccessStatus"] == "ENABLED"
    token = sc.create_portfolio_share(PortfolioId=pf, OrganizationNode={"Type": "ORGANIZATION", "Value": org_id})[
        "PortfolioShareToken"]
    assert sc.describe_portfolio_share_status(PortfolioShareToken=token)["Status"] == "IN_PROGRESS"
    with pytest.raises(ClientError) as e:  # AWS: one share action per portfolio at a time
        sc.update_portfolio_share(PortfolioId=pf, OrganizationNode={"Type": "ORGANIZATION", "Value": org_id},
                                  ShareTagOptions=True)
    assert code(e) == "InvalidStateException"
    time.sleep(0.4)
    status = sc.describe_portfolio_share_status(PortfolioShareToken=token)
    assert status["Status"] == "COMPLETED" and member in status["ShareDetails"]["SuccessfulShares"]
    shares = sc.describe_portfolio_shares(PortfolioId=pf, Type="ORGANIZATION")["PortfolioShareDetails"]
    assert shares[0]["PrincipalId"] == org_id
    assert sc.list_organization_portfolio_access(PortfolioId=pf, OrganizationNodeType="ORGANIZATION")[
        "OrganizationNodes"] == [{"Type": "ORGANIZATION", "Value": org_id}]
    assert root
