"""The project's own product templates deploy on the local cloud, in their accounts, in
order: producer onboarding -> registration -> a crawl of the sample data -> consumer
registration -> consumer onboarding. Skipped when the templates are absent."""
import glob
import os
import time

import pytest

from conftest import CENTRAL, CONSUMER, PRODUCER, make_client

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
PRODUCTS = os.path.join(ROOT, "products")
NAMES = ["producer-onboarding", "producer-registration", "consumer-registration", "consumer-onboarding"]


def template(name):
    path = os.path.join(PRODUCTS, name, "template.yaml")
    if not os.path.exists(path):
        pytest.skip(f"{path} missing")
    with open(path) as f:
        return f.read()


def launch_role(profile, name):
    """The product's launch role (Vend<Product>LaunchRole), which Service Catalog runs its stack as."""
    role = "Vend" + "".join(w.capitalize() for w in name.split("-")) + "LaunchRole"
    iam = make_client("iam", profile)
    try:
        return iam.get_role(RoleName=role)["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        return iam.create_role(RoleName=role, AssumeRolePolicyDocument="{}")["Role"]["Arn"]


def deploy(profile, name, params):
    cfn = make_client("cloudformation", profile)
    body = template(name)
    # As Service Catalog launches it: the stack acts as the launch role (Lake Formation checks
    # that the role granting is a data lake administrator).
    cfn.create_stack(StackName=f"t-{name}", TemplateBody=body, Capabilities=["CAPABILITY_NAMED_IAM"],
                     Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in params.items()],
                     RoleARN=launch_role(profile, name))
    st = cfn.describe_stacks(StackName=f"t-{name}")["Stacks"][0]
    if st["StackStatus"] != "CREATE_COMPLETE":
        events = cfn.describe_stack_events(StackName=f"t-{name}")["StackEvents"]
        reasons = [e.get("ResourceStatusReason") for e in events if e["ResourceStatus"].endswith("FAILED")]
        raise AssertionError(f"{name}: {st['StackStatus']} {reasons}")
    return {o["OutputKey"]: o["OutputValue"] for o in st.get("Outputs", [])}


def test_mesh_products_deploy_in_order():
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
    make_client("iam", "consumer").create_role(RoleName="analyst", AssumeRolePolicyDocument="{}")
    con = deploy("consumer", "consumer-onboarding", {
        "DomainName": "sales", "CentralAccountId": CENTRAL, "SharedDatabaseName": "sales",
        "DomainTagValue": "sales", "AnalystRoleArn": f"arn:aws:iam::{CONSUMER}:role/analyst"})
    cglue = make_client("glue", "consumer")
    link = cglue.get_database(Name=con["ResourceLinkName"])["Database"]
    assert link["TargetDatabase"]["CatalogId"] == CENTRAL
    assert {t["Name"] for t in cglue.get_tables(DatabaseName=con["ResourceLinkName"])["TableList"]} == \
        {t["Name"] for t in tables}
    wg = make_client("athena", "consumer").get_work_group(WorkGroup=con["WorkGroupName"])["WorkGroup"]
    assert wg["Configuration"]["ResultConfiguration"]["OutputLocation"].startswith("s3://")
