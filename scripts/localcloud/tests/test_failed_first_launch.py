"""A failed first launch of producer-onboarding can be made again (issue #22): its data bucket
has a fixed name, so a bucket kept by the rolled-back create would make the next launch fail
("already exists"). 1.1.0's `DeletionPolicy: RetainExceptOnCreate` deletes the bucket when the
create that made it rolls back; 1.0.0's `Retain` keeps it, as AWS does
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html).

The stacks are made as Service Catalog makes them for a launch, terminate and relaunch: the
failed launch's stack rolls back and is deleted, and the relaunch is a new stack (a new
provisioned product id) with the same parameters, so the same bucket name.

fixtures/producer-onboarding-1.0.0.template.yaml is producer-onboarding's template as released
in 1.0.0 (the repository's products/ folder holds only the newest version)."""
import os

from botocore.exceptions import ClientError

from conftest import CENTRAL, PRODUCER, control, make_client
from test_mesh_products import template

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "producer-onboarding-1.0.0.template.yaml")
BUCKET = f"vend-sales-data-{PRODUCER}-us-east-1"
PARAMETERS = [{"ParameterKey": "DomainName", "ParameterValue": "sales"},
              {"ParameterKey": "CentralAccountId", "ParameterValue": CENTRAL}]
# Created after the bucket and its policy, and fails: a resource link to a database that does not
# exist (as test_deletion_policy's failing resource).
BREAKS = """Resources:
  Breaks:
    Type: AWS::Glue::Database
    DependsOn: [DataBucket, DataBucketPolicy]
    Properties:
      CatalogId: !Ref AWS::AccountId
      DatabaseInput:
        Name: breaks_link
        TargetDatabase:
          CatalogId: !Ref AWS::AccountId
          DatabaseName: no_such_database
"""


def failing(body):
    """The template with a resource whose create fails once the bucket exists."""
    assert body.count("\nResources:\n") == 1, "the template's Resources section moved: the failing resource would not be added"
    return body.replace("\nResources:\n", "\n" + BREAKS, 1)


def create(cfn, name, body):
    cfn.create_stack(StackName=name, TemplateBody=body, Parameters=PARAMETERS, Capabilities=["CAPABILITY_NAMED_IAM"])
    stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
    events = cfn.describe_stack_events(StackName=name)["StackEvents"]
    reasons = [e.get("ResourceStatusReason") for e in events if e["ResourceStatus"].endswith("FAILED")]
    return stack["StackStatus"], reasons


def buckets():
    return {b["Name"] for b in make_client("s3", "producer").list_buckets()["Buckets"]}


def launch_fail_terminate_relaunch(body):
    """The failed first launch (its stack rolled back, then deleted by the termination), then the
    relaunch; returns what the relaunch ended in and whether the bucket outlived the failure."""
    cfn = make_client("cloudformation", "producer")
    status, reasons = create(cfn, "SC-first", failing(body))
    assert status == "ROLLBACK_COMPLETE", f"the first launch was meant to fail and roll back: {status} {reasons}"
    cfn.delete_stack(StackName="SC-first")
    kept = BUCKET in buckets()
    return create(cfn, "SC-again", body), kept


def test_relaunch_after_a_failed_first_launch_succeeds_with_retain_except_on_create():
    body = template("producer-onboarding")
    assert "DeletionPolicy: RetainExceptOnCreate" in body
    (status, reasons), kept = launch_fail_terminate_relaunch(body)
    assert not kept, "the rollback of the create that made the bucket should have deleted it"
    assert status == "CREATE_COMPLETE", f"the relaunch with the same bucket name failed: {status} {reasons}"
    assert BUCKET in buckets()


def test_relaunch_after_a_failed_first_launch_fails_with_retain():
    with open(FIXTURE) as f:
        body = f.read()
    assert "DeletionPolicy: Retain\n" in body
    try:
        (status, reasons), kept = launch_fail_terminate_relaunch(body)
    except ClientError as error:
        # Also what blocks the relaunch, should the local cloud refuse the create at once.
        status, reasons, kept = "refused", [str(error)], BUCKET in buckets()
    assert kept, "Retain keeps the bucket on a rolled-back create, as AWS does"
    assert status != "CREATE_COMPLETE", "the relaunch should have failed on the kept bucket's name"
    # AWS: "<bucket> already exists"; moto: "The requested bucket name is not available".
    assert any(BUCKET in (r or "") or "bucket name" in (r or "").lower() for r in reasons), reasons


def test_update_from_1_0_0_changes_only_the_attribute_and_touches_no_bucket():
    """A producer launched at 1.0.0 and updated to this version with the same parameters: only
    DeletionPolicy changes, which lives in the stack, so the update calls no service (design note
    L3) and the bucket is the one made at 1.0.0."""
    cfn = make_client("cloudformation", "producer")
    with open(FIXTURE) as f:
        old = f.read()
    control("DELETE", "/stack-calls")
    assert create(cfn, "SC-upgrade", old)[0] == "CREATE_COMPLETE"
    created = [f'{c.get("service")}:{c.get("operation")}' for c in control("GET", "/stack-calls?stack=SC-upgrade")["calls"]]
    # "No call" below means something only if the log shows CloudFormation's calls to S3.
    assert any(c.startswith("s3:") for c in created), f"the stack-call log shows no S3 call for the creation: {created}"
    made = make_client("s3", "producer").list_buckets()["Buckets"]
    control("DELETE", "/stack-calls")
    cfn.update_stack(StackName="SC-upgrade", TemplateBody=template("producer-onboarding"), Parameters=PARAMETERS,
                     Capabilities=["CAPABILITY_NAMED_IAM"])
    assert cfn.describe_stacks(StackName="SC-upgrade")["Stacks"][0]["StackStatus"] == "UPDATE_COMPLETE"
    calls = [f'{c.get("service")}:{c.get("operation")}' for c in control("GET", "/stack-calls?stack=SC-upgrade")["calls"]]
    assert calls == [], f"an attribute-only update called services: {calls}"
    assert make_client("s3", "producer").list_buckets()["Buckets"] == made
