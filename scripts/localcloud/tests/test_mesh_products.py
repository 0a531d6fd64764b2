"""The project's own product templates deploy on the local cloud, in their accounts, in
order: producer onboarding -> registration -> a crawl of the sample data -> consumer
registration -> consumer onboarding -> consumer-link -> analyst-access (the analyst's and the
probe role's). consumer-onboarding 2.x with a legacy (1.x) subscription keeps its link and
grants; without one it holds none. RequestAccess, run through Service Catalog with the
consumer's own keys, leaves the request in the consumer's account, written by the launch role.
Skipped when the templates are absent."""
import glob
import json
import os
import time
import uuid

import pytest
import yaml
from botocore.exceptions import ClientError

from conftest import CENTRAL, CONSUMER, KEYS, PRODUCER, control, make_client, requests_log, wait_record
from helpers import upload_template
from test_lf_enforcement import query_as, trust

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
PRODUCTS = os.path.join(ROOT, "products")
NAMES = ["producer-onboarding", "producer-registration", "consumer-registration", "consumer-onboarding",
         "consumer-link", "analyst-access"]
ANALYST = f"arn:aws:iam::{CONSUMER}:role/analyst"
PROBE = f"arn:aws:iam::{CONSUMER}:role/vend-probe-sales"
LAUNCH_ROLE = "VendConsumerOnboardingLaunchRole"


def product_file(name, path="template.yaml"):
    path = os.path.join(PRODUCTS, name, path)
    if not os.path.exists(path):
        pytest.skip(f"{path} missing")
    with open(path) as f:
        return f.read()


def template(name):
    return product_file(name)


def launch_role(profile, name):
    """The product's launch role (launchRole.name in its product.yaml), which Service Catalog runs
    its stack as; consumer-link and analyst-access share consumer-onboarding's."""
    role = yaml.safe_load(product_file(name, "product.yaml"))["launchRole"]["name"]
    iam = make_client("iam", profile)
    try:
        return iam.get_role(RoleName=role)["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        return iam.create_role(RoleName=role, AssumeRolePolicyDocument="{}")["Role"]["Arn"]


def deploy(profile, name, params, stack=None):
    cfn = make_client("cloudformation", profile)
    stack = stack or f"t-{name}"
    # As Service Catalog launches it: the stack acts as the launch role (Lake Formation checks
    # that the role granting is a data lake administrator).
    cfn.create_stack(StackName=stack, TemplateBody=template(name), Capabilities=["CAPABILITY_NAMED_IAM"],
                     Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in params.items()],
                     RoleARN=launch_role(profile, name))
    st = cfn.describe_stacks(StackName=stack)["Stacks"][0]
    if st["StackStatus"] != "CREATE_COMPLETE":
        events = cfn.describe_stack_events(StackName=stack)["StackEvents"]
        reasons = [e.get("ResourceStatusReason") for e in events if e["ResourceStatus"].endswith("FAILED")]
        raise AssertionError(f"{name}: {st['StackStatus']} {reasons}")
    return {o["OutputKey"]: o["OutputValue"] for o in st.get("Outputs", [])}


def central_mesh():
    """The sales producer domain registered in central with the sample data crawled, and the
    consumer account granted read on it (consumer-registration). Returns the table names."""
    for n in NAMES:
        template(n)
    out = deploy("producer", "producer-onboarding", {"DomainName": "sales", "CentralAccountId": CENTRAL})
    bucket = out["BucketName"]
    lf = make_client("lakeformation")
    # the central baseline (vend's bootstrap): the central launch roles are LF admins; the mesh's LF tags
    lf.put_data_lake_settings(DataLakeSettings={"DataLakeAdmins": [
        {"DataLakePrincipalIdentifier": launch_role("central", n)}
        for n in ("producer-registration", "consumer-registration")]})
    lf.create_lf_tag(TagKey="domain", TagValues=["sales", "hr"])
    lf.create_lf_tag(TagKey="classification", TagValues=["public", "internal", "confidential"])
    reg = deploy("central", "producer-registration", {
        "DomainName": "sales", "ProducerAccountId": PRODUCER, "ProducerBucketName": bucket,
        "DatabaseName": "sales", "Classification": "internal"})
    s3 = make_client("s3", "producer")
    for path in sorted(glob.glob(os.path.join(ROOT, "sample-data", "*.csv")))[:2]:
        name = os.path.basename(path)[:-4]
        with open(path, "rb") as f:
            s3.put_object(Bucket=bucket, Key=f"{name}/{name}.csv", Body=f.read())
    glue = make_client("glue")
    glue.start_crawler(Name=reg["CrawlerName"])
    for _ in range(40):
        if glue.get_crawler(Name=reg["CrawlerName"])["Crawler"]["State"] == "READY":
            break
        time.sleep(0.25)
    tables = glue.get_tables(DatabaseName="sales")["TableList"]
    if glob.glob(os.path.join(ROOT, "sample-data", "*.csv")):
        assert tables and all(t["StorageDescriptor"]["Columns"] for t in tables)
    deploy("central", "consumer-registration", {"ConsumerAccountId": CONSUMER, "DomainTagValue": "sales"})
    make_client("iam", "consumer").create_role(RoleName="analyst", AssumeRolePolicyDocument=trust(CONSUMER))
    return sorted(t["Name"] for t in tables)


def grants_to(principal):
    """The consumer account's Lake Formation grants to `principal`, as (resource, permissions)."""
    listed = make_client("lakeformation", "consumer").list_permissions()["PrincipalResourcePermissions"]
    return sorted((json.dumps(p["Resource"], sort_keys=True), tuple(sorted(p["Permissions"])))
                  for p in listed if p["Principal"]["DataLakePrincipalIdentifier"] == principal)


def links():
    return [d["Name"] for d in make_client("glue", "consumer").get_databases()["DatabaseList"] if d.get("TargetDatabase")]


def test_mesh_products_deploy_in_order():
    tables = central_mesh()
    con = deploy("consumer", "consumer-onboarding", {
        "DomainName": "sales", "CentralAccountId": CENTRAL, "AnalystRoleArn": ANALYST})
    # 2.x without a legacy subscription: no link, no grant, no ResourceLinkName.
    assert "ResourceLinkName" not in con and con["ProbeRoleArn"] == PROBE
    assert links() == [] and grants_to(ANALYST) == [] and grants_to(PROBE) == []
    wg = make_client("athena", "consumer").get_work_group(WorkGroup=con["WorkGroupName"])["WorkGroup"]
    assert wg["Configuration"]["ResultConfiguration"]["OutputLocation"].startswith("s3://")

    subscription = {"CentralAccountId": CENTRAL, "SharedDatabaseName": "sales", "DomainTagValue": "sales"}
    link = deploy("consumer", "consumer-link", subscription)
    assert link == {"ResourceLinkName": "sales_link", "VendKey": f"link:{CONSUMER}:sales"}
    cglue = make_client("glue", "consumer")
    assert cglue.get_database(Name="sales_link")["Database"]["TargetDatabase"] == {
        "CatalogId": CENTRAL, "DatabaseName": "sales", "Region": "us-east-1"}
    assert {t["Name"] for t in cglue.get_tables(DatabaseName="sales_link")["TableList"]} == set(tables)

    for principal, stack in ((ANALYST, "t-access-analyst"), (PROBE, "t-access-probe")):
        access = deploy("consumer", "analyst-access", dict(subscription, PrincipalArn=principal), stack=stack)
        assert access == {"VendKey": f"access:{principal}:sales"}
    policy = {"CatalogId": CENTRAL, "Expression": [{"TagKey": "domain", "TagValues": ["sales"]}]}
    expected = sorted([
        (json.dumps({"Database": {"CatalogId": CONSUMER, "Name": "sales_link"}}, sort_keys=True), ("DESCRIBE",)),
        (json.dumps({"LFTagPolicy": dict(policy, ResourceType="DATABASE")}, sort_keys=True), ("DESCRIBE",)),
        (json.dumps({"LFTagPolicy": dict(policy, ResourceType="TABLE")}, sort_keys=True), ("DESCRIBE", "SELECT")),
    ])
    assert grants_to(ANALYST) == expected and grants_to(PROBE) == expected
    # The three products together give the analyst what 1.x's consumer-onboarding gave it.
    if tables:
        q, _ = query_as(ANALYST, sql=f"SELECT count(*) AS n FROM sales_link.{tables[0]}", workgroup=con["WorkGroupName"])
        assert q["Status"]["State"] == "SUCCEEDED", q["Status"]


def test_consumer_onboarding_2_with_a_legacy_subscription_keeps_the_link_and_the_grants():
    central_mesh()
    con = deploy("consumer", "consumer-onboarding", {
        "DomainName": "sales", "CentralAccountId": CENTRAL, "SharedDatabaseName": "sales",
        "DomainTagValue": "sales", "AnalystRoleArn": ANALYST})
    assert con["ResourceLinkName"] == "sales_link" and links() == ["sales_link"]
    assert len(grants_to(ANALYST)) == 3 and grants_to(PROBE) == grants_to(ANALYST)


# ------------------------------------------------------------------------ RequestAccess

REQUEST = "/vend/requests/analytics/retail"
ACTION_PARAMETERS = ["ConsumerDomain", "ProducerDomain", "Reason", "Until", "RequestedBy"]


def spoke_policy_actions():
    with open(os.path.join(ROOT, "docs", "iam", "spoke-policy.json")) as f:
        document = json.load(f)
    return {a for s in document["Statement"] if s["Effect"] == "Allow" for a in s["Action"]}


def consumer_onboarding_in_the_catalog():
    """What `vend publish` makes in central for consumer-onboarding (its version, LAUNCH
    constraint, the RequestAccess document shared with the consumer and the action), and what
    `vend launch-consumer` makes in the consumer account (share accepted, principal associated,
    launch role with its policy, the product launched). Returns the provisioned product id."""
    sc = make_client("servicecatalog")
    url = upload_template(template("consumer-onboarding"), key="templates/consumer-onboarding.yaml")
    token = lambda: uuid.uuid4().hex  # noqa: E731
    pf = sc.create_portfolio(DisplayName="data-mesh", ProviderName="platform", IdempotencyToken=token())["PortfolioDetail"]["Id"]
    prod = sc.create_product(Name="consumer-onboarding", Owner="platform", ProductType="CLOUD_FORMATION_TEMPLATE",
                             ProvisioningArtifactParameters={"Name": "2.0.0", "Info": {"LoadTemplateFromURL": url},
                                                             "Type": "CLOUD_FORMATION_TEMPLATE"},
                             IdempotencyToken=token())
    prod_id, pa_id = prod["ProductViewDetail"]["ProductViewSummary"]["ProductId"], prod["ProvisioningArtifactDetail"]["Id"]
    sc.associate_product_with_portfolio(ProductId=prod_id, PortfolioId=pf)
    sc.create_constraint(PortfolioId=pf, ProductId=prod_id, Type="LAUNCH",
                         Parameters=json.dumps({"LocalRoleName": LAUNCH_ROLE}), IdempotencyToken=token())
    ssm = make_client("ssm")
    ssm.create_document(Name="vend-consumer-onboarding-RequestAccess", DocumentType="Automation", DocumentFormat="YAML",
                        Content=product_file("consumer-onboarding", "actions/request-access.yaml"), TargetType="/")
    ssm.modify_document_permission(Name="vend-consumer-onboarding-RequestAccess", PermissionType="Share",
                                   AccountIdsToAdd=[CONSUMER])
    action = sc.create_service_action(
        Name="consumer-onboarding-RequestAccess", DefinitionType="SSM_AUTOMATION", IdempotencyToken=token(),
        Definition={"Name": "vend-consumer-onboarding-RequestAccess", "Version": "1", "AssumeRole": "LAUNCH_ROLE",
                    "Parameters": json.dumps([{"Name": n, "Type": "TEXT_VALUE"} for n in ACTION_PARAMETERS])})
    sc.associate_service_action_with_provisioning_artifact(
        ProductId=prod_id, ProvisioningArtifactId=pa_id, ServiceActionId=action["ServiceActionDetail"]["ServiceActionSummary"]["Id"])
    sc.create_portfolio_share(PortfolioId=pf, AccountId=CONSUMER)

    csc, iam = make_client("servicecatalog", "consumer"), make_client("iam", "consumer")
    csc.accept_portfolio_share(PortfolioId=pf)
    csc.associate_principal_with_portfolio(PortfolioId=pf, PrincipalType="IAM",
                                           PrincipalARN=f"arn:aws:iam::{CONSUMER}:user/vend-localcloud-admin")
    iam.create_role(RoleName=LAUNCH_ROLE, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": ["servicecatalog.amazonaws.com", "ssm.amazonaws.com"]},
         "Action": "sts:AssumeRole"}]}))
    iam.put_role_policy(RoleName=LAUNCH_ROLE, PolicyName="vend-launch-role-policy",
                        PolicyDocument=product_file("consumer-onboarding", "launch-role-policy.json"))
    iam.create_role(RoleName="analyst", AssumeRolePolicyDocument=trust(CONSUMER))
    rec = csc.provision_product(ProductId=prod_id, ProvisioningArtifactId=pa_id, PathId=pf,
                                ProvisionedProductName="consumer-analytics", ProvisionToken=token(),
                                ProvisioningParameters=[{"Key": "DomainName", "Value": "analytics"},
                                                        {"Key": "CentralAccountId", "Value": CENTRAL},
                                                        {"Key": "AnalystRoleArn", "Value": ANALYST}])
    done = wait_record(csc, rec["RecordDetail"]["RecordId"])
    assert done["RecordDetail"]["Status"] == "SUCCEEDED", done["RecordDetail"].get("RecordErrors")
    return rec["RecordDetail"]["ProvisionedProductId"]


def request_access(pp, token, **parameters):
    """As the consumer's end user: find the action on its own provisioned product and run it."""
    sc = make_client("servicecatalog", "consumer")
    described = sc.describe_provisioned_product(Id=pp)["ProvisionedProductDetail"]
    actions = sc.list_service_actions_for_provisioning_artifact(
        ProductId=described["ProductId"], ProvisioningArtifactId=described["ProvisioningArtifactId"])["ServiceActionSummaries"]
    [action] = [a["Id"] for a in actions if a["Name"] == "consumer-onboarding-RequestAccess"]
    rec = sc.execute_provisioned_product_service_action(
        ProvisionedProductId=pp, ServiceActionId=action, ExecuteToken=token,
        Parameters={k: [v] for k, v in parameters.items()})["RecordDetail"]
    assert rec["RecordType"] == "EXECUTE_PROVISIONED_PRODUCT_SERVICE_ACTION"
    done = wait_record(sc, rec["RecordId"])
    return done, {o["OutputKey"]: o["OutputValue"] for o in done.get("RecordOutputs", [])}


def test_request_access_with_the_consumers_own_keys_is_written_by_the_launch_role():
    pp = consumer_onboarding_in_the_catalog()
    control("DELETE", "/requests")
    done, outputs = request_access(pp, "r1", ConsumerDomain="analytics", ProducerDomain="retail",
                                   Reason="Q3 forecast of returns", Until="2030-06-30", RequestedBy="ana@example.com")
    assert done["RecordDetail"]["Status"] == "SUCCEEDED", outputs
    assert outputs["ReadRequest.RequestParameter"] == REQUEST and outputs["WriteRequest.RequestVersion"] == "1"

    # Every call the end user made is one docs/iam/spoke-policy.json allows.
    consumer_key = KEYS["consumer"][1]
    mine = {f'{r["service"]}:{r["operation"]}' for r in requests_log() if r.get("access_key") == consumer_key}
    assert "servicecatalog:ExecuteProvisionedProductServiceAction" in mine
    assert mine <= spoke_policy_actions(), f"spoke-policy.json lacks {sorted(mine - spoke_policy_actions())}"
    # The write itself was the launch role's, in the consumer account.
    [put] = requests_log(service="ssm", operation="PutParameter")
    assert put["account"] == CONSUMER and put["access_key"] != consumer_key

    ssm = make_client("ssm", "consumer")
    [version] = ssm.get_parameter_history(Name=REQUEST)["Parameters"]
    assert version["LastModifiedUser"].startswith(f"arn:aws:sts::{CONSUMER}:assumed-role/{LAUNCH_ROLE}/")
    assert version["Type"] == "String" and version["Version"] == 1
    assert json.loads(version["Value"]) == {
        "consumer": "analytics", "domain": "retail", "reason": "Q3 forecast of returns", "until": "2030-06-30",
        "requestedBy(unverified)": "ana@example.com", "execution": outputs["AutomationExecutionId"]}

    # A new request overwrites: a new version; the optional texts may be empty.
    done, outputs = request_access(pp, "r2", ConsumerDomain="analytics", ProducerDomain="retail",
                                   Reason="", Until="", RequestedBy="")
    assert done["RecordDetail"]["Status"] == "SUCCEEDED", outputs
    assert outputs["WriteRequest.RequestVersion"] == "2"
    assert json.loads(ssm.get_parameter(Name=REQUEST)["Parameter"]["Value"])["reason"] == ""


@pytest.mark.parametrize("field, value", [("Reason", 'say "yes"'), ("Reason", "a\\b"), ("RequestedBy", "x\ny"),
                                          ("Until", "30.06.2030"), ("ProducerDomain", "Retail")])
def test_request_access_refuses_what_would_break_the_json_or_the_name(field, value):
    pp = consumer_onboarding_in_the_catalog()
    parameters = dict(ConsumerDomain="analytics", ProducerDomain="retail", Reason="r", Until="", RequestedBy="")
    parameters[field] = value
    done, _ = request_access(pp, "bad", **parameters)
    assert done["RecordDetail"]["Status"] == "FAILED"
    with pytest.raises(ClientError) as e:
        make_client("ssm", "consumer").get_parameter(Name=REQUEST)
    assert e.value.response["Error"]["Code"] == "ParameterNotFound"
