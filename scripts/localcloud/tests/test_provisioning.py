"""Provisioning is real: stacks in the launching account, as the launch role, outputs as record
outputs, FAILED records / ERROR / TAINTED products, tokens, DEPRECATED guidance."""
import pytest
from botocore.exceptions import ClientError

from conftest import CENTRAL, PRODUCER, make_client, wait_record
from helpers import SIMPLE_TEMPLATE, associate_me, catalog, make_launch_role, share_and_accept, upload_template


def launch(sc, prod, pa, pf, name, bucket, token="t1", **kw):
    return sc.provision_product(ProductId=prod, ProvisioningArtifactId=pa, PathId=pf, ProvisionedProductName=name,
                                ProvisioningParameters=[{"Key": "BucketName", "Value": bucket}],
                                ProvisionToken=token, **kw)["RecordDetail"]


def test_cross_account_launch_creates_real_stack_and_resources():
    sc, pf, prod, pa = catalog()
    psc = share_and_accept(sc, pf, "producer", PRODUCER)
    associate_me(psc, pf, "producer")
    make_launch_role("producer")
    rec = launch(psc, prod, pa, pf, "data-bucket", "producer-data-bucket")
    assert rec["Status"] == "CREATED" and rec["RecordId"].startswith("rec-")
    assert psc.describe_record(Id=rec["RecordId"])["RecordDetail"]["Status"] == "IN_PROGRESS"
    assert psc.describe_provisioned_product(Id=rec["ProvisionedProductId"])["ProvisionedProductDetail"][
        "Status"] == "UNDER_CHANGE"
    done = wait_record(psc, rec["RecordId"])
    assert done["RecordDetail"]["Status"] == "SUCCEEDED", done
    outs = {o["OutputKey"]: o["OutputValue"] for o in done["RecordOutputs"]}
    assert outs == {"BucketName": "producer-data-bucket", "Env": "dev"}
    assert done["RecordDetail"]["LaunchRoleArn"] == f"arn:aws:iam::{PRODUCER}:role/VendLaunchRole"
    assert done["RecordDetail"]["PathId"] == psc.list_launch_paths(ProductId=prod)["LaunchPathSummaries"][0]["Id"]
    pp = psc.describe_provisioned_product(Id=rec["ProvisionedProductId"])["ProvisionedProductDetail"]
    assert pp["Status"] == "AVAILABLE" and pp["Id"].startswith("pp-")
    # the stack and the bucket are real, in the producer account
    cfn = make_client("cloudformation", "producer")
    stack = cfn.describe_stacks(StackName=f"SC-{PRODUCER}-{pp['Id']}")["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE" and stack["RoleARN"].endswith("role/VendLaunchRole")
    s3 = make_client("s3", "producer")
    assert "Deny" in s3.get_bucket_policy(Bucket="producer-data-bucket")["Policy"]
    with pytest.raises(ClientError):
        make_client("cloudformation", "central").describe_stacks(StackName=f"SC-{PRODUCER}-{pp['Id']}")
    # same token -> same record, no second product
    again = launch(psc, prod, pa, pf, "data-bucket", "producer-data-bucket")
    assert again["RecordId"] == rec["RecordId"]
    found = psc.search_provisioned_products()["ProvisionedProducts"]
    assert [x["Id"] for x in found] == [pp["Id"]]
    # update, then terminate: the bucket goes away
    up = psc.update_provisioned_product(ProvisionedProductId=pp["Id"], UpdateToken="u1",
                                        ProvisioningParameters=[{"Key": "BucketName", "UsePreviousValue": True},
                                                                {"Key": "Env", "Value": "prod"}])["RecordDetail"]
    outs = {o["OutputKey"]: o["OutputValue"] for o in wait_record(psc, up["RecordId"])["RecordOutputs"]}
    assert outs["Env"] == "prod"
    term = psc.terminate_provisioned_product(ProvisionedProductId=pp["Id"], TerminateToken="x1")["RecordDetail"]
    assert wait_record(psc, term["RecordId"])["RecordDetail"]["Status"] == "SUCCEEDED"
    assert "producer-data-bucket" not in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    with pytest.raises(ClientError):
        psc.describe_provisioned_product(Id=pp["Id"])
    history = psc.list_record_history(SearchFilter={"Key": "provisionedproduct", "Value": pp["Id"]})
    assert {r["RecordType"] for r in history["RecordDetails"]} == {
        "PROVISION_PRODUCT", "UPDATE_PROVISIONED_PRODUCT", "TERMINATE_PROVISIONED_PRODUCT"}


def test_missing_local_launch_role_fails_like_aws():
    sc, pf, prod, pa = catalog()
    psc = share_and_accept(sc, pf, "producer", PRODUCER)
    associate_me(psc, pf, "producer")
    with pytest.raises(ClientError) as e:
        launch(psc, prod, pa, pf, "x", "some-bucket-name")
    assert e.value.response["Error"]["Code"] == "InvalidParametersException"
    assert "VendLaunchRole" in e.value.response["Error"]["Message"]


def test_failed_first_launch_is_error_and_failed_update_is_tainted():
    sc, pf, prod, pa = catalog()
    associate_me(sc, pf, "central")
    make_launch_role("central")
    rec = launch(sc, prod, pa, pf, "bad", "Not_A_Valid_Bucket")  # breaks AllowedPattern
    done = wait_record(sc, rec["RecordId"])
    assert done["RecordDetail"]["Status"] == "FAILED" and done["RecordDetail"]["RecordErrors"]
    assert sc.describe_provisioned_product(Id=rec["ProvisionedProductId"])["ProvisionedProductDetail"][
        "Status"] == "ERROR"
    good = launch(sc, prod, pa, pf, "good", "central-good-bucket", token="t2")
    assert wait_record(sc, good["RecordId"])["RecordDetail"]["Status"] == "SUCCEEDED"
    up = sc.update_provisioned_product(ProvisionedProductId=good["ProvisionedProductId"], UpdateToken="u2",
                                       ProvisioningParameters=[{"Key": "Env", "Value": "staging"}])["RecordDetail"]
    assert wait_record(sc, up["RecordId"])["RecordDetail"]["Status"] == "FAILED"
    assert sc.describe_provisioned_product(Id=good["ProvisionedProductId"])["ProvisionedProductDetail"][
        "Status"] == "TAINTED"


def test_deprecated_version_blocks_launch_but_allows_update():
    sc, pf, prod, pa = catalog()
    associate_me(sc, pf, "central")
    make_launch_role("central")
    rec = launch(sc, prod, pa, pf, "p1", "central-bucket-one")
    assert wait_record(sc, rec["RecordId"])["RecordDetail"]["Status"] == "SUCCEEDED"
    sc.update_provisioning_artifact(ProductId=prod, ProvisioningArtifactId=pa, Guidance="DEPRECATED")
    with pytest.raises(ClientError) as e:
        launch(sc, prod, pa, pf, "p2", "central-bucket-two", token="t2")
    assert e.value.response["Error"]["Code"] == "InvalidParametersException"
    up = sc.update_provisioned_product(ProvisionedProductId=rec["ProvisionedProductId"], UpdateToken="u1",
                                       ProvisioningArtifactId=pa,
                                       ProvisioningParameters=[{"Key": "Env", "Value": "prod"}])["RecordDetail"]
    assert wait_record(sc, up["RecordId"])["RecordDetail"]["Status"] == "SUCCEEDED"


def test_launch_with_cli(cli):
    import json
    sc, pf, prod, pa = catalog()
    associate_me(sc, pf, "central")
    make_launch_role("central")
    out = json.loads(cli("central", "servicecatalog", "provision-product", "--product-id", prod,
                         "--provisioning-artifact-id", pa, "--path-id", pf, "--provisioned-product-name", "cli-pp",
                         "--provisioning-parameters", "Key=BucketName,Value=cli-made-bucket",
                         "--provision-token", "cli-1").stdout)
    rid = out["RecordDetail"]["RecordId"]
    for _ in range(10):
        rec = json.loads(cli("central", "servicecatalog", "describe-record", "--id", rid).stdout)
        if rec["RecordDetail"]["Status"] not in ("CREATED", "IN_PROGRESS"):
            break
    assert rec["RecordDetail"]["Status"] == "SUCCEEDED"
    buckets = json.loads(cli("central", "s3api", "list-buckets").stdout)["Buckets"]
    assert "cli-made-bucket" in [b["Name"] for b in buckets]


def test_tag_options_become_stack_tags():
    sc, pf, prod, pa = catalog()
    associate_me(sc, pf, "central")
    make_launch_role("central")
    one = sc.create_tag_option(Key="classification", Value="internal")["TagOptionDetail"]["Id"]
    sc.associate_tag_option_with_resource(ResourceId=prod, TagOptionId=one)
    for v in ("sales", "hr"):
        t = sc.create_tag_option(Key="domain", Value=v)["TagOptionDetail"]["Id"]
        sc.associate_tag_option_with_resource(ResourceId=pf, TagOptionId=t)
    params = sc.describe_provisioning_parameters(ProductId=prod, ProvisioningArtifactId=pa, PathId=pf)
    assert sorted((t["Key"], sorted(t["Values"])) for t in params["TagOptions"]) == [
        ("classification", ["internal"]), ("domain", ["hr", "sales"])]
    with pytest.raises(ClientError) as e:  # several values: the user must choose
        launch(sc, prod, pa, pf, "t1", "tagged-bucket-one")
    assert e.value.response["Error"]["Code"] == "InvalidParametersException"
    with pytest.raises(ClientError):
        launch(sc, prod, pa, pf, "t1", "tagged-bucket-one", token="t2", Tags=[{"Key": "domain", "Value": "ops"}])
    rec = launch(sc, prod, pa, pf, "t1", "tagged-bucket-one", token="t3", Tags=[{"Key": "domain", "Value": "hr"}])
    assert wait_record(sc, rec["RecordId"])["RecordDetail"]["Status"] == "SUCCEEDED"
    stack = make_client("cloudformation").describe_stacks(
        StackName=f"SC-{CENTRAL}-{rec['ProvisionedProductId']}")["Stacks"][0]
    assert {t["Key"]: t["Value"] for t in stack["Tags"]} == {"classification": "internal", "domain": "hr"}


def test_template_constraint_rules_are_enforced():
    import json
    sc, pf, prod, pa = catalog()
    associate_me(sc, pf, "central")
    make_launch_role("central")
    sc.create_constraint(PortfolioId=pf, ProductId=prod, Type="TEMPLATE", IdempotencyToken="tc", Parameters=json.dumps(
        {"Rules": {"ProdOnlyNamed": {
            "RuleCondition": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
            "Assertions": [{"Assert": {"Fn::Contains": [["prod-bucket-a", "prod-bucket-b"], {"Ref": "BucketName"}]},
                            "AssertDescription": "prod buckets must be prod-bucket-a or -b"}]}}}))
    with pytest.raises(ClientError) as e:
        sc.provision_product(ProductId=prod, ProvisioningArtifactId=pa, PathId=pf, ProvisionedProductName="r1",
                             ProvisionToken="r1", ProvisioningParameters=[{"Key": "BucketName", "Value": "other"},
                                                                          {"Key": "Env", "Value": "prod"}])
    assert e.value.response["Error"]["Code"] == "InvalidParametersException"
    assert "prod-bucket-a" in e.value.response["Error"]["Message"]
    rec = launch(sc, prod, pa, pf, "r2", "dev-bucket-ok", token="r2")  # Env=dev: the rule does not apply
    assert wait_record(sc, rec["RecordId"])["RecordDetail"]["Status"] == "SUCCEEDED"


def test_role_arn_of_another_account_cannot_launch_in_a_recipient():
    import json
    sc, pf, prod, pa = catalog(launch_role=None)
    make_launch_role("central")
    sc.create_constraint(PortfolioId=pf, ProductId=prod, Type="LAUNCH", IdempotencyToken="ra",
                         Parameters=json.dumps({"RoleArn": f"arn:aws:iam::{CENTRAL}:role/VendLaunchRole"}))
    psc = share_and_accept(sc, pf, "producer", PRODUCER)
    associate_me(psc, pf, "producer")
    make_launch_role("producer")
    with pytest.raises(ClientError) as e:
        launch(psc, prod, pa, pf, "x", "some-bucket-name")
    assert e.value.response["Error"]["Code"] == "InvalidParametersException"
    associate_me(sc, pf, "central")
    rec = launch(sc, prod, pa, pf, "y", "central-owned-bucket")  # the owner's own account works
    assert wait_record(sc, rec["RecordId"])["RecordDetail"]["Status"] == "SUCCEEDED"


def test_terminate_with_data_left_taints_unless_ignore_errors():
    sc, pf, prod, pa = catalog()
    associate_me(sc, pf, "central")
    make_launch_role("central")
    rec = launch(sc, prod, pa, pf, "data", "bucket-with-data")
    wait_record(sc, rec["RecordId"])
    make_client("s3").put_object(Bucket="bucket-with-data", Key="k", Body=b"x")
    term = sc.terminate_provisioned_product(ProvisionedProductId=rec["ProvisionedProductId"],
                                            TerminateToken="t1")["RecordDetail"]
    done = wait_record(sc, term["RecordId"])
    assert done["RecordDetail"]["Status"] == "FAILED" and "not empty" in done["RecordDetail"]["RecordErrors"][0][
        "Description"]
    assert sc.describe_provisioned_product(Id=rec["ProvisionedProductId"])["ProvisionedProductDetail"][
        "Status"] == "TAINTED"
    term = sc.terminate_provisioned_product(ProvisionedProductId=rec["ProvisionedProductId"],
                                            TerminateToken="t2", IgnoreErrors=True)["RecordDetail"]
    assert wait_record(sc, term["RecordId"])["RecordDetail"]["Status"] == "SUCCEEDED"
    with pytest.raises(ClientError):
        sc.describe_provisioned_product(Id=rec["ProvisionedProductId"])
