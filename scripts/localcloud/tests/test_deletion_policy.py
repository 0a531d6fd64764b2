"""DeletionPolicy Retain and RetainExceptOnCreate (vendcloud/cfn_update.py, design note L3 d):
kept on stack delete and on update-removal; a rolled-back create or update deletes the
RetainExceptOnCreate resources it created and keeps the Retain ones."""
import json

from conftest import make_client


def bucket(name, policy=None, **extra):
    spec = {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": name}, **extra}
    if policy:
        spec["DeletionPolicy"] = policy
    return spec


def failing(*after):
    """A resource whose create fails: a resource link to a database that does not exist."""
    return {"Type": "AWS::Glue::Database", "DependsOn": list(after),
            "Properties": {"CatalogId": {"Ref": "AWS::AccountId"},
                           "DatabaseInput": {"Name": "link", "TargetDatabase": {
                               "CatalogId": {"Ref": "AWS::AccountId"}, "DatabaseName": "no-such-database"}}}}


def body(resources):
    return json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources})


def buckets():
    return {b["Name"] for b in make_client("s3").list_buckets()["Buckets"]}


def status(cfn, name):
    return cfn.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]


def test_create_rollback_deletes_retain_except_on_create_and_keeps_retain():
    cfn = make_client("cloudformation")
    cfn.create_stack(StackName="roll", TemplateBody=body({
        "Roc": bucket("dp-roc", "RetainExceptOnCreate"), "Kept": bucket("dp-retain", "Retain"),
        "Plain": bucket("dp-plain"), "Bad": failing("Roc", "Kept", "Plain")}))
    assert status(cfn, "roll") == "ROLLBACK_COMPLETE"
    left = buckets()
    assert "dp-roc" not in left and "dp-plain" not in left
    assert "dp-retain" in left


def test_stack_delete_keeps_retain_except_on_create():
    cfn = make_client("cloudformation")
    cfn.create_stack(StackName="del", TemplateBody=body({
        "Roc": bucket("dp-roc", "RetainExceptOnCreate"), "Plain": bucket("dp-plain")}))
    assert status(cfn, "del") == "CREATE_COMPLETE"
    cfn.delete_stack(StackName="del")
    left = buckets()
    assert "dp-roc" in left and "dp-plain" not in left


def test_update_removal_keeps_retain_except_on_create():
    cfn = make_client("cloudformation")
    cfn.create_stack(StackName="upd", TemplateBody=body({
        "Roc": bucket("dp-roc", "RetainExceptOnCreate"), "Plain": bucket("dp-plain"), "Stay": bucket("dp-stay")}))
    cfn.update_stack(StackName="upd", TemplateBody=body({"Stay": bucket("dp-stay")}))
    assert status(cfn, "upd") == "UPDATE_COMPLETE"
    left = buckets()
    assert "dp-roc" in left and "dp-plain" not in left and "dp-stay" in left
    events = [(e["LogicalResourceId"], e["ResourceStatus"]) for e in cfn.describe_stack_events(StackName="upd")[
        "StackEvents"]]
    assert ("Roc", "DELETE_SKIPPED") in events and ("Plain", "DELETE_COMPLETE") in events


def test_update_rollback_deletes_the_retain_except_on_create_it_created():
    cfn = make_client("cloudformation")
    cfn.create_stack(StackName="urb", TemplateBody=body({"Old": bucket("dp-old", "RetainExceptOnCreate")}))
    cfn.update_stack(StackName="urb", TemplateBody=body({
        "Old": bucket("dp-old", "RetainExceptOnCreate"), "New": bucket("dp-new", "RetainExceptOnCreate"),
        "NewKept": bucket("dp-new-retain", "Retain"), "Bad": failing("New", "NewKept")}))
    assert status(cfn, "urb") == "UPDATE_ROLLBACK_COMPLETE"
    left = buckets()
    assert "dp-new" not in left and "dp-old" in left and "dp-new-retain" in left
