"""Provisioned product plans (vendcloud/servicecatalog/plans.py, design note L4): the resource
changes an update or a launch would make, as DescribeProvisionedProductPlan shows them."""
import time

import pytest
from botocore.exceptions import ClientError

from conftest import wait_record
from helpers import associate_me, catalog, make_launch_role


@pytest.fixture
def launched():
    sc, pf, prod, pa = catalog()
    associate_me(sc, pf, "central")
    make_launch_role("central")
    rec = sc.provision_product(ProductId=prod, ProvisioningArtifactId=pa, PathId=pf, ProvisionedProductName="data",
                               ProvisioningParameters=[{"Key": "BucketName", "Value": "plan-bucket-one"}],
                               ProvisionToken="t1")["RecordDetail"]
    assert wait_record(sc, rec["RecordId"])["RecordDetail"]["Status"] == "SUCCEEDED"
    return sc, pf, prod, pa, rec["ProvisionedProductId"]


def make_plan(sc, prod, pa, pf, name, params, token="p1", plan_name="plan"):
    return sc.create_provisioned_product_plan(PlanName=plan_name, PlanType="CLOUDFORMATION", ProductId=prod,
                                              ProvisioningArtifactId=pa, PathId=pf, ProvisionedProductName=name,
                                              ProvisioningParameters=params, IdempotencyToken=token)


def wait_plan(sc, plan_id, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        out = sc.describe_provisioned_product_plan(PlanId=plan_id)
        if out["ProvisionedProductPlanDetails"]["Status"] != "CREATE_IN_PROGRESS":
            return out
        time.sleep(0.1)
    raise AssertionError(f"plan {plan_id} stayed CREATE_IN_PROGRESS")


def test_update_plan_shows_the_modify_its_replacement_and_the_changed_property(launched):
    sc, pf, prod, pa, pp_id = launched
    made = make_plan(sc, prod, pa, pf, "data", [{"Key": "BucketName", "Value": "plan-bucket-two"},
                                                 {"Key": "Env", "UsePreviousValue": True}])
    assert made["ProvisionProductId"] == pp_id and made["PlanId"].startswith("pp-")
    first = sc.describe_provisioned_product_plan(PlanId=made["PlanId"])
    assert first["ProvisionedProductPlanDetails"]["Status"] == "CREATE_IN_PROGRESS"
    assert first["ResourceChanges"] == []
    done = wait_plan(sc, made["PlanId"])
    detail = done["ProvisionedProductPlanDetails"]
    assert detail["Status"] == "CREATE_SUCCESS" and detail["ProvisionProductName"] == "data"
    assert detail["PlanType"] == "CLOUDFORMATION" and detail["ProvisioningArtifactId"] == pa
    changes = {c["LogicalResourceId"]: c for c in done["ResourceChanges"]}
    bucket = changes["Bucket"]
    assert bucket["Action"] == "MODIFY" and bucket["Replacement"] == "TRUE"
    assert bucket["PhysicalResourceId"] == "plan-bucket-one" and bucket["ResourceType"] == "AWS::S3::Bucket"
    assert bucket["Scope"] == ["PROPERTIES"]
    assert [d["Target"] for d in bucket["Details"]] == [
        {"Attribute": "PROPERTIES", "Name": "BucketName", "RequiresRecreation": "ALWAYS"}]
    # the policy refers to the replaced bucket: it changes too, its type not in the table
    assert changes["Policy"]["Action"] == "MODIFY" and changes["Policy"]["Replacement"] == "CONDITIONAL"
    # a plan changes nothing
    pp = sc.describe_provisioned_product(Id=pp_id)["ProvisionedProductDetail"]
    assert pp["Status"] == "AVAILABLE"
    outs = {o["OutputKey"]: o["OutputValue"] for o in
            sc.get_provisioned_product_outputs(ProvisionedProductId=pp_id)["Outputs"]}
    assert outs["BucketName"] == "plan-bucket-one"


def test_a_change_no_resource_uses_plans_no_resource_changes(launched):
    sc, pf, prod, pa, _ = launched
    made = make_plan(sc, prod, pa, pf, "data", [{"Key": "Env", "Value": "prod"}])
    assert wait_plan(sc, made["PlanId"])["ResourceChanges"] == []


def test_plan_for_a_new_name_adds_every_resource(launched):
    sc, pf, prod, pa, _ = launched
    made = make_plan(sc, prod, pa, pf, "fresh", [{"Key": "BucketName", "Value": "plan-bucket-new"}])
    done = wait_plan(sc, made["PlanId"])
    assert [(c["Action"], c["LogicalResourceId"], c["ResourceType"]) for c in done["ResourceChanges"]] == [
        ("ADD", "Bucket", "AWS::S3::Bucket"), ("ADD", "Policy", "AWS::S3::BucketPolicy")]
    assert not any("PhysicalResourceId" in c or "Replacement" in c for c in done["ResourceChanges"])
    assert "fresh" not in [p["Name"] for p in sc.search_provisioned_products()["ProvisionedProducts"]]


def test_list_and_delete(launched):
    sc, pf, prod, pa, pp_id = launched
    a = make_plan(sc, prod, pa, pf, "data", [{"Key": "Env", "Value": "prod"}], token="a", plan_name="a")
    b = make_plan(sc, prod, pa, pf, "other", [{"Key": "BucketName", "Value": "plan-bucket-b"}], token="b",
                  plan_name="b")
    again = make_plan(sc, prod, pa, pf, "data", [{"Key": "Env", "Value": "prod"}], token="a", plan_name="a")
    assert again["PlanId"] == a["PlanId"]  # same IdempotencyToken, same plan
    listed = sc.list_provisioned_product_plans()["ProvisionedProductPlans"]
    assert sorted(x["PlanId"] for x in listed) == sorted([a["PlanId"], b["PlanId"]])
    mine = sc.list_provisioned_product_plans(ProvisionProductId=pp_id)["ProvisionedProductPlans"]
    assert [(x["PlanName"], x["ProvisionProductName"]) for x in mine] == [("a", "data")]
    sc.delete_provisioned_product_plan(PlanId=a["PlanId"])
    assert [x["PlanId"] for x in sc.list_provisioned_product_plans()["ProvisionedProductPlans"]] == [b["PlanId"]]
    with pytest.raises(ClientError) as e:
        sc.describe_provisioned_product_plan(PlanId=a["PlanId"])
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        sc.delete_provisioned_product_plan(PlanId=a["PlanId"])
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_bad_inputs_are_refused_as_aws_refuses_them(launched):
    sc, pf, prod, pa, _ = launched
    with pytest.raises(ClientError) as e:
        sc.create_provisioned_product_plan(PlanName="x", PlanType="CLOUDFORMATION", ProductId=prod,
                                           ProvisioningArtifactId="pa-doesnotexist1", PathId=pf,
                                           ProvisionedProductName="data", IdempotencyToken="x1")
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as e:
        make_plan(sc, prod, pa, pf, "data", [{"Key": "NoSuchParameter", "Value": "v"}], token="x2")
    assert e.value.response["Error"]["Code"] == "InvalidParametersException"
    with pytest.raises(ClientError) as e:
        make_plan(sc, prod, pa, pf, "data", [{"Key": "Env", "Value": "staging"}], token="x3")  # not allowed
    assert e.value.response["Error"]["Code"] == "InvalidParametersException"
    assert sc.list_provisioned_product_plans()["ProvisionedProductPlans"] == []
