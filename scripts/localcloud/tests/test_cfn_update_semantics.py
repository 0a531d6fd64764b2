"""CloudFormation stack updates as AWS runs them (vendcloud/cfn_update.py, design note L3 a-c)
and who may grant Lake Formation permissions (vendcloud/lf_grantor.py).

The service calls a stack operation makes are read from the stack-call log
(/_localcloud/stack-calls); their order is the log's `seq`."""
import json

import boto3
import pytest
from botocore.exceptions import ClientError

from conftest import CENTRAL, CONSUMER, ENDPOINT, control, make_client

USER = f"arn:aws:iam::{CENTRAL}:user/vend-localcloud-admin"
ROLE_A, ROLE_B = f"arn:aws:iam::{CENTRAL}:role/reader-a", f"arn:aws:iam::{CENTRAL}:role/reader-b"


def calls(**filters):
    q = "&".join(f"{k}={v}" for k, v in filters.items())
    return control("GET", "/stack-calls" + ("?" + q if q else ""))["calls"]


def lf_glue_calls():
    return [c for c in calls() if c["service"] in ("lakeformation", "glue")]


def physical_ids(cfn, name):
    return {r["LogicalResourceId"]: r["PhysicalResourceId"]
            for r in cfn.describe_stack_resources(StackName=name)["StackResources"]}


def events(cfn, name):
    """(logical id, status, reason) oldest first."""
    return [(e["LogicalResourceId"], e["ResourceStatus"], e.get("ResourceStatusReason"))
            for e in reversed(cfn.describe_stack_events(StackName=name)["StackEvents"])]


def status(cfn, name):
    return cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]


def grants_to(principal, lf=None):
    lf = lf or make_client("lakeformation")
    return [p for p in lf.list_permissions()["PrincipalResourcePermissions"]
            if p["Principal"]["DataLakePrincipalIdentifier"] == principal]


def template(resources, conditions=None):
    tpl = {"AWSTemplateFormatVersion": "2010-09-09",
           "Parameters": {"Flag": {"Type": "String", "Default": "yes"}},
           "Conditions": {"On": {"Fn::Equals": [{"Ref": "Flag"}, "yes"]}, **(conditions or {})},
           "Resources": resources}
    return json.dumps(tpl)


def settings(admins=(USER,)):
    return {"Type": "AWS::LakeFormation::DataLakeSettings",
            "Properties": {"Admins": [{"DataLakePrincipalIdentifier": a} for a in admins]}}


def database(name="sales", description="sales data", **extra):
    return {"Type": "AWS::Glue::Database", "DependsOn": "Settings", **extra,
            "Properties": {"CatalogId": {"Ref": "AWS::AccountId"},
                           "DatabaseInput": {"Name": name, "Description": description}}}


def grant(principal, database_ref="Db", **extra):
    props = {"Principal": {"DataLakePrincipalIdentifier": principal},
             "Resource": {"Database": {"CatalogId": {"Ref": "AWS::AccountId"}, "Name": {"Ref": database_ref}}},
             "Permissions": ["DESCRIBE"], "PermissionsWithGrantOption": []}
    props.update(extra.pop("Properties", {}))
    return {"Type": "AWS::LakeFormation::PrincipalPermissions", **extra, "Properties": props}


def base():
    return {"Settings": settings(), "Db": database(), "Grant": grant(ROLE_A)}


def create(name, resources):
    cfn = make_client("cloudformation")
    cfn.create_stack(StackName=name, TemplateBody=template(resources))
    assert status(cfn, name) == "CREATE_COMPLETE", events(cfn, name)
    control("DELETE", "/stack-calls")
    return cfn


def update(cfn, name, resources):
    cfn.update_stack(StackName=name, TemplateBody=template(resources))
    assert status(cfn, name) == "UPDATE_COMPLETE", events(cfn, name)


ATTRIBUTE_ONLY = {
    "condition-still-true": lambda r: [r["Db"].update(Condition="On"), r["Grant"].update(Condition="On")],
    "deletion-policy": lambda r: [r["Db"].update(DeletionPolicy="Retain", UpdateReplacePolicy="Retain"),
                                  r["Grant"].update(DeletionPolicy="Retain")],
    "deletion-policy-retain-except-on-create": lambda r: [r["Db"].update(DeletionPolicy="RetainExceptOnCreate"),
                                                          r["Grant"].update(DeletionPolicy="RetainExceptOnCreate")],
    "depends-on": lambda r: [r["Grant"].update(DependsOn=["Settings", "Db"]),
                             r["Settings"].update(Metadata={"owner": "platform"})],
}


@pytest.mark.parametrize("change", sorted(ATTRIBUTE_ONLY))
def test_attribute_only_change_calls_no_service_and_keeps_physical_ids(change):
    cfn = create("attrs", base())
    before = physical_ids(cfn, "attrs")
    changed = base()
    ATTRIBUTE_ONLY[change](changed)
    update(cfn, "attrs", changed)
    assert lf_glue_calls() == []
    assert physical_ids(cfn, "attrs") == before
    assert not [e for e in events(cfn, "attrs") if e[0] != "attrs" and e[1].startswith(("UPDATE", "DELETE"))]
    assert [p["Permissions"] for p in grants_to(ROLE_A)] == [["DESCRIBE"]]


def test_replacement_creates_the_new_grant_before_it_revokes_the_old():
    cfn = create("repl", base())
    before = physical_ids(cfn, "repl")["Grant"]
    changed = base()
    changed["Grant"] = grant(ROLE_B)  # Principal: Update requires Replacement
    update(cfn, "repl", changed)
    ops = [(c["operation"], c["logical_id"]) for c in lf_glue_calls()]
    assert ops == [("GrantPermissions", "Grant"), ("RevokePermissions", "Grant")]
    revoke = next(c for c in lf_glue_calls() if c["operation"] == "RevokePermissions")
    assert ROLE_A in revoke["args"] and ROLE_B not in revoke["args"]
    assert grants_to(ROLE_A) == [] and [p["Permissions"] for p in grants_to(ROLE_B)] == [["DESCRIBE"]]
    assert physical_ids(cfn, "repl")["Grant"] != before
    grant_events = [(e[1], e[2]) for e in events(cfn, "repl") if e[0] in ("Grant", "repl")]
    cleanup = grant_events.index(("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", None))
    assert ("UPDATE_COMPLETE", None) in grant_events[:cleanup]
    assert [s for s, _ in grant_events[cleanup:]] == ["UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "DELETE_IN_PROGRESS",
                                                      "DELETE_COMPLETE", "UPDATE_COMPLETE"]


def test_identical_grant_replacement_ends_revoked_as_on_aws():
    cfn = create("same", base())
    changed = base()
    # Catalog: Update requires Replacement -- yet the new grant is the old one exactly.
    changed["Grant"] = grant(ROLE_A, Properties={"Catalog": {"Ref": "AWS::AccountId"}})
    update(cfn, "same", changed)
    assert [c["operation"] for c in lf_glue_calls()] == ["GrantPermissions", "RevokePermissions"]
    assert grants_to(ROLE_A) == []  # Lake Formation grants are not counted: the cleanup revoked it


def test_data_lake_settings_update_in_place_with_one_call():
    cfn = create("dls", {"Settings": settings((USER, ROLE_A))})
    before = physical_ids(cfn, "dls")
    update(cfn, "dls", {"Settings": settings((USER, ROLE_B))})
    made = lf_glue_calls()
    # one PutDataLakeSettings holding the new admins: never a moment without settings or admins
    assert [c["operation"] for c in made] == ["PutDataLakeSettings"]
    assert ROLE_B in made[0]["args"] and USER in made[0]["args"] and ROLE_A not in made[0]["args"]
    admins = make_client("lakeformation").get_data_lake_settings()["DataLakeSettings"]["DataLakeAdmins"]
    assert [a["DataLakePrincipalIdentifier"] for a in admins] == [USER, ROLE_B]
    assert physical_ids(cfn, "dls") == before
    assert not [e for e in events(cfn, "dls") if e[1].startswith("DELETE")]


def test_glue_database_description_updates_in_place():
    cfn = create("db", base())
    glue = make_client("glue")
    glue.create_table(DatabaseName="sales", TableInput={"Name": "orders", "StorageDescriptor": {
        "Columns": [{"Name": "id", "Type": "bigint"}]}})
    control("DELETE", "/stack-calls")
    changed = base()
    changed["Db"] = database(description="sales data, curated")
    update(cfn, "db", changed)
    assert [c["operation"] for c in lf_glue_calls()] == ["UpdateDatabase"]
    assert glue.get_database(Name="sales")["Database"]["Description"] == "sales data, curated"
    assert glue.get_table(DatabaseName="sales", Name="orders")["Table"]["Name"] == "orders"  # same database
    assert grants_to(ROLE_A)  # the grant on it untouched


def test_removed_resource_is_deleted_after_the_new_ones_are_created():
    cfn = create("swap", base())
    changed = base()
    del changed["Grant"]
    changed["NewGrant"] = grant(ROLE_B)
    update(cfn, "swap", changed)
    ops = [(c["operation"], c["logical_id"]) for c in lf_glue_calls()]
    assert ops == [("GrantPermissions", "NewGrant"), ("RevokePermissions", "Grant")]
    order = [(e[0], e[1]) for e in events(cfn, "swap")]
    assert order.index(("NewGrant", "CREATE_COMPLETE")) < order.index(("swap", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")) \
        < order.index(("Grant", "DELETE_COMPLETE"))
    assert grants_to(ROLE_A) == [] and grants_to(ROLE_B)


def test_condition_turning_false_removes_and_true_adds():
    resources = base()
    resources["Grant"]["Condition"] = "On"
    cfn = create("cond", resources)
    cfn.update_stack(StackName="cond", TemplateBody=template(resources),
                     Parameters=[{"ParameterKey": "Flag", "ParameterValue": "no"}])
    assert status(cfn, "cond") == "UPDATE_COMPLETE"
    assert [c["operation"] for c in lf_glue_calls()] == ["RevokePermissions"] and grants_to(ROLE_A) == []
    cfn.update_stack(StackName="cond", TemplateBody=template(resources),
                     Parameters=[{"ParameterKey": "Flag", "ParameterValue": "yes"}])
    assert [c["operation"] for c in lf_glue_calls()][1:] == ["GrantPermissions"] and grants_to(ROLE_A)


def test_failed_update_rolls_back_without_revoking_the_old_grant():
    cfn = create("fail", base())
    changed = base()
    changed["Grant"] = grant(ROLE_B)  # replaced ...
    changed["Db"] = database(description="changed")  # ... updated in place ...
    changed["Crawler"] = {"Type": "AWS::Glue::Crawler", "DependsOn": "Grant", "Properties": {  # ... then this fails
        "Name": "c", "Role": ROLE_A, "DatabaseName": "nosuchdb", "Targets": {"S3Targets": [{"Path": "s3://x/"}]}}}
    cfn.update_stack(StackName="fail", TemplateBody=template(changed))
    assert status(cfn, "fail") == "UPDATE_ROLLBACK_COMPLETE"
    assert [p["Permissions"] for p in grants_to(ROLE_A)] == [["DESCRIBE"]] and grants_to(ROLE_B) == []
    assert make_client("glue").get_database(Name="sales")["Database"]["Description"] == "sales data"
    ops = [(c["operation"], ROLE_B in c["args"]) for c in lf_glue_calls() if "Permissions" in c["operation"]]
    assert ops == [("GrantPermissions", True), ("RevokePermissions", True)]  # only the new grant is undone


def test_changing_a_resource_type_is_refused():
    cfn = create("retype", base())
    changed = base()
    changed["Grant"] = {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "retyped"}}
    with pytest.raises(ClientError) as e:
        cfn.update_stack(StackName="retype", TemplateBody=template(changed))
    assert e.value.response["Error"]["Code"] == "ValidationError"
    assert "Update of resource type is not permitted" in e.value.response["Error"]["Message"]
    assert status(cfn, "retype") == "CREATE_COMPLETE"
    assert grants_to(ROLE_A) and lf_glue_calls() == []


def test_change_set_lists_property_and_policy_changes_and_executes_only_property_ones():
    cfn = create("cs", base())
    changed = base()
    changed["Db"]["DeletionPolicy"] = "Retain"  # a change set's Modify (Scope DeletionPolicy); no call
    changed["Grant"]["Condition"] = "On"  # no change at all
    changed["Settings"] = settings((USER, ROLE_B))
    changed["NewGrant"] = grant(ROLE_B)
    cfn.create_change_set(StackName="cs", ChangeSetName="c1", TemplateBody=template(changed), ChangeSetType="UPDATE")
    listed = cfn.describe_change_set(StackName="cs", ChangeSetName="c1")["Changes"]
    assert {(c["ResourceChange"]["Action"], c["ResourceChange"]["LogicalResourceId"]) for c in listed} == {
        ("Modify", "Db"), ("Modify", "Settings"), ("Add", "NewGrant")}
    cfn.execute_change_set(StackName="cs", ChangeSetName="c1")
    assert [(c["operation"], c["logical_id"]) for c in lf_glue_calls()] == [
        ("PutDataLakeSettings", "Settings"), ("GrantPermissions", "NewGrant")]


# ----------------------------------------------------------------------------- who may grant

TAG_POLICY = {"LFTagPolicy": {"CatalogId": CENTRAL, "ResourceType": "TABLE",
                              "Expression": [{"TagKey": "domain", "TagValues": ["sales"]}]}}
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{CONSUMER}:root"}, "Action": "sts:AssumeRole"},
    {"Effect": "Allow", "Principal": {"Service": "cloudformation.amazonaws.com"}, "Action": "sts:AssumeRole"}]})


def as_role(name):
    arn = f"arn:aws:iam::{CONSUMER}:role/{name}"
    c = make_client("sts", "consumer").assume_role(RoleArn=arn, RoleSessionName="grantor")["Credentials"]
    return boto3.client("lakeformation", endpoint_url=ENDPOINT, region_name="us-east-1",
                        aws_access_key_id=c["AccessKeyId"], aws_secret_access_key=c["SecretAccessKey"],
                        aws_session_token=c["SessionToken"])


@pytest.fixture
def shared_in():
    """Central shares the domain=sales tables with the consumer account, grantable; the consumer's
    data lake administrator is the role lf-admin (not its IAM admin user)."""
    lf = make_client("lakeformation")
    lf.put_data_lake_settings(DataLakeSettings={"DataLakeAdmins": [{"DataLakePrincipalIdentifier": USER}]})
    lf.create_lf_tag(TagKey="domain", TagValues=["sales"])
    lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": CONSUMER}, Resource=TAG_POLICY,
                         Permissions=["SELECT", "DESCRIBE"], PermissionsWithGrantOption=["SELECT", "DESCRIBE"])
    iam = make_client("iam", "consumer")
    for name in ("lf-admin", "someone", "analyst"):
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=TRUST)
    make_client("lakeformation", "consumer").put_data_lake_settings(DataLakeSettings={
        "DataLakeAdmins": [{"DataLakePrincipalIdentifier": f"arn:aws:iam::{CONSUMER}:role/lf-admin"}]})


def regrant(lf, principal="analyst", grantable=()):
    lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": f"arn:aws:iam::{CONSUMER}:role/{principal}"},
                         Resource=TAG_POLICY, Permissions=["SELECT"], PermissionsWithGrantOption=list(grantable))


def test_grant_on_a_shared_resource_needs_an_admin_or_a_grantable_holder(shared_in):
    for refused in (as_role("someone"), make_client("lakeformation", "consumer")):  # an IAM admin is no LF admin
        with pytest.raises(ClientError) as e:
            regrant(refused)
        assert e.value.response["Error"]["Code"] == "AccessDeniedException"
    regrant(as_role("lf-admin"), "someone", grantable=["SELECT"])
    regrant(as_role("someone"))  # holds SELECT with the grant option now
    clf = make_client("lakeformation", "consumer")
    holders = {p["Principal"]["DataLakePrincipalIdentifier"] for p in clf.list_permissions()[
        "PrincipalResourcePermissions"]}
    assert {f"arn:aws:iam::{CONSUMER}:role/analyst", f"arn:aws:iam::{CONSUMER}:role/someone"} <= holders


def test_stack_grants_as_its_role(shared_in):
    tpl = json.dumps({"Resources": {"G": {"Type": "AWS::LakeFormation::PrincipalPermissions", "Properties": {
        "Principal": {"DataLakePrincipalIdentifier": f"arn:aws:iam::{CONSUMER}:role/analyst"},
        "Resource": TAG_POLICY, "Permissions": ["SELECT"], "PermissionsWithGrantOption": []}}}})
    ccfn = make_client("cloudformation", "consumer")
    ccfn.create_stack(StackName="by-someone", TemplateBody=tpl, RoleARN=f"arn:aws:iam::{CONSUMER}:role/someone")
    assert status(ccfn, "by-someone") == "ROLLBACK_COMPLETE"
    assert any("is not a data lake administrator" in (e[2] or "") for e in events(ccfn, "by-someone"))
    ccfn.create_stack(StackName="by-admin", TemplateBody=tpl, RoleARN=f"arn:aws:iam::{CONSUMER}:role/lf-admin")
    assert status(ccfn, "by-admin") == "CREATE_COMPLETE"
    made = calls(stack="by-admin", operation="GrantPermissions")
    assert [c["principal"] for c in made] == [f"arn:aws:iam::{CONSUMER}:role/lf-admin"]


def test_same_account_grant_by_a_non_admin_is_refused_and_batch_reports_it():
    lf = make_client("lakeformation")
    make_client("glue").create_database(DatabaseInput={"Name": "own"})
    db = {"Database": {"CatalogId": CENTRAL, "Name": "own"}}
    with pytest.raises(ClientError) as e:
        lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": ROLE_A}, Resource=db, Permissions=["DESCRIBE"])
    assert e.value.response["Error"]["Code"] == "AccessDeniedException"
    failures = lf.batch_grant_permissions(Entries=[{"Id": "1", "Principal": {"DataLakePrincipalIdentifier": ROLE_A},
                                                    "Resource": db, "Permissions": ["DESCRIBE"]}])["Failures"]
    assert [f["Error"]["ErrorCode"] for f in failures] == ["AccessDeniedException"]
    # the database's creator may let others create tables in it
    lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": ROLE_A}, Resource=db, Permissions=["CREATE_TABLE"])
    lf.put_data_lake_settings(DataLakeSettings={"DataLakeAdmins": [{"DataLakePrincipalIdentifier": USER}]})
    lf.grant_permissions(Principal={"DataLakePrincipalIdentifier": ROLE_A}, Resource=db, Permissions=["DESCRIBE"])
    assert {perm for p in grants_to(ROLE_A, lf) for perm in p["Permissions"]} == {"CREATE_TABLE", "DESCRIBE"}
