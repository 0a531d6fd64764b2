"""No gap in access when a consumer moves from consumer-onboarding 1.1.0 to 2.x with the same
parameters (design note §1, "Upgrade from today's products with no gap in access"). 2.x is the
repository's template, the version a 1.x consumer upgrades to now (2.1.0: 2.0.0 with the results
bucket's DeletionPolicy RetainExceptOnCreate, an attribute the update must not act on). 2.x keeps
the resource link and the analyst's and probe's grants under the same logical ids with the same
properties, only adding `Condition: HoldsLegacySubscription`. On AWS a resource whose properties
do not change is not touched by an update ("Understand update behaviors of stack resources",
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-update-behaviors.html),
so the update must make no Lake Formation revoke and no Glue database delete, and the analyst's
query must work before and after.

fixtures/consumer-onboarding-1.1.0.template.yaml is consumer-onboarding's template as released
in 1.1.0 (the repository's products/ folder holds only the newest version)."""
import os

from conftest import CENTRAL, control, make_client
from test_lf_enforcement import query_as
from test_mesh_products import ANALYST, PROBE, central_mesh, grants_to, launch_role, template

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "consumer-onboarding-1.1.0.template.yaml")
STACK = "SC-333333333333-pp-consumer-analytics"
PARAMETERS = {"DomainName": "sales", "CentralAccountId": CENTRAL, "SharedDatabaseName": "sales",
              "DomainTagValue": "sales", "AnalystRoleArn": ANALYST}
# The calls that take access away, as CloudTrail would show them for CloudFormation's handlers.
TAKING_AWAY = {("lakeformation", "RevokePermissions"), ("lakeformation", "BatchRevokePermissions"),
               ("glue", "DeleteDatabase")}


def stack_calls():
    """The service calls CloudFormation's handlers made for the stack, in order (vendcloud's
    stack-call log: what CloudTrail would show for them)."""
    return control("GET", f"/stack-calls?stack={STACK}")["calls"]


def status(cfn):
    return cfn.describe_stacks(StackName=STACK)["Stacks"][0]["StackStatus"]


def analyst_reads(table, workgroup="vend-sales"):
    q, _ = query_as(ANALYST, sql=f"SELECT count(*) AS n FROM sales_link.{table}", workgroup=workgroup)
    return q["Status"]["State"], q["Status"].get("StateChangeReason")


def test_update_from_1_1_0_to_2_x_with_the_same_parameters_leaves_access_in_place():
    tables = central_mesh()
    assert tables, "the sample data gave no table to query"
    cfn, glue = make_client("cloudformation", "consumer"), make_client("glue", "consumer")
    parameters = [{"ParameterKey": k, "ParameterValue": v} for k, v in PARAMETERS.items()]
    with open(FIXTURE) as f:
        old = f.read()

    # As Service Catalog runs it: the stack acts as the launch role, which the template makes the
    # account's Lake Formation administrator before it grants.
    role = launch_role("consumer", "consumer-onboarding")
    control("DELETE", "/stack-calls")
    cfn.create_stack(StackName=STACK, TemplateBody=old, Parameters=parameters, Capabilities=["CAPABILITY_NAMED_IAM"], RoleARN=role)
    assert status(cfn) == "CREATE_COMPLETE"
    created = {(c.get("service"), c.get("operation")) for c in stack_calls()}
    assert analyst_reads(tables[0]) == ("SUCCEEDED", None)
    link = glue.get_database(Name="sales_link")["Database"]
    grants = {"analyst": grants_to(ANALYST), "probe": grants_to(PROBE)}
    assert len(grants["analyst"]) == 3 and grants["probe"] == grants["analyst"]

    control("DELETE", "/stack-calls")
    cfn.update_stack(StackName=STACK, TemplateBody=template("consumer-onboarding"), Parameters=parameters,
                     Capabilities=["CAPABILITY_NAMED_IAM"], RoleARN=role)
    assert status(cfn) == "UPDATE_COMPLETE"
    during = stack_calls()

    problems = []
    # The zero counts below mean something only if the log shows CloudFormation's own calls:
    # creating the stack granted and created the link, so those calls must have been logged.
    if not {("lakeformation", "GrantPermissions"), ("glue", "CreateDatabase")} <= created:
        problems.append(f"the stack-call log shows no GrantPermissions/CreateDatabase for the stack's creation ({sorted(created)}): "
                        "'zero revokes' would prove nothing")
    taken = [f'{r["service"]}:{r["operation"]}' for r in during if (r.get("service"), r.get("operation")) in TAKING_AWAY]
    if taken:
        problems.append(f"the update took access away: {taken}")
    after = glue.get_database(Name="sales_link")["Database"]
    if after.get("CreateTime") != link.get("CreateTime"):
        problems.append(f"the resource link sales_link was deleted and created again by the update "
                        f"(CreateTime {link.get('CreateTime')} -> {after.get('CreateTime')})")
    if {"analyst": grants_to(ANALYST), "probe": grants_to(PROBE)} != grants:
        problems.append("the analyst's or the probe's grants differ after the update")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in cfn.describe_stacks(StackName=STACK)["Stacks"][0].get("Outputs", [])}
    if outputs.get("ResourceLinkName") != "sales_link":
        problems.append(f"2.x with the legacy subscription lost the ResourceLinkName output: {outputs}")
    reads = analyst_reads(tables[0])
    if reads != ("SUCCEEDED", None):
        problems.append(f"the analyst's query after the update: {reads}")
    assert not problems, "\n".join(problems)
